package io.dynamo.net.server;

import io.dynamo.net.transport.NettyTransport;
import io.dynamo.server.DynamoNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The node's metrics, in Prometheus text format at {@code /metrics} (Micrometer). Request
 * latencies are timers with client-side percentiles (p50, p99, p99.9) and histogram buckets;
 * node counters are read from a snapshot the node thread refreshes every second, so a scrape
 * never races the node's state.
 */
public final class NodeMetrics {

    /** What the node thread copies out each second; read by any thread. */
    public record Snapshot(long pendingHints, long hintsDelivered, long hintsDeferred, long transfersPending,
            long keysMoved, long handedOff, long aeExchanges, long aeKeysRepaired, long aeKeysSent, long readRepairs,
            long inFlight, long admissionRefused, long tombstonesPurged, long handlerErrors, int unreachable,
            int members) {
        static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final DistributionSummary siblings;
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private final TrafficHistory traffic = new TrafficHistory();

    public NodeMetrics(String nodeId, NettyTransport transport) {
        registry.config().commonTags("node", nodeId);
        siblings = DistributionSummary.builder("dynamo.get.siblings")
                .description("Values a get returned (more than 1: concurrent siblings)")
                .publishPercentiles(0.5, 0.99).register(registry);
        gauge("dynamo.hints.pending", "Hints held for other nodes", Snapshot::pendingHints);
        gauge("dynamo.hints.delivered", "Hints delivered to their owners", Snapshot::hintsDelivered);
        gauge("dynamo.hints.deferred", "Hint deliveries an owner answered 'not now'", Snapshot::hintsDeferred);
        gauge("dynamo.transfers.pending", "Ownership transfers this node still has to receive",
                Snapshot::transfersPending);
        gauge("dynamo.transfers.keys.moved", "Keys received by ownership transfers", Snapshot::keysMoved);
        gauge("dynamo.transfers.partitions.handed.off", "Partitions handed off and dropped", Snapshot::handedOff);
        gauge("dynamo.antientropy.exchanges", "Anti-entropy exchanges completed", Snapshot::aeExchanges);
        gauge("dynamo.antientropy.keys.repaired", "Keys whose local state anti-entropy changed",
                Snapshot::aeKeysRepaired);
        gauge("dynamo.antientropy.keys.sent", "Keys anti-entropy sent to peers that lacked them",
                Snapshot::aeKeysSent);
        gauge("dynamo.read.repairs", "Read repairs sent", Snapshot::readRepairs);
        gauge("dynamo.requests.in.flight", "Requests this node is coordinating", Snapshot::inFlight);
        gauge("dynamo.admission.refused", "Background work refused by admission control",
                Snapshot::admissionRefused);
        gauge("dynamo.tombstones.purged", "Tombstones purged by the sweep", Snapshot::tombstonesPurged);
        gauge("dynamo.handler.errors", "Messages whose handling failed (bugs)", Snapshot::handlerErrors);
        gauge("dynamo.members.unreachable", "Peers this node routes around", Snapshot::unreachable);
        gauge("dynamo.members", "Members in this node's cluster state", Snapshot::members);
        if (transport != null) {
            Gauge.builder("dynamo.transport.overload.drops", transport, t -> t.stats().overloadDrops())
                    .description("Messages refused because a peer's outbound queue was full").register(registry);
            Gauge.builder("dynamo.transport.inbound.drops", transport, t -> t.stats().inboundDrops())
                    .description("Messages dropped because the node's inbound queue was full").register(registry);
            Gauge.builder("dynamo.transport.bad.connections", transport, t -> t.stats().closedForBadInput())
                    .description("Connections closed for malformed or oversized frames").register(registry);
            Gauge.builder("dynamo.transport.messages.sent", transport, t -> t.stats().sent()).register(registry);
            Gauge.builder("dynamo.transport.messages.received", transport, t -> t.stats().received())
                    .register(registry);
        }
    }

    private void gauge(String name, String description, ToDoubleFunction<Snapshot> f) {
        Gauge.builder(name, this, m -> f.applyAsDouble(m.snapshot)).description(description).register(registry);
    }

    /** Records one client request: its operation, outcome ("ok" or an error kind) and latency. */
    public void request(String operation, String outcome, long nanos) {
        traffic.request(operation, outcome, nanos);
        Duration d = Duration.ofNanos(nanos);
        // Two meters: this node's own p50/p99/p99.9 (a summary; Prometheus' exporter drops
        // client-side quantiles from a timer that also has buckets), and histogram buckets that
        // can be summed over nodes.
        timers.computeIfAbsent(operation + '/' + outcome, k -> Timer.builder("dynamo.requests")
                .description("Client requests this node coordinated, by operation and outcome: quantiles")
                .tags("operation", operation, "outcome", outcome)
                .publishPercentiles(0.5, 0.99, 0.999)
                .register(registry)).record(d);
        timers.computeIfAbsent(operation + '/' + outcome + "/h", k -> Timer.builder("dynamo.requests.latency")
                .description("Client requests this node coordinated, by operation and outcome: histogram")
                .tags("operation", operation, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(d);
        if (!outcome.equals("ok") && !outcome.equals("not_found")) {
            errors.computeIfAbsent(operation + '/' + outcome, k -> Counter.builder("dynamo.requests.errors")
                    .tags("operation", operation, "kind", outcome).register(registry)).increment();
        }
    }

    /** Records the number of values a get returned. */
    public void siblings(int values) {
        siblings.record(values);
        traffic.siblings(values);
    }

    /** The last minutes of client traffic, a sample a second, for the dashboard. */
    public TrafficHistory traffic() {
        return traffic;
    }

    /** Called on the node thread with fresh figures. */
    public void update(Snapshot s) {
        snapshot = s;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Takes a snapshot of {@code node}; run it on the node thread. */
    public static Snapshot of(DynamoNode node) {
        long pending = 0;
        try {
            for (long c : node.pendingHints().values()) {
                pending += c;
            }
        } catch (RuntimeException e) {
            pending = -1;
        }
        var transfers = node.transfers().map(t -> t.progress()).orElse(null);
        int members = node.clusterState().map(s -> s.members().size()).orElse(0);
        return new Snapshot(pending, node.handoff().delivered(), node.handoff().deferred(),
                transfers == null ? 0 : transfers.pending(), transfers == null ? 0 : transfers.keysMoved(),
                transfers == null ? 0 : transfers.handedOff(), node.antiEntropy().exchanges(),
                node.antiEntropy().keysRepaired(), node.antiEntropy().keysSent(), node.coordinator().readRepairs(),
                node.coordinator().inFlight(), node.admission().refused(), node.reaper().purged(),
                node.handlerErrors(), node.unreachablePeers().size(), members);
    }
}

package io.dynamo.sim.cluster;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.testkit.cluster.SimClient;
import io.dynamo.testkit.cluster.SimCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The client population: each client loops over read-modify-write operations on a shared set of
 * keys, with an exponential think time between them. Most operations are set-adds, as in the
 * paper's shopping cart: read, take the union of the siblings' elements, add a unique element,
 * write back with the read's context. Some are deletes with the read's context (a delete and a
 * re-add later), some blind writes without a context (a register write concurrent with
 * everything). Every write, its parents (the writes whose values the client read) and its fate
 * are recorded in the {@link History}.
 */
final class Workload {

    static final String NAMESPACE = "sim";

    private final SimCluster cluster;
    private final RunConfig config;
    private final History history;
    private final RandomSource random;
    private final List<String> keys = new ArrayList<>();
    private final Stats stats = new Stats();
    private boolean stopped;
    private int running;

    /** Counters of what the clients did. */
    static final class Stats {
        long reads;
        long readFailures;
        long readsFound;
        long readsWithOneVersion;
        long writes;
        long writesAcked;
        long writesFailed;
    }

    Workload(SimCluster cluster, RunConfig config, History history, RandomSource random) {
        this.cluster = cluster;
        this.config = config;
        this.history = history;
        this.random = random;
        for (int i = 0; i < config.keys(); i++) {
            keys.add("key-" + i);
        }
    }

    List<String> keys() {
        return keys;
    }

    Stats stats() {
        return stats;
    }

    void start() {
        for (int i = 0; i < config.clients(); i++) {
            SimClient client = cluster.client("client-" + i);
            running++;
            schedule(client);
        }
    }

    void stop() {
        stopped = true;
    }

    /** Clients with an operation still in flight (or about to start one). */
    int running() {
        return running;
    }

    private void schedule(SimClient client) {
        if (stopped) {
            running--;
            return;
        }
        long mean = config.thinkTime().toNanos();
        long delay = (long) (-Math.log(1 - random.nextDouble()) * mean);
        cluster.sim().scheduler().schedule(Duration.ofNanos(delay), () -> operate(client));
    }

    private void operate(SimClient client) {
        if (stopped) {
            running--;
            return;
        }
        NodeId via = client.anyLiveNode();
        String key = keys.get(random.nextInt(keys.size()));
        if (via == null) {
            schedule(client);
            return;
        }
        stats.reads++;
        client.get(via, NAMESPACE, bytes(key), RequestOptions.DEFAULTS).whenComplete((got, error) -> {
            if (error != null) {
                stats.readFailures++;
                schedule(client);
                return;
            }
            List<Long> siblings = observe(key, got);
            write(client, via, key, got, siblings);
        });
    }

    /** Records a read in the history; returns the siblings' write ids. */
    List<Long> observe(String key, GetResult got) {
        List<Long> ids = new ArrayList<>();
        for (Versioned<Content> v : got.values()) {
            ids.add(History.idOf(v.value().value()));
        }
        history.observe(key, ids);
        if (got.isFound()) {
            stats.readsFound++;
            if (got.values().size() == 1) {
                stats.readsWithOneVersion++;
            }
        }
        return ids;
    }

    private void write(SimClient client, NodeId via, String key, GetResult got, List<Long> siblings) {
        double roll = random.nextDouble();
        History.Kind kind = roll < config.deleteFraction() && got.isFound() ? History.Kind.DELETE
                : roll < config.deleteFraction() + config.blindFraction() ? History.Kind.BLIND : History.Kind.ADD;
        Set<Long> elements = new TreeSet<>();
        for (Versioned<Content> v : got.values()) {
            elements.addAll(History.elementsOf(v.value().value()));
        }
        Set<Long> parents = kind == History.Kind.BLIND ? Set.of() : new LinkedHashSet<>(siblings);
        History.Write w = history.newWrite(key, kind, parents, elements);
        VersionVector context = kind == History.Kind.BLIND ? VersionVector.empty() : got.context();
        stats.writes++;
        var request = kind == History.Kind.DELETE
                ? client.delete(via, NAMESPACE, bytes(key), context, RequestOptions.DEFAULTS)
                : client.put(via, NAMESPACE, bytes(key), context, w.value, RequestOptions.DEFAULTS);
        request.whenComplete((ok, error) -> {
            if (error == null) {
                w.acked = true;
                stats.writesAcked++;
            } else {
                w.failed = true;
                stats.writesFailed++;
            }
            schedule(client);
        });
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

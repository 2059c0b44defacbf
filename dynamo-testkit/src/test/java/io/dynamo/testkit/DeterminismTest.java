package io.dynamo.testkit;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.testing.Gens;
import io.dynamo.core.time.Clock;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.time.Scheduler;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kernel's promise: a run is a function of its seed. A randomized ping-pong workload among
 * five nodes, with random latency, loss and duplication, partitions, one-way blocks, clock skew
 * and crash/restart cycles, gives the same trace for the same seed and different traces for
 * different seeds.
 */
class DeterminismTest {

    private static final int NODES = 5;
    private static final Duration RUN = Duration.ofSeconds(5);

    /** What a run leaves behind for comparison. */
    record Outcome(long hash, long events, List<String> tail, SimNetwork.Stats stats, int pongs, int timeouts,
            int crashes) {
    }

    @Test
    void sameSeedGivesTheSameTrace() {
        long seed = Simulation.seed(20260101L);
        Outcome first = run(seed);
        Outcome second = run(seed);

        assertThat(second).isEqualTo(first);
        // The workload really exercised the faults it claims to.
        assertThat(first.stats().delivered()).isGreaterThan(1_000);
        assertThat(first.stats().dropped()).isPositive();
        assertThat(first.stats().duplicated()).isPositive();
        assertThat(first.pongs()).isGreaterThan(300);
        assertThat(first.timeouts()).isPositive();
        assertThat(first.crashes()).isPositive();
    }

    @Test
    void anySeedReplaysExactly() {
        qt(15).forAll(Gens.longs()).checkAssert(seed -> assertThat(run(seed)).isEqualTo(run(seed)));
    }

    @Test
    void differentSeedsGiveDifferentTraces() {
        Set<Long> hashes = new HashSet<>();
        Set<List<String>> tails = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            Outcome o = run(seed);
            hashes.add(o.hash());
            tails.add(o.tail());
        }
        assertThat(hashes).hasSize(20);
        assertThat(tails).hasSize(20);
    }

    private static Outcome run(long seed) {
        Simulation sim = new Simulation(seed, new NetworkFaults(
                LatencyModel.exponential(Duration.ofMillis(1), Duration.ofMillis(3)), 0.05, 0.05));
        Cluster cluster = new Cluster(sim);
        for (int i = 1; i <= NODES; i++) {
            cluster.start(NodeId.of("n" + i));
        }
        RandomSource nemesis = sim.random("nemesis");
        sim.scheduler().schedule(Duration.ofMillis(100), () -> cluster.nemesis(nemesis));
        Simulation.run(sim, s -> s.scheduler().runFor(RUN));
        return new Outcome(sim.trace().hash(), sim.trace().count(), sim.trace().tail(50), sim.network().stats(),
                cluster.pongs, cluster.timeouts, cluster.crashes);
    }

    /** Five pinging nodes and a nemesis that breaks things every 100-300 ms of virtual time. */
    private static final class Cluster {
        final Simulation sim;
        final List<NodeId> ids = new ArrayList<>();
        final Map<NodeId, Pinger> nodes = new HashMap<>();
        int pongs;
        int timeouts;
        int crashes;

        Cluster(Simulation sim) {
            this.sim = sim;
        }

        void start(NodeId id) {
            if (!ids.contains(id)) {
                ids.add(id);
            }
            int incarnation = sim.scheduler().forNode(id).incarnation();
            nodes.put(id, new Pinger(this, id, sim.network().endpoint(id), sim.scheduler().forNode(id),
                    sim.scheduler().clockFor(id), sim.random("node/" + id + "#" + incarnation)));
        }

        void nemesis(RandomSource r) {
            SimScheduler scheduler = sim.scheduler();
            NodeId victim = ids.get(r.nextInt(ids.size()));
            switch (r.nextInt(5)) {
                case 0 -> {
                    Set<NodeId> side = new HashSet<>();
                    for (NodeId id : ids) {
                        if (r.nextBoolean()) {
                            side.add(id);
                        }
                    }
                    Set<NodeId> rest = new HashSet<>(ids);
                    rest.removeAll(side);
                    sim.network().heal();
                    sim.network().partition(side, rest);
                }
                case 1 -> sim.network().heal();
                case 2 -> {
                    if (scheduler.isUp(victim)) {
                        scheduler.crash(victim);
                        crashes++;
                        scheduler.schedule(Duration.ofMillis(50 + r.nextInt(200)), () -> start(victim));
                    }
                }
                case 3 -> sim.network().block(victim, ids.get(r.nextInt(ids.size())));
                default -> scheduler.setClockOffset(victim, Duration.ofMillis(r.nextLong(-500, 500)));
            }
            scheduler.schedule(Duration.ofMillis(100 + r.nextInt(200)), () -> nemesis(r));
        }
    }

    /** Pings a random peer every few milliseconds; answers pings; times out unanswered ones. */
    private static final class Pinger {
        final Cluster cluster;
        final NodeId self;
        final Transport transport;
        final Scheduler scheduler;
        final Clock clock;
        final RandomSource random;
        final Map<Long, Scheduler.Cancellable> outstanding = new HashMap<>();
        long nextId = 1;

        Pinger(Cluster cluster, NodeId self, Transport transport, Scheduler scheduler, Clock clock,
                RandomSource random) {
            this.cluster = cluster;
            this.self = self;
            this.transport = transport;
            this.scheduler = scheduler;
            this.clock = clock;
            this.random = random;
            transport.setHandler(this::onMessage);
            scheduler.schedule(Duration.ofMillis(random.nextInt(10)), this::tick);
        }

        void tick() {
            NodeId peer = cluster.ids.get(random.nextInt(cluster.ids.size()));
            if (!peer.equals(self)) {
                long id = nextId++;
                transport.send(peer, new Message.Ping(id));
                outstanding.put(id, scheduler.schedule(Duration.ofMillis(20), () -> {
                    outstanding.remove(id);
                    cluster.timeouts++;
                }));
            }
            scheduler.schedule(Duration.ofMillis(2 + random.nextInt(15)), this::tick);
        }

        void onMessage(NodeId from, Message message) {
            switch (message) {
                case Message.Ping ping -> transport.send(from, new Message.Pong(ping.requestId()));
                case Message.Pong pong -> {
                    Scheduler.Cancellable timeout = outstanding.remove(pong.requestId());
                    if (timeout != null) {
                        timeout.cancel();
                        cluster.pongs++;
                    }
                }
                default -> throw new IllegalStateException("unexpected " + message + " at " + clock.millis());
            }
        }
    }
}

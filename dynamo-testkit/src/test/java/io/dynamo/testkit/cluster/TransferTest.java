package io.dynamo.testkit.cluster;

import static io.dynamo.testkit.cluster.ScenarioTest.NS;
import static io.dynamo.testkit.cluster.ScenarioTest.await;
import static io.dynamo.testkit.cluster.ScenarioTest.bytes;
import static io.dynamo.testkit.cluster.ScenarioTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.PutResult;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.server.transfer.Transfers;
import io.dynamo.testkit.Simulation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Ownership transfer (paper section 4.9) on simulated clusters: joins and leaves move data to the
 * new owners while clients write, the old owners drop it only afterwards, nothing acknowledged is
 * lost, a transfer interrupted by a crash resumes from its checkpoint, and the data ends evenly
 * spread.
 */
class TransferTest {

    static final RequestOptions ALL = RequestOptions.parse(Map.of("w", "3", "r", "3"));

    /** Writes {@code count} keys with W=3; returns key to value. */
    static Map<String, String> load(SimCluster cluster, int count) {
        SimClient loader = cluster.client("loader");
        Map<String, String> expected = new HashMap<>();
        List<CompletableFuture<PutResult>> batch = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "k" + i;
            expected.put(key, "v0-" + i);
            batch.add(loader.put(cluster.ids().get(i % 3), NS, bytes(key), VersionVector.empty(), bytes("v0-" + i), ALL));
            if (batch.size() == 64) {
                batch.forEach(f -> await(cluster, f));
                batch.clear();
            }
        }
        batch.forEach(f -> await(cluster, f));
        return expected;
    }

    /** A client that, until stopped, reads a random key and writes a new value over it (with the context). */
    static final class Updater {
        final SimCluster cluster;
        final SimClient client;
        final Map<String, String> expected;
        final io.dynamo.core.time.RandomSource random;
        final int keys;
        boolean stopped;
        int acked;
        int failed;
        boolean busy;

        Updater(SimCluster cluster, Map<String, String> expected, int keys) {
            this.cluster = cluster;
            this.client = cluster.client("updater");
            this.expected = expected;
            this.random = cluster.sim().random("updater");
            this.keys = keys;
        }

        void start() {
            cluster.sim().scheduler().schedule(Duration.ofMillis(10), this::next);
        }

        /**
         * Runs until the cluster settles (at most 120 s), then stops, waits for the last request,
         * and gives anti-entropy 5 s to even out writes made at the switch. Whether it settled.
         */
        boolean settleThenStop() {
            boolean settled = cluster.sim().scheduler().runUntil(cluster::settled, Duration.ofSeconds(120));
            stopped = true;
            cluster.sim().scheduler().runUntil(() -> !busy, Duration.ofSeconds(30));
            cluster.sim().scheduler().runFor(Duration.ofSeconds(5));
            return settled;
        }

        void next() {
            if (stopped) {
                return;
            }
            busy = true;
            String key = "k" + random.nextInt(keys);
            String value = "v" + (acked + failed + 1) + "-" + key;
            NodeId via = NodeId.of("n1");
            client.get(via, NS, bytes(key), ALL).whenComplete((got, e) -> {
                if (e != null) {
                    failed++;
                    busy = false;
                    cluster.sim().scheduler().schedule(Duration.ofMillis(20), this::next);
                    return;
                }
                client.put(via, NS, bytes(key), got.context(), bytes(value), ALL).whenComplete((ok, e2) -> {
                    if (e2 == null) {
                        acked++;
                        expected.put(key, value);
                    } else {
                        failed++;
                        // not acknowledged: either value may be there; the check reads what is
                        expected.remove(key);
                    }
                    busy = false;
                    cluster.sim().scheduler().schedule(Duration.ofMillis(20), this::next);
                });
            });
        }
    }

    static Siblings<Content> stored(SimCluster cluster, NodeId node, Ring ring, String key) {
        StoredKey k = StoredKey.of(NS, bytes(key));
        return cluster.engine(node).get(ring.partitionOf(k.token()), k);
    }

    /** Every key on each of its owners under the ring in force, with the expected value, and nowhere else. */
    static void assertPlaced(SimCluster cluster, Map<String, String> expected, int keys) {
        Ring ring = cluster.currentRing();
        for (int i = 0; i < keys; i++) {
            String key = "k" + i;
            StoredKey k = StoredKey.of(NS, bytes(key));
            List<NodeId> owners = ring.preferenceList(k.token(), 3).primaries();
            Siblings<Content> first = null;
            for (NodeId owner : owners) {
                Siblings<Content> s = stored(cluster, owner, ring, key);
                assertThat(s.isEmpty()).as(key + " on its owner " + owner).isFalse();
                if (first == null) {
                    first = s;
                } else {
                    assertThat(s).as(key + " on " + owner + " equals on " + owners.get(0)).isEqualTo(first);
                }
            }
            if (expected.containsKey(key)) {
                assertThat(first.values()).as(key).hasSize(1);
                assertThat(text(first.values().get(0).value())).as(key).isEqualTo(expected.get(key));
            }
            for (NodeId other : cluster.ids()) {
                if (!owners.contains(other) && cluster.isUp(other)) {
                    assertThat(stored(cluster, other, ring, key).isEmpty()).as(key + " dropped by " + other).isTrue();
                }
            }
        }
    }

    static Transfers transfers(SimCluster cluster, NodeId id) {
        return cluster.node(id).transfers().orElseThrow();
    }

    @Test
    void aJoinUnderWritesMovesTheDataAndEachNodeEndsWithItsShare() {
        Simulation.run(41, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            int keys = 3000;
            Map<String, String> expected = load(cluster, keys);
            long epoch = cluster.currentRing().epoch();
            Updater updater = new Updater(cluster, expected, keys);
            updater.start();
            NodeId joiner = NodeId.of("n6");
            cluster.join(joiner, "z1");
            boolean planned = sim.scheduler().runUntil(() -> cluster.view().next().isPresent(), Duration.ofSeconds(10));
            assertThat(planned).as("the claimant plans a ring change").isTrue();
            assertThat(cluster.currentRing().epoch()).as("the old ring stays in force meanwhile").isEqualTo(epoch);
            sim.scheduler().runUntil(() -> transfers(cluster, joiner).progress().done() >= 5, Duration.ofSeconds(30));
            assertThat(cluster.currentRing().epoch()).isEqualTo(epoch);
            assertThat(cluster.node(joiner).replicas().writes())
                    .as("writes made during the change reach the new owner too").isPositive();
            assertThat(updater.settleThenStop()).as("the ring change completes and the old owners hand off").isTrue();
            assertThat(updater.acked).as("writes went on during the change").isGreaterThan(100);

            Ring ring = cluster.currentRing();
            assertThat(ring.epoch()).isGreaterThan(epoch);
            assertThat(cluster.view().statuses()).containsEntry(joiner, MemberStatus.UP);
            Transfers.Progress progress = transfers(cluster, joiner).progress();
            assertThat(progress.done()).isPositive();
            assertThat(progress.keysMoved()).isGreaterThan(keys * 3L / 6 / 2);
            assertThat(progress.pending()).isZero();
            long handedOff = cluster.ids().stream().mapToLong(id -> transfers(cluster, id).progress().handedOff()).sum();
            assertThat(handedOff).as("old owners dropped what moved").isPositive();
            assertPlaced(cluster, expected, keys);

            // Each node holds within 10% of 1/S of the data (strategy 3).
            long total = 0;
            Map<NodeId, Long> held = new HashMap<>();
            for (NodeId id : cluster.ids()) {
                long count = 0;
                for (int p : cluster.engine(id).partitions()) {
                    count += cluster.engine(id).scan(p, null, Integer.MAX_VALUE).size();
                }
                held.put(id, count);
                total += count;
            }
            double share = (double) total / cluster.ids().size();
            for (var e : held.entrySet()) {
                assertThat(Math.abs(e.getValue() - share) / share).as("share of " + e.getKey() + " " + held)
                        .isLessThanOrEqualTo(0.10);
            }
        });
    }

    @Test
    void aLeaverHandsEveryKeyToTheRemainingOwnersBeforeItDropsIt() {
        Simulation.run(42, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            int keys = 600;
            Map<String, String> expected = load(cluster, keys);
            NodeId leaver = NodeId.of("n4");
            assertThat(cluster.engine(leaver).partitions()).isNotEmpty();
            Updater updater = new Updater(cluster, expected, keys);
            updater.start();
            await(cluster, cluster.leave(leaver));
            assertThat(updater.settleThenStop()).isTrue();
            ClusterState view = cluster.view();
            assertThat(view.statuses()).containsEntry(leaver, MemberStatus.LEFT);
            assertThat(view.ring().contains(leaver)).isFalse();
            assertThat(cluster.engine(leaver).partitions()).as("the leaver dropped everything").isEmpty();
            assertPlaced(cluster, expected, keys);
            // Reads at R=3 see every value.
            SimClient reader = cluster.client("reader");
            for (int i = 0; i < keys; i += 7) {
                GetResult got = await(cluster, reader.get(NodeId.of("n2"), NS, bytes("k" + i), ALL));
                if (expected.containsKey("k" + i)) {
                    assertThat(text(got.values().get(0).value())).isEqualTo(expected.get("k" + i));
                }
            }
        });
    }

    @Test
    void aNewNodeReplacesADeadOneTakingExactlyItsPartitionsFromTheOtherOwners() {
        Simulation.run(45, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            int keys = 600;
            Map<String, String> expected = load(cluster, keys);
            Ring before = cluster.currentRing();
            NodeId dead = NodeId.of("n4");
            cluster.crash(dead); // its disk is gone for good
            NodeId newcomer = NodeId.of("n6");
            cluster.join(newcomer, "z1");
            sim.scheduler().runUntil(() -> cluster.view().member(newcomer).isPresent()
                    && cluster.node(NodeId.of("n1")).clusterState().orElseThrow().member(newcomer).isPresent(),
                    Duration.ofSeconds(10));
            await(cluster, cluster.node(NodeId.of("n1")).replace(dead, newcomer));
            assertThat(cluster.engine(NodeId.of("n1")).metadata().get(io.dynamo.server.DynamoNode.CLUSTER_STATE_KEY)
                    .map(io.dynamo.core.membership.ClusterStateCodec::decode).orElseThrow().replacements())
                    .as("persisted before acknowledged").containsEntry(dead, newcomer);
            Updater updater = new Updater(cluster, expected, keys);
            updater.start();
            assertThat(updater.settleThenStop()).isTrue();
            Ring after = cluster.currentRing();
            for (int p = 0; p < before.partitionCount(); p++) {
                NodeId was = before.claims().get(p);
                assertThat(after.claims().get(p)).as("partition " + p).isEqualTo(was.equals(dead) ? newcomer : was);
            }
            assertThat(cluster.view().statuses()).containsEntry(dead, MemberStatus.LEFT)
                    .containsEntry(newcomer, MemberStatus.UP);
            assertPlaced(cluster, expected, keys);
            assertThatBadReplacesAreRefused(cluster);
        });
    }

    private static void assertThatBadReplacesAreRefused(SimCluster cluster) {
        var f = cluster.node(NodeId.of("n1")).replace(NodeId.of("n2"), NodeId.of("n9"));
        Throwable t = ScenarioTest.failure(cluster, f);
        assertThat(t).isInstanceOf(io.dynamo.server.coordinator.InvalidRequestException.class)
                .hasMessageContaining("asked to join");
    }

    @Test
    void aWriteThatReachesAFormerOwnerLateIsHandedOffBeforeItIsDropped() {
        Simulation.run(44, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(4));
            int keys = 200;
            Map<String, String> expected = load(cluster, keys);
            Ring before = cluster.currentRing();
            cluster.join(NodeId.of("n5"), "z1");
            assertThat(sim.scheduler().runUntil(cluster::settled, Duration.ofSeconds(60))).isTrue();
            Ring after = cluster.currentRing();
            // A key whose owners changed, and a former owner of it: a write from a coordinator that
            // had not yet learned the new ring (or a hint delivered late) lands there now.
            String key = null;
            NodeId former = null;
            for (int i = 0; i < keys && key == null; i++) {
                StoredKey k = StoredKey.of(NS, bytes("k" + i));
                for (NodeId old : before.preferenceList(k.token(), 3).primaries()) {
                    if (!after.preferenceList(k.token(), 3).primaries().contains(old)) {
                        key = "k" + i;
                        former = old;
                        break;
                    }
                }
            }
            assertThat(key).isNotNull();
            StoredKey k = StoredKey.of(NS, bytes(key));
            int partition = after.partitionOf(k.token());
            NodeId owner = after.preferenceList(k.token(), 3).primaries().get(0);
            VersionVector context = cluster.engine(owner).get(partition, k).context();
            cluster.engine(former).update(partition, k, context,
                    Content.of(bytes("late"), "text/plain", 0), new io.dynamo.core.versioning.ActorId("stale", 1),
                    io.dynamo.core.storage.Durability.DURABLE);
            expected.put(key, "late");
            assertThat(cluster.settled()).isFalse();
            assertThat(sim.scheduler().runUntil(cluster::settled, Duration.ofSeconds(60))).isTrue();
            sim.scheduler().runFor(Duration.ofSeconds(2));
            assertPlaced(cluster, expected, keys);
            assertThat(transfers(cluster, former).progress().keysHandedOff()).isPositive();
        });
    }

    @Test
    void aTransferInterruptedByACrashOfEitherSideResumesFromItsCheckpoint() {
        Simulation.run(43, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(4)
                    .withConfig(c -> c.withTransfers(Duration.ofMillis(200), 4, Duration.ofSeconds(3))));
            int keys = 1500;
            Map<String, String> expected = load(cluster, keys);
            NodeId joiner = NodeId.of("n5");
            cluster.join(joiner, "z1");
            boolean streaming = sim.scheduler().runUntil(() -> cluster.isUp(joiner)
                    && transfers(cluster, joiner).progress().activePhase().equals("streaming")
                    && transfers(cluster, joiner).progress().keysMoved() > 40, Duration.ofSeconds(60));
            assertThat(streaming).isTrue();
            int partition = transfers(cluster, joiner).progress().active().orElseThrow();
            long epoch = cluster.view().next().orElseThrow().epoch();
            String checkpoint = Transfers.CHECKPOINT_PREFIX + epoch + "." + partition;
            sim.scheduler().runUntil(() -> cluster.engine(joiner).metadata().get(checkpoint).isPresent(),
                    Duration.ofSeconds(10));
            assertThat(cluster.engine(joiner).metadata().get(checkpoint)).as("a checkpoint was made").isPresent();

            // The receiver crashes and comes back: it resumes after its checkpoint.
            cluster.crash(joiner);
            sim.scheduler().runFor(Duration.ofMillis(500));
            cluster.restart(joiner);
            boolean resumed = sim.scheduler().runUntil(() -> transfers(cluster, joiner).resumed() > 0,
                    Duration.ofSeconds(30));
            assertThat(resumed).as("the receiver resumed from its checkpoint").isTrue();

            // Now a source crashes mid-stream: the receiver goes on from another owner.
            sim.scheduler().runUntil(() -> transfers(cluster, joiner).progress().activePhase().equals("streaming"),
                    Duration.ofSeconds(30));
            long before = transfers(cluster, joiner).resumed();
            NodeId source = null;
            for (NodeId id : cluster.ids()) {
                if (!id.equals(joiner) && !id.equals(NodeId.of("n1")) && transfers(cluster, id).served() > 0) {
                    source = id;
                }
            }
            assertThat(source).isNotNull();
            cluster.crash(source);
            sim.scheduler().runFor(Duration.ofSeconds(5));
            cluster.restart(source);

            boolean settled = sim.scheduler().runUntil(cluster::settled, Duration.ofSeconds(180));
            assertThat(settled).isTrue();
            assertThat(transfers(cluster, joiner).resumed()).isGreaterThanOrEqualTo(before);
            assertThat(cluster.view().statuses()).containsEntry(joiner, MemberStatus.UP);
            assertThat(cluster.engine(joiner).metadata().get(checkpoint)).as("checkpoints are removed when done")
                    .isEmpty();
            assertPlaced(cluster, expected, keys);
        });
    }
}

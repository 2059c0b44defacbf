package io.dynamo.testkit.cluster;

import static io.dynamo.testkit.cluster.ScenarioTest.DEFAULTS;
import static io.dynamo.testkit.cluster.ScenarioTest.NS;
import static io.dynamo.testkit.cluster.ScenarioTest.await;
import static io.dynamo.testkit.cluster.ScenarioTest.bytes;
import static io.dynamo.testkit.cluster.ScenarioTest.failure;
import static io.dynamo.testkit.cluster.ScenarioTest.nonPrimary;
import static io.dynamo.testkit.cluster.ScenarioTest.preferenceList;
import static io.dynamo.testkit.cluster.ScenarioTest.stored;
import static io.dynamo.testkit.cluster.ScenarioTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.PutResult;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.server.coordinator.UnavailableException;
import io.dynamo.server.transport.Message;
import io.dynamo.testkit.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A write never fails while two of its replicas are up (the first bug of issue 19): replicas that
 * do not answer are replaced by fallbacks within the replica timeout, a forward that may have
 * arrived fails at once rather than being sent twice, and a killed process's reset connections
 * fail what was in flight to it at once. Times are virtual (the replica timeout is 500 ms here).
 */
class AlwaysWriteableTest {

    private static final Duration REPLICA_TIMEOUT = Duration.ofMillis(500);
    private static final RequestOptions W3 = RequestOptions.parse(Map.of("w", "3"));
    private static final RequestOptions R2 = RequestOptions.parse(Map.of("r", "2"));

    /** Runs {@code f} to completion and returns how long it took, in virtual time. */
    private static <T> Duration timed(SimCluster cluster, CompletableFuture<T> f) {
        long start = cluster.sim().scheduler().nowNanos();
        cluster.sim().scheduler().runUntil(f::isDone, Duration.ofSeconds(30));
        assertThat(f).as("request answered").isDone();
        return Duration.ofNanos(cluster.sim().scheduler().nowNanos() - start);
    }

    private static long hintsFor(SimCluster cluster, NodeId owner) {
        long hints = 0;
        for (NodeId id : cluster.ids()) {
            hints += cluster.engine(id).hints().countsByTarget().getOrDefault(owner, 0L);
        }
        return hints;
    }

    @Test
    void anOwnerThatDoesNotAnswerIsReplacedByAFallbackThatCountsTowardW() {
        Simulation.run(191, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId silent = owners.get(2);
            sim.network().filters().to(silent).type(Message.ReplicaWrite.class).drop();

            CompletableFuture<PutResult> put = cluster.client("c").put(owners.get(0), NS, bytes("k"),
                    VersionVector.empty(), bytes("v"), W3);
            Duration took = timed(cluster, put);

            // W=3 with one owner silent: the fallback's acknowledgement is the third.
            PutResult result = put.join();
            assertThat(result.receipt().acknowledged()).hasSize(3);
            assertThat(result.receipt().fallbacks()).containsValue(silent);
            assertThat(took).isLessThan(REPLICA_TIMEOUT.plusMillis(100));
            assertThat(hintsFor(cluster, silent)).isEqualTo(1);
        });
    }

    @Test
    void aWriteAnsweredByTwoOwnersStillLeavesAHintForTheThird() {
        Simulation.run(192, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId silent = owners.get(1);
            var filter = sim.network().filters().to(silent).type(Message.ReplicaWrite.class).drop();

            CompletableFuture<PutResult> put = cluster.client("c").put(owners.get(0), NS, bytes("k"),
                    VersionVector.empty(), bytes("v"), DEFAULTS);
            Duration took = timed(cluster, put);
            assertThat(put.join().receipt().usedFallbacks()).isFalse();
            assertThat(took).isLessThan(Duration.ofMillis(100));

            // After the client's answer, the silent owner's share goes to a fallback, with a hint.
            sim.scheduler().runFor(REPLICA_TIMEOUT.plusMillis(100));
            assertThat(hintsFor(cluster, silent)).isEqualTo(1);

            filter.off();
            sim.scheduler().runFor(Duration.ofSeconds(5));
            assertThat(stored(cluster, silent, "k").values()).extracting(v -> text(v.value())).containsExactly("v");
            assertThat(hintsFor(cluster, silent)).isZero();
        });
    }

    @Test
    void aForwardThatNoOwnerTakesOnInTimeFailsWithinTheReplicaTimeoutAndIsNeverSentTwice() {
        Simulation.run(193, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId outsider = nonPrimary(cluster, "k");
            sim.network().filters().from(outsider).to(owners.get(0)).type(Message.CoordinatePut.class).drop();

            CompletableFuture<PutResult> put = cluster.client("c").put(outsider, NS, bytes("k"), VersionVector.empty(),
                    bytes("v"), DEFAULTS);
            Duration took = timed(cluster, put);

            // The forward may have arrived (the forwarder cannot tell a lost message from a slow
            // owner): sent again, a late copy could write the value next to newer writes.
            assertThat(took).isLessThan(REPLICA_TIMEOUT.plusMillis(100));
            assertThat(failure(cluster, put)).isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("did not take the write on within 500 ms")
                    .hasMessageContaining("may or may not have been written");
            assertThat(cluster.node(outsider).coordinator().forwarded()).isEqualTo(1);
        });
    }

    @Test
    void killingAnOwnerFailsWhatWasInFlightToItAtOnceAndLaterWritesGoAroundIt() {
        Simulation.run(194, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId outsider = nonPrimary(cluster, "k");
            NodeId killed = owners.get(0);
            // Nobody has noticed yet: the forward goes to the first owner, which is already dead.
            cluster.kill(killed);
            assertThat(cluster.node(outsider).unreachablePeers()).doesNotContain(killed);
            CompletableFuture<PutResult> inFlight = cluster.client("c").put(outsider, NS, bytes("k"),
                    VersionVector.empty(), bytes("v0"), DEFAULTS);
            // A reset connection, not a timeout: a few link latencies. The forward was out, so
            // it may have arrived: the write fails, saying so, rather than being sent twice.
            assertThat(timed(cluster, inFlight)).isLessThan(Duration.ofMillis(50));
            assertThat(failure(cluster, inFlight)).isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("lost its connection").hasMessageContaining("may or may not");
            assertThat(cluster.node(outsider).unreachablePeers()).contains(killed);

            // From now on the killed owner is routed around: writes and R=2 reads succeed at once.
            CompletableFuture<PutResult> put = cluster.client("c").put(outsider, NS, bytes("k"), VersionVector.empty(),
                    bytes("v"), DEFAULTS);
            assertThat(timed(cluster, put)).isLessThan(Duration.ofMillis(50));
            assertThat(put).isCompleted();
            CompletableFuture<GetResult> get = cluster.client("c").get(outsider, NS, bytes("k"), R2);
            assertThat(timed(cluster, get)).isLessThan(Duration.ofMillis(50));
            assertThat(get.join().contents()).extracting(ScenarioTest::text).containsExactly("v");
            assertThat(hintsFor(cluster, killed)).isEqualTo(1);
        });
    }

    @Test
    void aForwardWhoseOwnerDiesAfterTakingItOnFailsSayingItMayHaveBeenWritten() {
        Simulation.run(196, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId outsider = nonPrimary(cluster, "k");
            NodeId first = owners.get(0);
            // The first owner takes the write on and replicates it, but its answer never arrives.
            sim.network().filters().from(first).to(outsider).type(Message.CoordinatePutReply.class).drop();
            CompletableFuture<PutResult> put = cluster.client("c").put(outsider, NS, bytes("k"), VersionVector.empty(),
                    bytes("v"), DEFAULTS);
            sim.scheduler().runUntil(() -> stored(cluster, owners.get(1), "k").values().size() == 1,
                    Duration.ofSeconds(1));
            cluster.kill(first);

            assertThat(failure(cluster, put)).isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("took it on, then lost its connection")
                    .hasMessageContaining("may or may not have been written");
            // Not sent twice; and it was written: a read finds it.
            assertThat(cluster.node(outsider).coordinator().forwarded()).isEqualTo(1);
            GetResult got = await(cluster, cluster.client("c").get(outsider, NS, bytes("k"), R2));
            assertThat(got.contents()).extracting(ScenarioTest::text).containsExactly("v");
        });
    }

    @Test
    void anOwnerWronglyRoutedAroundIsAskedAnywayWhenNoFallbackCanStandIn() {
        Simulation.run(197, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(3)); // no fallbacks at all
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId via = owners.get(0);
            NodeId wronged = owners.get(1);
            // One lost message makes the coordinator route around a healthy owner for a while.
            var filter = sim.network().filters().from(via).to(wronged).type(Message.ReplicaWrite.class).drop();
            await(cluster, cluster.client("c").put(via, NS, bytes("k"), VersionVector.empty(), bytes("v"), DEFAULTS));
            sim.scheduler().runFor(REPLICA_TIMEOUT.plusMillis(10));
            filter.off();
            assertThat(cluster.node(via).unreachablePeers()).contains(wronged);

            PutResult put = await(cluster, cluster.client("c").put(via, NS, bytes("k"), VersionVector.empty(),
                    bytes("w"), W3));
            assertThat(put.receipt().acknowledged()).contains(wronged).hasSize(3);
            GetResult got = await(cluster, cluster.client("c").get(via, NS, bytes("k"),
                    RequestOptions.parse(Map.of("r", "3"))));
            assertThat(got.contents()).extracting(ScenarioTest::text).contains("w");
        });
    }

    @Test
    void aNodeThatKnowsTooFewNodesAnswersUnavailableNotInvalid() {
        Simulation.run(195, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(1));
            NodeId only = cluster.ids().get(0);
            Throwable e = failure(cluster, cluster.client("c").put(only, NS, bytes("k"), VersionVector.empty(),
                    bytes("v"), DEFAULTS));
            assertThat(e).isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("bucket 'carts' has n=3")
                    .hasMessageContaining("retry");
            Throwable read = failure(cluster, cluster.client("c").get(only, NS, bytes("k"), DEFAULTS));
            assertThat(read).isInstanceOf(UnavailableException.class);
        });
    }
}

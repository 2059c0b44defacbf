package io.dynamo.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.PreferenceList;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.coordinator.ConflictMode;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.InsufficientReplicasException;
import io.dynamo.server.coordinator.InvalidRequestException;
import io.dynamo.server.coordinator.NamespaceProperties;
import io.dynamo.server.coordinator.OverloadedException;
import io.dynamo.server.coordinator.PutResult;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.server.coordinator.UnavailableException;
import io.dynamo.server.transport.Message;
import io.dynamo.testkit.Simulation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Short stories about the request paths, each on a simulated five-node cluster. */
class ScenarioTest {

    static final String NS = "carts";
    static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Content c) {
        return new String(c.value(), StandardCharsets.UTF_8);
    }

    /** Runs the simulation until {@code f} completes (or 30 virtual seconds pass) and returns its outcome. */
    static <T> T await(SimCluster cluster, CompletableFuture<T> f) {
        cluster.sim().scheduler().runUntil(f::isDone, Duration.ofSeconds(30));
        assertThat(f).as("request answered").isDone();
        return f.join();
    }

    static Throwable failure(SimCluster cluster, CompletableFuture<?> f) {
        cluster.sim().scheduler().runUntil(f::isDone, Duration.ofSeconds(30));
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    static PreferenceList preferenceList(SimCluster cluster, String key) {
        return cluster.ring().preferenceList(StoredKey.of(NS, bytes(key)).token(), 3);
    }

    static Siblings<Content> stored(SimCluster cluster, NodeId node, String key) {
        StoredKey k = StoredKey.of(NS, bytes(key));
        return cluster.engine(node).get(cluster.ring().partitionOf(k.token()), k);
    }

    static NodeId nonPrimary(SimCluster cluster, String key) {
        List<NodeId> primaries = preferenceList(cluster, key).primaries();
        return cluster.ids().stream().filter(id -> !primaries.contains(id)).findFirst().orElseThrow();
    }

    @Test
    void aPutIsReadBackFromAnyNode() {
        Simulation.run(1, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient client = cluster.client("c");
            PutResult put = await(cluster, client.put(NodeId.of("n1"), NS, bytes("k"), VersionVector.empty(),
                    bytes("hello"), DEFAULTS));
            assertThat(put.receipt().acknowledged()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(put.receipt().usedFallbacks()).isFalse();
            for (NodeId via : cluster.ids()) {
                GetResult got = await(cluster, client.get(via, NS, bytes("k"), DEFAULTS));
                assertThat(got.contents()).extracting(ScenarioTest::text).containsExactly("hello");
                assertThat(got.context()).isEqualTo(put.context());
            }
            cluster.sim().scheduler().runFor(Duration.ofSeconds(1));
            for (NodeId owner : preferenceList(cluster, "k").primaries()) {
                assertThat(stored(cluster, owner, "k").values()).hasSize(1);
            }
        });
    }

    @Test
    void aPutReceivedByANodeOutsideTheTopNIsForwardedToAnOwner() {
        Simulation.run(2, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            NodeId outsider = nonPrimary(cluster, "k");
            PutResult put = await(cluster, cluster.client("c").put(outsider, NS, bytes("k"), VersionVector.empty(),
                    bytes("v"), DEFAULTS));
            assertThat(cluster.node(outsider).coordinator().forwarded()).isEqualTo(1);
            assertThat(put.receipt().acknowledged()).doesNotContain(outsider)
                    .isSubsetOf(preferenceList(cluster, "k").primaries());
            assertThat(stored(cluster, outsider, "k").isEmpty()).isTrue();
        });
    }

    @Test
    void wTwoPutsSucceedWithOneOfThreeOwnersDownAndAFallbackTakesItsPlace() {
        Simulation.run(3, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient client = cluster.client("c");
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            cluster.crash(owners.get(2));

            // The first put still sends to the crashed owner, times out on it, and succeeds with two.
            PutResult first = await(cluster, client.put(owners.get(0), NS, bytes("k"), VersionVector.empty(),
                    bytes("one"), DEFAULTS));
            assertThat(first.receipt().acknowledged()).hasSize(2);
            sim.scheduler().runFor(Duration.ofSeconds(1));
            assertThat(cluster.node(owners.get(0)).unreachablePeers()).contains(owners.get(2));

            // Now the coordinator routes around it: a fallback holds a hint for it.
            PutResult second = await(cluster, client.put(owners.get(0), NS, bytes("k"), first.context(),
                    bytes("two"), DEFAULTS));
            sim.scheduler().runFor(Duration.ofMillis(100));
            NodeId fallback = preferenceList(cluster, "k").fallbacks().get(0);
            assertThat(cluster.engine(fallback).hints().get(owners.get(2), StoredKey.of(NS, bytes("k")))).isPresent();
            assertThat(second.receipt().acknowledged()).hasSizeGreaterThanOrEqualTo(2);

            GetResult got = await(cluster, client.get(owners.get(1), NS, bytes("k"), DEFAULTS));
            assertThat(got.contents()).extracting(ScenarioTest::text).containsExactly("two");
        });
    }

    @Test
    void hintsAreDeliveredAfterTheOwnerComesBackAndThenDeleted() {
        Simulation.run(4, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient client = cluster.client("c");
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId away = owners.get(1);
            Set<NodeId> rest = new TreeSet<>(cluster.ids());
            rest.remove(away);
            sim.network().partition(Set.of(away), rest);
            // The first write times out on the owner that is away, which teaches the coordinator
            // to route around it: the second goes to a fallback with a hint, and even W=3 succeeds
            // because the fallback's acknowledgement counts (sloppy quorum).
            PutResult first = await(cluster, client.put(owners.get(0), NS, bytes("k"), VersionVector.empty(),
                    bytes("first"), DEFAULTS));
            assertThat(first.receipt().usedFallbacks()).isFalse();
            sim.scheduler().runFor(Duration.ofSeconds(1));
            PutResult put = await(cluster, client.put(owners.get(0), NS, bytes("k"), first.context(),
                    bytes("while away"), RequestOptions.parse(Map.of("w", "3"))));
            assertThat(put.receipt().acknowledged()).hasSize(3);
            assertThat(put.receipt().usedFallbacks()).isTrue();
            assertThat(put.receipt().fallbacks()).containsValue(away);
            assertThat(stored(cluster, away, "k").isEmpty()).isTrue();

            sim.network().heal();
            sim.scheduler().runFor(Duration.ofSeconds(10));

            assertThat(stored(cluster, away, "k").values()).extracting(v -> text(v.value())).containsExactly("while away");
            for (NodeId id : cluster.ids()) {
                assertThat(cluster.engine(id).hints().countsByTarget()).as("hints on " + id).isEmpty();
            }
        });
    }

    @Test
    void readRepairFixesAReplicaThatMissedAWrite() {
        Simulation.run(5, sim -> {
            // Anti-entropy off, so that the read is what repairs; three nodes, so that no fallback
            // can take the missed write with a hint (that would repair the replica first).
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(3)
                    .withConfig(c -> c.withAntiEntropyInterval(Duration.ofHours(1))));
            SimClient client = cluster.client("c");
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId stale = owners.get(2);
            var filter = sim.network().filters().to(stale).type(Message.ReplicaWrite.class).drop();
            await(cluster, client.put(owners.get(0), NS, bytes("k"), VersionVector.empty(), bytes("v"), DEFAULTS));
            sim.scheduler().runFor(Duration.ofSeconds(2));
            filter.off();
            assertThat(stored(cluster, stale, "k").isEmpty()).isTrue();
            sim.network().heal();
            // The stale replica was marked unreachable by the timeouts; let the prober bring it back.
            sim.scheduler().runFor(Duration.ofSeconds(2));

            RequestOptions allThree = RequestOptions.parse(Map.of("r", "3"));
            GetResult got = await(cluster, client.get(owners.get(0), NS, bytes("k"), allThree));
            assertThat(got.contents()).extracting(ScenarioTest::text).containsExactly("v");
            sim.scheduler().runFor(Duration.ofSeconds(2));
            assertThat(stored(cluster, stale, "k").values()).extracting(v -> text(v.value())).containsExactly("v");
            assertThat(cluster.node(owners.get(0)).coordinator().readRepairs()).isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void cartAddsOnBothSidesOfAPartitionAllSurviveAndMerge() {
        Simulation.run(6, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            List<NodeId> owners = preferenceList(cluster, "cart").primaries();
            Set<NodeId> left = new TreeSet<>(List.of(owners.get(0)));
            left.add(nonPrimary(cluster, "cart"));
            Set<NodeId> right = new TreeSet<>(cluster.ids());
            right.removeAll(left);
            SimClient alice = cluster.client("alice");
            SimClient bob = cluster.client("bob");
            await(cluster, alice.put(owners.get(0), NS, bytes("cart"), VersionVector.empty(), bytes("milk"), DEFAULTS));
            sim.scheduler().runFor(Duration.ofSeconds(1));

            sim.network().partition(left, right);
            // Each side reads the cart, adds an item, writes back with the context it read (W=1:
            // the left side has only one owner).
            RequestOptions one = RequestOptions.parse(Map.of("r", "1", "w", "1"));
            addItem(cluster, alice, owners.get(0), "eggs", one);
            addItem(cluster, bob, owners.get(1), "bread", one);
            sim.scheduler().runFor(Duration.ofSeconds(2));
            sim.network().heal();
            sim.scheduler().runFor(Duration.ofSeconds(10));

            GetResult got = await(cluster, alice.get(owners.get(2), NS, bytes("cart"),
                    RequestOptions.parse(Map.of("r", "3"))));
            assertThat(got.values()).as("the two sides' writes are concurrent: siblings").hasSize(2);
            Set<String> union = new TreeSet<>();
            got.contents().forEach(c -> union.addAll(List.of(text(c).split(","))));
            assertThat(union).containsExactlyInAnyOrder("milk", "eggs", "bread");

            // Writing the union back with the context resolves the siblings.
            await(cluster, alice.put(owners.get(0), NS, bytes("cart"), got.context(),
                    bytes(String.join(",", union)), DEFAULTS));
            GetResult resolved = await(cluster, bob.get(owners.get(1), NS, bytes("cart"), DEFAULTS));
            assertThat(resolved.contents()).extracting(ScenarioTest::text).containsExactly("bread,eggs,milk");
        });
    }

    private static void addItem(SimCluster cluster, SimClient client, NodeId via, String item, RequestOptions opts) {
        GetResult cart = await(cluster, client.get(via, NS, bytes("cart"), opts));
        Set<String> items = new TreeSet<>();
        cart.contents().forEach(c -> items.addAll(List.of(text(c).split(","))));
        items.add(item);
        await(cluster, client.put(via, NS, bytes("cart"), cart.context(), bytes(String.join(",", items)), opts));
    }

    @Test
    void inLwwModeConcurrentWritesAreLostAndTheLossIsCounted() {
        // Twenty pairs of concurrent blind writes, each pair through two different coordinators,
        // once in siblings mode and once in lww mode: count the acknowledged writes a read with
        // R=N no longer shows.
        assertThat(lostToConcurrentWrites(ConflictMode.SIBLINGS)).as("siblings mode keeps both").isZero();
        int lost = lostToConcurrentWrites(ConflictMode.LWW);
        assertThat(lost).as("lww keeps one of each pair: the other acknowledged write is lost").isEqualTo(20);
    }

    private static int lostToConcurrentWrites(ConflictMode mode) {
        int[] lost = new int[1];
        Simulation.run(7, sim -> {
            NamespaceProperties props = NamespaceProperties.DEFAULTS.with(Map.of("conflict_mode", mode.toString()));
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5).withConfig(c -> c.withNamespace(NS, props)));
            SimClient client = cluster.client("c");
            for (int i = 0; i < 20; i++) {
                String key = "k" + i;
                List<NodeId> o = preferenceList(cluster, key).primaries();
                // The second writer's clock is ahead, so in lww mode its value is the newer one.
                sim.scheduler().setClockOffset(o.get(0), Duration.ZERO);
                CompletableFuture<PutResult> a = client.put(o.get(0), NS, bytes(key), VersionVector.empty(),
                        bytes("a" + i), DEFAULTS);
                sim.scheduler().setClockOffset(o.get(1), Duration.ofSeconds(1));
                CompletableFuture<PutResult> b = client.put(o.get(1), NS, bytes(key), VersionVector.empty(),
                        bytes("b" + i), DEFAULTS);
                await(cluster, a);
                await(cluster, b);
                GetResult got = await(cluster, client.get(o.get(2), NS, bytes(key),
                        RequestOptions.parse(Map.of("r", "3"))));
                Set<String> visible = new TreeSet<>();
                got.contents().forEach(c -> visible.add(text(c)));
                if (mode == ConflictMode.LWW) {
                    assertThat(visible).as("the newest write wins").containsExactly("b" + i);
                }
                for (String written : List.of("a" + i, "b" + i)) {
                    if (!visible.contains(written)) {
                        lost[0]++;
                    }
                }
            }
        });
        return lost[0];
    }

    @Test
    void pastTheInFlightLimitRequestsFailWithOverloadNotAQueue() {
        Simulation.run(8, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5).withConfig(c -> c.withMaxInFlight(2)));
            SimClient client = cluster.client("c");
            NodeId via = NodeId.of("n1");
            List<CompletableFuture<GetResult>> gets = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                gets.add(client.get(via, NS, bytes("k" + i), DEFAULTS));
            }
            assertThat(failure(cluster, gets.get(2))).isInstanceOf(OverloadedException.class);
            assertThat(await(cluster, gets.get(0)).isFound()).isFalse();
            assertThat(await(cluster, gets.get(1)).isFound()).isFalse();
            // Answered, but each get still counts while it waits for stragglers and repairs.
            sim.scheduler().runFor(Duration.ofSeconds(2));
            assertThat(cluster.node(via).coordinator().inFlight()).isZero();
        });
    }

    @Test
    void badRequestsGetAClearErrorAndChangeNothing() {
        Simulation.run(9, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient client = cluster.client("c");
            NodeId via = NodeId.of("n1");
            Throwable bigValue = failure(cluster, client.put(via, NS, bytes("k"), VersionVector.empty(),
                    new byte[5 * 1024 * 1024 + 1], DEFAULTS));
            assertThat(bigValue).isInstanceOf(InvalidRequestException.class).hasMessageContaining("limit");
            Throwable badNamespace = failure(cluster, client.get(via, "no spaces allowed", bytes("k"), DEFAULTS));
            assertThat(badNamespace).isInstanceOf(InvalidRequestException.class).hasMessageContaining("bucket name");
            Throwable badW = failure(cluster, client.put(via, NS, bytes("k"), VersionVector.empty(), bytes("v"),
                    RequestOptions.parse(Map.of("w", "4"))));
            assertThat(badW).isInstanceOf(InvalidRequestException.class).hasMessageContaining("w must be");
            Throwable emptyKey = failure(cluster, client.get(via, NS, new byte[0], DEFAULTS));
            assertThat(emptyKey).isInstanceOf(InvalidRequestException.class).hasMessageContaining("empty");
            sim.scheduler().runFor(Duration.ofSeconds(1));
            for (NodeId id : cluster.ids()) {
                assertThat(stored(cluster, id, "k").isEmpty()).isTrue();
            }
        });
    }

    @Test
    void aWriteFailsWithTheCountReachedWhenTooFewReplicasAnswer() {
        Simulation.run(10, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(3));
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            cluster.crash(owners.get(1));
            cluster.crash(owners.get(2));
            Throwable e = failure(cluster, cluster.client("c").put(owners.get(0), NS, bytes("k"),
                    VersionVector.empty(), bytes("v"), DEFAULTS));
            assertThat(e).isInstanceOfSatisfying(InsufficientReplicasException.class, i -> {
                assertThat(i.required()).isEqualTo(2);
                assertThat(i.achieved()).isEqualTo(1);
                assertThat(i.failures()).containsKeys(owners.get(1), owners.get(2));
            });
        });
    }

    @Test
    void aWriteToAKeyWhoseOwnersAreAllUnreachableIsUnavailable() {
        Simulation.run(11, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId outsider = nonPrimary(cluster, "k");
            Set<NodeId> rest = new TreeSet<>(cluster.ids());
            rest.remove(outsider);
            sim.network().partition(Set.of(outsider), rest);
            Throwable first = failure(cluster, cluster.client("c").put(outsider, NS, bytes("k"),
                    VersionVector.empty(), bytes("v"), RequestOptions.parse(Map.of("timeout_ms", "1000"))));
            // The first owner did not take the write on within the replica timeout; the forward may
            // have arrived, so it is not sent to another owner, and the message says so.
            assertThat(first).isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("forwarded to " + owners.get(0) + ", which did not take the write on")
                    .hasMessageContaining("may or may not have been written");
            assertThat(cluster.node(outsider).unreachablePeers()).contains(owners.get(0));
        });
    }

    @Test
    void aDeleteHidesTheValueButItsContextLetsALaterPutSupersedeIt() {
        Simulation.run(12, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient client = cluster.client("c");
            NodeId via = preferenceList(cluster, "k").primaries().get(0);
            PutResult put = await(cluster, client.put(via, NS, bytes("k"), VersionVector.empty(), bytes("v"), DEFAULTS));
            PutResult deleted = await(cluster, client.delete(via, NS, bytes("k"), put.context(), DEFAULTS));
            GetResult afterDelete = await(cluster, client.get(via, NS, bytes("k"), DEFAULTS));
            assertThat(afterDelete.isFound()).isFalse();
            assertThat(afterDelete.context()).isEqualTo(deleted.context());
            await(cluster, client.put(via, NS, bytes("k"), afterDelete.context(), bytes("again"), DEFAULTS));
            GetResult again = await(cluster, client.get(via, NS, bytes("k"), RequestOptions.parse(Map.of("r", "3"))));
            assertThat(again.contents()).extracting(ScenarioTest::text).containsExactly("again");
        });
    }

    @Test
    void aRestartedNodeWritesUnderANewIncarnation() {
        Simulation.run(13, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(3));
            NodeId n1 = NodeId.of("n1");
            long before = cluster.node(n1).actor().incarnation();
            cluster.crash(n1);
            cluster.restart(n1);
            assertThat(cluster.node(n1).actor().incarnation()).isEqualTo(before + 1);
        });
    }

    @Test
    void aDuplicatedForwardedPutIsCoordinatedOnceAndMakesNoSibling() {
        Simulation.run(14, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            NodeId outsider = nonPrimary(cluster, "k");
            var dup = sim.network().filters().type(Message.CoordinatePut.class).duplicate();
            PutResult put = await(cluster, cluster.client("c").put(outsider, NS, bytes("k"), VersionVector.empty(),
                    bytes("once"), DEFAULTS));
            sim.scheduler().runFor(Duration.ofSeconds(2));
            dup.off();
            assertThat(dup.matched()).isEqualTo(1);
            assertThat(put.values()).hasSize(1);
            GetResult got = await(cluster, cluster.client("c").get(outsider, NS, bytes("k"),
                    RequestOptions.parse(Map.of("r", "3"))));
            assertThat(got.values()).hasSize(1);
            long dropped = 0;
            for (NodeId id : cluster.ids()) {
                dropped += cluster.node(id).coordinator().duplicateForwards();
            }
            assertThat(dropped).isEqualTo(1);
        });
    }

    @Test
    void aHintWhoseAcknowledgementIsLostIsKeptAndDeliveredAgain() {
        Simulation.run(15, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient client = cluster.client("c");
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId away = owners.get(1);
            cluster.crash(away);
            await(cluster, client.put(owners.get(0), NS, bytes("k"), VersionVector.empty(), bytes("first"), DEFAULTS));
            sim.scheduler().runFor(Duration.ofSeconds(1));
            await(cluster, client.put(owners.get(0), NS, bytes("k"), VersionVector.empty(), bytes("hinted"),
                    RequestOptions.parse(Map.of("w", "3"))));
            NodeId fallback = preferenceList(cluster, "k").fallbacks().get(0);
            StoredKey k = StoredKey.of(NS, bytes("k"));
            assertThat(cluster.engine(fallback).hints().get(away, k)).isPresent();

            // The owner comes back, but its acknowledgements of hint deliveries are lost.
            var lostAcks = sim.network().filters().from(away).type(Message.HintDeliveryReply.class).drop();
            cluster.restart(away);
            sim.scheduler().runFor(Duration.ofSeconds(3));
            assertThat(lostAcks.matched()).isPositive();
            assertThat(stored(cluster, away, "k").values()).as("delivered").isNotEmpty();
            assertThat(cluster.engine(fallback).hints().get(away, k)).as("kept: no acknowledgement").isPresent();

            lostAcks.off();
            sim.scheduler().runFor(Duration.ofSeconds(10));
            assertThat(cluster.engine(fallback).hints().get(away, k)).as("deleted once acknowledged").isEmpty();
            assertThat(cluster.node(fallback).handoff().delivered()).isEqualTo(1);
        });
    }

    @Test
    void aNodeThatLostItsDiskComesBackUnderAFreshActorAndLosesNoNewWrite() {
        Simulation.run(16, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient client = cluster.client("c");
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId wiped = owners.get(0);
            var before = cluster.node(wiped).actor();
            PutResult first = await(cluster, client.put(wiped, NS, bytes("k"), VersionVector.empty(), bytes("old"),
                    RequestOptions.parse(Map.of("w", "3"))));
            assertThat(first.values()).hasSize(1);
            cluster.wipe(wiped);
            cluster.restart(wiped);
            assertThat(cluster.node(wiped).actor()).isNotEqualTo(before);
            // A blind write through the wiped node: with the old actor it would reuse the old
            // write's dot, and the other owners would take it for the write they already have.
            await(cluster, client.put(wiped, NS, bytes("k"), VersionVector.empty(), bytes("new"), DEFAULTS));
            GetResult got = await(cluster, client.get(owners.get(1), NS, bytes("k"),
                    RequestOptions.parse(Map.of("r", "3"))));
            Set<String> values = new TreeSet<>();
            got.contents().forEach(c -> values.add(text(c)));
            assertThat(values).containsExactly("new", "old");
        });
    }

    @Test
    void aPutWaitsForItsDurableWriterOnASlowDisk() {
        Simulation.run(17, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            NodeId coordinator = preferenceList(cluster, "k").primaries().get(0);
            cluster.setSyncDelay(coordinator, Duration.ofMillis(300));
            long start = sim.scheduler().nowNanos();
            PutResult put = await(cluster, cluster.client("c").put(coordinator, NS, bytes("k"),
                    VersionVector.empty(), bytes("v"), DEFAULTS));
            assertThat(Duration.ofNanos(sim.scheduler().nowNanos() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(put.receipt().durable()).isEqualTo(1);
            assertThat(put.receipt().acknowledged()).contains(coordinator);

            // DW per request: two durable writers, or none (fully buffered, the caller's choice).
            PutResult two = await(cluster, cluster.client("c").put(coordinator, NS, bytes("k2"),
                    VersionVector.empty(), bytes("v"), RequestOptions.parse(Map.of("w", "3", "dw", "2"))));
            assertThat(two.receipt().durable()).isEqualTo(2);
            PutResult none = await(cluster, cluster.client("c").put(coordinator, NS, bytes("k3"),
                    VersionVector.empty(), bytes("v"), RequestOptions.parse(Map.of("w", "3", "dw", "0"))));
            assertThat(none.receipt().durable()).isZero();
        });
    }

    @Test
    void aTombstoneAcknowledgedByEveryOwnerIsPurgedAfterTheGrace() {
        Simulation.run(18, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient client = cluster.client("c");
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            PutResult put = await(cluster, client.put(owners.get(0), NS, bytes("k"), VersionVector.empty(), bytes("v"),
                    RequestOptions.parse(Map.of("w", "3"))));
            await(cluster, client.delete(owners.get(0), NS, bytes("k"), put.context(), RequestOptions.parse(Map.of("w", "3"))));
            for (NodeId owner : owners) {
                assertThat(stored(cluster, owner, "k").values()).as("tombstone on " + owner).hasSize(1);
            }
            sim.scheduler().runFor(Duration.ofSeconds(4)); // the simulator's grace is 2 s
            for (NodeId owner : owners) {
                assertThat(stored(cluster, owner, "k").isEmpty()).as("purged on " + owner).isTrue();
            }
            assertThat(cluster.node(owners.get(0)).coordinator().purgesStarted()).isEqualTo(1);
            assertThat(await(cluster, client.get(owners.get(1), NS, bytes("k"), DEFAULTS)).isFound()).isFalse();
        });
    }

    @Test
    void aStaleHintCannotBringDeletedDataBackAndTheKeptTombstoneIsPurgedOnceTheOwnersAreInSync() {
        Simulation.run(19, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient client = cluster.client("c");
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId coordinator = owners.get(0);
            NodeId stale = owners.get(2);
            NodeId fallback = preferenceList(cluster, "k").fallbacks().get(0);

            // The owner is down while the value is written: a fallback keeps it as a hint, and
            // cannot deliver it (its link to the owner stays cut after the owner returns).
            cluster.crash(stale);
            PutResult first = await(cluster, client.put(coordinator, NS, bytes("k"), VersionVector.empty(),
                    bytes("deleted soon"), DEFAULTS));
            sim.scheduler().runFor(Duration.ofSeconds(1));
            PutResult put = await(cluster, client.put(coordinator, NS, bytes("k"), first.context(),
                    bytes("deleted soon"), RequestOptions.parse(Map.of("w", "3"))));
            assertThat(put.receipt().fallbacks()).containsEntry(fallback, stale);
            sim.network().block(fallback, stale);
            cluster.restart(stale);
            sim.scheduler().runFor(Duration.ofSeconds(3)); // the coordinator's prober finds the owner again
            assertThat(cluster.node(coordinator).unreachablePeers()).doesNotContain(stale);

            // Every owner acknowledges the delete, but the fallback still holds the old value.
            GetResult read = await(cluster, client.get(coordinator, NS, bytes("k"), DEFAULTS));
            PutResult deleted = await(cluster, client.delete(coordinator, NS, bytes("k"), read.context(),
                    RequestOptions.parse(Map.of("w", "3"))));
            assertThat(deleted.receipt().usedFallbacks()).isFalse();
            sim.scheduler().runFor(Duration.ofSeconds(4));
            assertThat(cluster.node(coordinator).coordinator().tombstonesKept()).as("purge refused").isEqualTo(1);
            assertThat(stored(cluster, stale, "k").isEmpty()).as("the tombstone is kept").isFalse();

            // The hint finally arrives; the tombstone covers it, so the value stays deleted.
            sim.network().unblock(fallback, stale);
            sim.scheduler().runFor(Duration.ofSeconds(10));
            assertThat(cluster.engine(fallback).hints().countsByTarget()).isEmpty();
            GetResult after = await(cluster, client.get(coordinator, NS, bytes("k"), RequestOptions.parse(Map.of("r", "3"))));
            assertThat(after.isFound()).as("deleted data stays deleted").isFalse();

            // Anti-entropy then finds the owners in sync, and the first owner's sweep purges the
            // tombstone the delete had to keep.
            sim.scheduler().runFor(Duration.ofSeconds(40));
            for (NodeId owner : owners) {
                assertThat(stored(cluster, owner, "k").isEmpty()).as("purged on " + owner).isTrue();
            }
            assertThat(cluster.node(coordinator).reaper().purged()).isEqualTo(1);
            assertThat(await(cluster, client.get(owners.get(1), NS, bytes("k"), RequestOptions.parse(Map.of("r", "3"))))
                    .isFound()).isFalse();
        });
    }

    @Test
    void aWriteAfterAPurgeIsNeverMistakenForTheDeletedOne() {
        Simulation.run(20, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient alice = cluster.client("alice");
            SimClient bob = cluster.client("bob");
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId coordinator = owners.get(0);
            RequestOptions all = RequestOptions.parse(Map.of("r", "3", "w", "3"));
            PutResult v = await(cluster, alice.put(coordinator, NS, bytes("k"), VersionVector.empty(), bytes("v"), all));
            GetResult aliceRead = await(cluster, alice.get(coordinator, NS, bytes("k"), all)); // kept for later
            await(cluster, bob.delete(coordinator, NS, bytes("k"), v.context(), all));
            // One owner never gets its purge: it keeps the tombstone, which read repair spreads back.
            var lostPurge = sim.network().filters().to(owners.get(2)).type(Message.Purge.class).drop();
            sim.scheduler().runFor(Duration.ofSeconds(4));
            assertThat(lostPurge.matched()).isEqualTo(1);
            // (Anti-entropy may already have spread that tombstone back to the others.)
            assertThat(stored(cluster, owners.get(2), "k").isEmpty()).isFalse();

            // Bob writes the key anew through the same coordinator, which forgot its old dots...
            await(cluster, bob.put(coordinator, NS, bytes("k"), VersionVector.empty(), bytes("bob"), all));
            // ...and Alice writes with the context she read before the delete.
            await(cluster, alice.put(owners.get(1), NS, bytes("k"), aliceRead.context(), bytes("alice"), all));

            GetResult got = await(cluster, bob.get(owners.get(2), NS, bytes("k"), all));
            Set<String> values = new TreeSet<>();
            got.contents().forEach(c -> values.add(text(c)));
            assertThat(values).as("neither acknowledged write is swallowed by an old dot or context")
                    .containsExactly("alice", "bob");
        });
    }

    @Test
    void antiEntropyRepairsAReplicaThatSilentlyLostAKeyWithoutAnyRead() {
        Simulation.run(21, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            await(cluster, cluster.client("c").put(owners.get(0), NS, bytes("k"), VersionVector.empty(), bytes("v"),
                    RequestOptions.parse(Map.of("w", "3"))));
            StoredKey k = StoredKey.of(NS, bytes("k"));
            int partition = cluster.ring().partitionOf(k.token());
            NodeId victim = owners.get(2);
            assertThat(cluster.engine(victim).removeIfUnchanged(partition, k, stored(cluster, victim, "k"))).isTrue();
            assertThat(stored(cluster, victim, "k").isEmpty()).isTrue();

            sim.scheduler().runFor(Duration.ofSeconds(20));

            assertThat(stored(cluster, victim, "k")).isEqualTo(stored(cluster, owners.get(0), "k"));
            long repaired = 0;
            for (NodeId id : owners) {
                repaired += cluster.node(id).antiEntropy().keysRepaired();
            }
            assertThat(repaired + cluster.node(victim).replicas().writes()).isPositive();
            assertThat(cluster.node(victim).antiEntropy().lastSync(partition, owners.get(0))
                    .or(() -> cluster.node(owners.get(0)).antiEntropy().lastSync(partition, victim))).isPresent();
        });
    }

    @Test
    void aNodeReplacedWithAnEmptyDiskIsRepopulatedByAntiEntropyAlone() {
        Simulation.run(22, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            SimClient client = cluster.client("c");
            RequestOptions all = RequestOptions.parse(Map.of("w", "3"));
            for (int i = 0; i < 40; i++) {
                NodeId via = preferenceList(cluster, "k" + i).primaries().get(0);
                await(cluster, client.put(via, NS, bytes("k" + i), VersionVector.empty(), bytes("v" + i), all));
            }
            NodeId replaced = NodeId.of("n3");
            cluster.wipe(replaced);
            cluster.restart(replaced);
            sim.scheduler().runFor(Duration.ofSeconds(30)); // no reads at all

            int owned = 0;
            for (int i = 0; i < 40; i++) {
                List<NodeId> owners = preferenceList(cluster, "k" + i).primaries();
                if (owners.contains(replaced)) {
                    owned++;
                    NodeId other = owners.stream().filter(o -> !o.equals(replaced)).findFirst().orElseThrow();
                    assertThat(stored(cluster, replaced, "k" + i)).as("k" + i).isEqualTo(stored(cluster, other, "k" + i));
                }
            }
            assertThat(owned).isPositive();
        });
    }

    @Test
    void anOperatorsLeaveSpreadsByGossipAndSurvivesRestarts() {
        Simulation.run(23, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            NodeId leaver = NodeId.of("n5");
            await(cluster, cluster.node(NodeId.of("n2")).leave(leaver));
            sim.scheduler().runFor(Duration.ofSeconds(10));
            for (NodeId id : cluster.ids()) {
                var state = cluster.node(id).clusterState().orElseThrow();
                assertThat(state.statuses()).as("view of " + id)
                        .containsEntry(leaver, io.dynamo.core.membership.MemberStatus.LEFT);
                assertThat(state.ring().epoch()).as("ring of " + id).isEqualTo(cluster.ring().epoch() + 1);
                assertThat(state.ring().members()).extracting(io.dynamo.core.ring.Member::id).doesNotContain(leaver);
            }
            // A node that restarts finds the new state on its disk before it gossips at all.
            NodeId restarted = NodeId.of("n3");
            cluster.crash(restarted);
            cluster.restart(restarted);
            var state = cluster.node(restarted).clusterState().orElseThrow();
            assertThat(state.statuses()).containsEntry(leaver, io.dynamo.core.membership.MemberStatus.LEFT);
            assertThat(state.ring().epoch()).isEqualTo(cluster.ring().epoch() + 1);
            assertThat(state.member(restarted).orElseThrow().generation())
                    .as("a restart is a new generation").isGreaterThan(1);
        });
    }

    @Test
    void aNewNodeThatKnowsOnlyTheSeedsJoinsAndTheClaimantGivesItPartitions() {
        Simulation.run(24, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            NodeId joiner = NodeId.of("n6");
            cluster.join(joiner, "z1");
            assertThat(cluster.node(joiner).clusterState().orElseThrow().ring().epoch()).as("placeholder").isZero();
            sim.scheduler().runFor(Duration.ofSeconds(15));
            for (NodeId id : cluster.ids()) {
                var state = cluster.node(id).clusterState().orElseThrow();
                assertThat(state.statuses()).as("view of " + id)
                        .containsEntry(joiner, io.dynamo.core.membership.MemberStatus.UP);
                assertThat(state.ring().epoch()).as("ring of " + id).isEqualTo(cluster.ring().epoch() + 1);
                assertThat(state.ring().claims()).as("the joiner claims partitions").contains(joiner);
            }
            // Strategy 3 gives the joiner its share: Q/(S+1), rounded.
            long share = cluster.node(joiner).clusterState().orElseThrow().ring().claims().stream()
                    .filter(joiner::equals).count();
            assertThat(share).isBetween(64L / 6, 64L / 6 + 1);
        });
    }
}

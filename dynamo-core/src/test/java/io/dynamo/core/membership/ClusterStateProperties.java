package io.dynamo.core.membership;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.testing.Gens;
import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The cluster state is a join semilattice: whatever replicas did and in whatever order they merge,
 * they agree. States are grown from one bootstrap by random local steps on several replicas
 * (heartbeats, operator status changes, restarts, joins, claimant steps of ring changes, received
 * transfers, namespace settings) with random merges between them.
 */
class ClusterStateProperties {

    static final ClaimStrategy STRATEGY = ClaimStrategy.equalPartitions(64, 3);
    static final List<Integer> NS = List.of(3);

    static ClusterState base() {
        List<Member> members = List.of(Member.of("n1", "z1"), Member.of("n2", "z2"), Member.of("n3", "z3"),
                Member.of("n4", "z1"));
        return ClusterState.bootstrap(members, STRATEGY, RandomSource.seeded(1));
    }

    /** Several replicas' states after {@code steps} random steps and merges. */
    static List<ClusterState> grow(long seed, int replicas, int steps) {
        RandomSource r = RandomSource.seeded(seed);
        List<ClusterState> states = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            states.add(base());
        }
        for (int s = 0; s < steps; s++) {
            int i = r.nextInt(replicas);
            ClusterState st = states.get(i);
            List<NodeId> ids = new ArrayList<>(st.members().keySet());
            NodeId node = ids.get(r.nextInt(ids.size()));
            MemberEntry e = st.members().get(node);
            switch (r.nextInt(9)) {
                case 0 -> st = st.heartbeat(node);
                case 1 -> {
                    if (e.status().ordinal() < MemberStatus.LEFT.ordinal()) {
                        st = st.withStatus(node, MemberStatus.values()[e.status().ordinal() + 1]);
                    }
                }
                case 2 -> st = st.with(new MemberEntry(node, e.zone(), e.address(), e.status(), e.generation() + 1,
                        e.version(), 0)); // a restart
                case 3 -> st = st.with(new MemberEntry(NodeId.of("j" + r.nextInt(3)), "z" + (1 + r.nextInt(3)),
                        "addr", MemberStatus.JOINING, 1, 1, 0));
                case 4 -> {
                    if (st.members().values().stream().anyMatch(m -> m.status().claimsPartitions())) {
                        st = st.step(STRATEGY, NS);
                    }
                }
                case 6 -> {
                    List<NodeId> joiners = st.members().values().stream()
                            .filter(m -> m.status() == MemberStatus.JOINING).map(MemberEntry::id).toList();
                    if (!joiners.isEmpty() && st.ring().contains(node) && e.status() != MemberStatus.LEFT) {
                        st = st.replace(node, joiners.get(r.nextInt(joiners.size())));
                    }
                }
                case 7 -> st = st.withNamespace("ns" + r.nextInt(3), r.nextInt(4) == 0 ? java.util.Map.of()
                        : java.util.Map.of("n", Integer.toString(1 + r.nextInt(5)), "r", "1"), node); // or a reset
                case 5 -> {
                    List<Transfer> todo = new ArrayList<>(st.transfers(NS));
                    todo.removeAll(st.received());
                    // usually mark several at once, so that plans complete and get promoted
                    for (int k = 0; k < 12 && !todo.isEmpty(); k++) {
                        st = st.withReceived(todo.remove(r.nextInt(todo.size())));
                    }
                }
                default -> st = st.merge(states.get(r.nextInt(replicas)));
            }
            states.set(i, st);
        }
        return states;
    }

    /** The seeds that {@link #grow} grows states from. */
    static Gen<Long> seeds() {
        return Gens.longs();
    }

    @Test
    void mergeIsCommutativeAssociativeAndIdempotent() {
        qt(300).forAll(seeds()).checkAssert(seed -> {
            List<ClusterState> s = grow(seed, 3, 40);
            ClusterState a = s.get(0);
            ClusterState b = s.get(1);
            ClusterState c = s.get(2);
            assertThat(a.merge(b)).isEqualTo(b.merge(a));
            assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
            assertThat(a.merge(a)).isEqualTo(a);
            assertThat(a.merge(b).merge(b)).isEqualTo(a.merge(b));
            assertThat(a.merge(b).digest()).isEqualTo(b.merge(a).digest());
        });
    }

    @Test
    void mergingLosesNoMemberAndNeverMovesAStatusBack() {
        qt(200).forAll(seeds()).checkAssert(seed -> {
            List<ClusterState> s = grow(seed, 3, 40);
            ClusterState merged = s.get(0).merge(s.get(1));
            for (ClusterState one : List.of(s.get(0), s.get(1))) {
                one.members().forEach((id, e) -> {
                    MemberEntry m = merged.members().get(id);
                    assertThat(m).isNotNull();
                    assertThat(MemberEntry.PRECEDENCE.compare(m, e)).isGreaterThanOrEqualTo(0);
                    assertThat(m.generation()).isGreaterThanOrEqualTo(e.generation());
                });
                assertThat(merged.ring().epoch()).isGreaterThanOrEqualTo(one.ring().epoch());
            }
        });
    }

    /** Steps and marks every transfer received until the state settles; the states passed through. */
    static List<ClusterState> settle(ClusterState s) {
        List<ClusterState> seen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seen.add(s);
            ClusterState stepped = s.step(STRATEGY, NS);
            for (Transfer t : stepped.transfers(NS)) {
                stepped = stepped.withReceived(t);
            }
            if (stepped.equals(s)) {
                return seen;
            }
            s = stepped;
        }
        throw new AssertionError("did not settle: " + s);
    }

    @Test
    void aRingChangeIsPlannedThenPromotedOnlyOnceEveryTransferIsReceived() {
        ClusterState s = base().with(new MemberEntry(NodeId.of("n5"), "z2", "n5", MemberStatus.JOINING, 1, 1, 0))
                .withStatus(NodeId.of("n2"), MemberStatus.LEAVING);
        assertThat(s.needsRebalance()).isTrue();
        assertThat(s.claimant()).contains(NodeId.of("n1"));

        ClusterState planned = s.step(STRATEGY, NS);
        assertThat(planned.ring()).as("the ring in force stays").isSameAs(s.ring());
        Ring next = planned.next().orElseThrow();
        assertThat(next.epoch()).isEqualTo(s.ring().epoch() + 1);
        assertThat(next.members()).extracting(Member::id).contains(NodeId.of("n5")).doesNotContain(NodeId.of("n2"));
        assertThat(planned.statuses()).containsEntry(NodeId.of("n5"), MemberStatus.JOINING)
                .containsEntry(NodeId.of("n2"), MemberStatus.LEAVING);
        var transfers = planned.transfers(NS);
        assertThat(transfers).isNotEmpty();
        assertThat(transfers).extracting(Transfer::node).contains(NodeId.of("n5")).doesNotContain(NodeId.of("n2"));
        for (Transfer t : transfers) {
            assertThat(planned.sources(t, NS)).as("sources of " + t).hasSize(3).doesNotContain(t.node())
                    .isEqualTo(ClusterState.owners(s.ring(), t.partition(), 3));
        }
        assertThat(planned.step(STRATEGY, NS)).as("nothing received: nothing to do").isEqualTo(planned);

        // All but one received: still not promoted.
        ClusterState almost = planned;
        List<Transfer> all = new ArrayList<>(transfers);
        for (Transfer t : all.subList(0, all.size() - 1)) {
            almost = almost.withReceived(t);
        }
        assertThat(almost.step(STRATEGY, NS)).isEqualTo(almost);
        assertThat(almost.merge(planned)).as("marks survive merges").isEqualTo(almost);

        ClusterState done = almost.withReceived(all.get(all.size() - 1));
        ClusterState promoted = done.step(STRATEGY, NS);
        assertThat(promoted.ring().epoch()).isEqualTo(next.epoch());
        assertThat(promoted.ring().claims()).isEqualTo(next.claims());
        assertThat(promoted.next()).isEmpty();
        assertThat(promoted.received()).isEmpty();
        assertThat(promoted.statuses()).containsEntry(NodeId.of("n5"), MemberStatus.UP)
                .containsEntry(NodeId.of("n2"), MemberStatus.LEFT);
        assertThat(promoted.needsRebalance()).isFalse();
        assertThat(promoted.step(STRATEGY, NS)).isEqualTo(promoted);
        assertThat(promoted.live()).doesNotContain(NodeId.of("n2"));
        // Old gossip cannot bring the leaver or the plan back.
        assertThat(promoted.merge(s).statuses()).containsEntry(NodeId.of("n2"), MemberStatus.LEFT);
        assertThat(promoted.merge(planned)).isEqualTo(promoted.merge(s));
        assertThat(promoted.merge(almost).next()).isEmpty();
        assertThat(ClusterStateCodec.decode(ClusterStateCodec.encode(almost))).isEqualTo(almost);
    }

    @Test
    void aMembershipChangeDuringAPlanReplacesItWithANewPlanFromTheCurrentRing() {
        ClusterState s = base().with(new MemberEntry(NodeId.of("n5"), "z2", "n5", MemberStatus.JOINING, 1, 1, 0));
        ClusterState planned = s.step(STRATEGY, NS);
        Transfer first = planned.transfers(NS).first();
        planned = planned.withReceived(first);
        ClusterState another = planned.with(new MemberEntry(NodeId.of("n6"), "z3", "n6", MemberStatus.JOINING, 1, 1, 0));
        ClusterState replanned = another.step(STRATEGY, NS);
        assertThat(replanned.ring()).isSameAs(s.ring());
        assertThat(replanned.next().orElseThrow().epoch()).isEqualTo(planned.next().orElseThrow().epoch() + 1);
        assertThat(replanned.next().orElseThrow().members()).extracting(Member::id)
                .contains(NodeId.of("n5"), NodeId.of("n6"));
        assertThat(replanned.received()).as("the old plan's marks go with it").isEmpty();
        assertThat(replanned.merge(planned)).isEqualTo(replanned.merge(another));
        assertThat(replanned.merge(planned).next()).isEqualTo(replanned.next());
    }

    @Test
    void aReplacementHandsTheReplacedMembersPartitionsToTheNewcomerUnchanged() {
        NodeId dead = NodeId.of("n3");
        NodeId newcomer = NodeId.of("n7");
        ClusterState s = base().merge(ClusterState.joining(newcomer, "z3", "n7", 1, STRATEGY));
        ClusterState joinPlanned = s.step(STRATEGY, NS); // the claimant saw the joiner first
        ClusterState replaced = joinPlanned.replace(dead, newcomer);
        assertThat(replaced.statuses()).containsEntry(dead, MemberStatus.LEAVING);
        assertThat(replaced.replacements()).containsEntry(dead, newcomer);
        assertThat(ClusterStateCodec.decode(ClusterStateCodec.encode(replaced))).isEqualTo(replaced);
        List<ClusterState> path = settle(replaced);
        ClusterState done = path.get(path.size() - 1);
        Ring before = base().ring();
        for (int p = 0; p < before.partitionCount(); p++) {
            NodeId was = before.claims().get(p);
            assertThat(done.ring().claims().get(p)).as("partition " + p).isEqualTo(was.equals(dead) ? newcomer : was);
        }
        assertThat(done.statuses()).containsEntry(dead, MemberStatus.LEFT).containsEntry(newcomer, MemberStatus.UP);
        assertThat(done.replacements()).as("done once the replaced member left").isEmpty();
        assertThatThrownBy(() -> base().replace(dead, NodeId.of("nobody")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("asked to join");
        assertThatThrownBy(() -> s.replace(NodeId.of("nobody"), newcomer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no partitions");
    }

    @Test
    void aJoinerTakesTheClustersRingAtItsFirstMergeAndTheClaimantGivesItPartitions() {
        ClusterState joiner = ClusterState.joining(NodeId.of("n9"), "z2", "host9:7000", 1, STRATEGY);
        assertThat(joiner.ring().epoch()).isZero();
        ClusterState cluster = base();
        ClusterState seen = cluster.merge(joiner);
        assertThat(joiner.merge(cluster)).isEqualTo(seen);
        assertThat(seen.ring().epoch()).isEqualTo(cluster.ring().epoch());
        assertThat(seen.statuses()).containsEntry(NodeId.of("n9"), MemberStatus.JOINING);
        assertThat(seen.needsRebalance()).isTrue();
        List<ClusterState> path = settle(seen);
        ClusterState claimed = path.get(path.size() - 1);
        assertThat(claimed.statuses()).containsEntry(NodeId.of("n9"), MemberStatus.UP);
        assertThat(claimed.ring().members()).extracting(Member::id).contains(NodeId.of("n9"));
        assertThat(claimed.ring().claims()).contains(NodeId.of("n9"));
        assertThat(claimed.ring().epoch()).isEqualTo(cluster.ring().epoch() + 1);
    }

    @Test
    void theCodecRoundTripsAnyGrownState() {
        qt(100).forAll(seeds()).checkAssert(seed -> {
            for (ClusterState s : grow(seed, 2, 30)) {
                ClusterState back = ClusterStateCodec.decode(ClusterStateCodec.encode(s));
                assertThat(back).isEqualTo(s);
                assertThat(back.ring().claims()).isEqualTo(s.ring().claims());
                assertThat(back.digest()).isEqualTo(s.digest());
            }
        });
    }

    @Test
    void corruptBytesAreRejectedWithIllegalArgumentOrDecodeToAValidState() {
        qt(300).forAll(seeds()).checkAssert(seed -> {
            byte[] bytes = ClusterStateCodec.encode(grow(seed, 1, 20).get(0));
            RandomSource r = RandomSource.seeded(seed);
            bytes[r.nextInt(bytes.length)] ^= (byte) (1 << r.nextInt(8));
            try {
                ClusterState decoded = ClusterStateCodec.decode(
                        java.util.Arrays.copyOf(bytes, bytes.length - r.nextInt(2)));
                assertThat(decoded.members()).isNotEmpty();
            } catch (IllegalArgumentException expected) {
                assertThat(expected).hasMessageNotContaining("null");
            }
        });
    }

    @Test
    void statesWrittenInFormatsOneToThreeAreStillRead() {
        ClusterState s = base().withStatus(NodeId.of("n3"), MemberStatus.LEAVING);
        byte[] v4 = ClusterStateCodec.encode(s);
        assertThat(v4[0]).isEqualTo((byte) ClusterStateCodec.FORMAT_VERSION);
        byte[] v3 = java.util.Arrays.copyOf(v4, v4.length - 4); // no namespace settings
        v3[0] = 3;
        assertThat(ClusterStateCodec.decode(v3)).isEqualTo(s);
        byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - 2 - s.name().length()); // no name
        v2[0] = 2;
        assertThat(ClusterStateCodec.decode(v2)).isEqualTo(s.withName(""));
        assertThat(v2[v2.length - 5]).as("no ring change under way").isZero();
        byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - 5); // no plan flag, no replacement count
        v1[0] = 1;
        assertThat(ClusterStateCodec.decode(v1)).isEqualTo(s.withName(""));
    }

    @Test
    void differentlyNamedClustersNeverMergeAndAnUnnamedJoinerTakesTheName() {
        ClusterState ours = base();
        assertThat(ours.name()).isEqualTo(ClusterState.DEFAULT_NAME);
        ClusterState theirs = ClusterState.bootstrap("billing", List.of(Member.of("x1", "z1")), STRATEGY,
                RandomSource.seeded(5));
        assertThatThrownBy(() -> ours.merge(theirs)).isInstanceOf(ForeignClusterException.class)
                .hasMessageContaining("'billing'").hasMessageContaining("'dynamo'").hasMessageContaining("cluster_name");
        assertThat(ours.sameCluster(theirs)).isFalse();

        ClusterState anyCluster = ClusterState.joining(NodeId.of("n9"), "z2", "host9:7000", 1, STRATEGY);
        assertThat(anyCluster.name()).isEmpty();
        assertThat(anyCluster.merge(ours).name()).isEqualTo("dynamo");
        assertThat(ours.merge(anyCluster).name()).isEqualTo("dynamo");
        ClusterState onlyBilling = anyCluster.withName("billing");
        assertThatThrownBy(() -> onlyBilling.merge(ours)).isInstanceOf(ForeignClusterException.class);
        assertThat(onlyBilling.merge(theirs).name()).isEqualTo("billing");

        ClusterState back = ClusterStateCodec.decode(ClusterStateCodec.encode(theirs));
        assertThat(back.name()).isEqualTo("billing");
        assertThat(back.digest()).isNotEqualTo(theirs.withName("other").digest());
        assertThatThrownBy(() -> ClusterState.bootstrap("no spaces", List.of(Member.of("x1", "z1")), STRATEGY,
                RandomSource.seeded(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster_name").hasMessageContaining("'no spaces'");
        assertThatThrownBy(() -> ClusterState.bootstrap("", List.of(Member.of("x1", "z1")), STRATEGY,
                RandomSource.seeded(5))).hasMessageContaining("must not be empty");
    }

    @Test
    void theLatestNamespaceSettingWinsWhereverItWasMadeAndTravelsInTheCodec() {
        NodeId n1 = NodeId.of("n1");
        NodeId n2 = NodeId.of("n2");
        ClusterState first = base().withNamespace("users", java.util.Map.of("n", "3", "r", "1"), n1);
        assertThat(first.namespaces().get("users").version()).isEqualTo(1);
        assertThat(first.digest()).isNotEqualTo(base().digest());
        // n2 learns of it, then changes it: a higher version, which wins at n1 whatever came first.
        ClusterState second = base().merge(first).withNamespace("users", java.util.Map.of("n", "5"), n2);
        assertThat(second.namespaces().get("users").version()).isEqualTo(2);
        assertThat(first.merge(second).namespaces().get("users").properties()).containsExactly(
                java.util.Map.entry("n", "5"));
        assertThat(second.merge(first)).isEqualTo(first.merge(second));
        // Two operators at once, on two sides of a partition: one version, the higher node id wins.
        ClusterState a = first.withNamespace("users", java.util.Map.of("r", "2"), n1);
        ClusterState b = first.withNamespace("users", java.util.Map.of("r", "3"), n2);
        assertThat(a.merge(b).namespaces().get("users").by()).isEqualTo(n2);
        assertThat(b.merge(a)).isEqualTo(a.merge(b));
        // A reset is a setting too: an empty map, so that old gossip cannot bring the old one back.
        ClusterState reset = a.merge(b).withNamespace("users", java.util.Map.of(), n1);
        assertThat(reset.merge(a).namespaces().get("users").isReset()).isTrue();
        ClusterState back = ClusterStateCodec.decode(ClusterStateCodec.encode(reset.merge(second)));
        assertThat(back).isEqualTo(reset.merge(second));
        assertThat(back.digest()).isEqualTo(reset.merge(second).digest());
        assertThatThrownBy(() -> base().withNamespace("", java.util.Map.of(), n1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace name");
    }

    @Test
    void anOperatorsChangeOutlivesARestartGossipedLater() {
        NodeId n2 = NodeId.of("n2");
        ClusterState operator = base().withStatus(n2, MemberStatus.LEAVING);
        MemberEntry old = base().member(n2).orElseThrow();
        ClusterState restarted = base().with(new MemberEntry(n2, old.zone(), old.address(), old.status(), 7,
                old.version(), 3));
        ClusterState merged = operator.merge(restarted);
        assertThat(merged.statuses()).containsEntry(n2, MemberStatus.LEAVING);
        assertThat(merged.member(n2).orElseThrow().generation()).isEqualTo(7);
        assertThat(merged.member(n2).orElseThrow().heartbeat()).isEqualTo(3);
    }

    @Test
    void aStatusCannotGoBackAndUnknownNodesAreRejected() {
        ClusterState s = base().withStatus(NodeId.of("n2"), MemberStatus.LEAVING);
        assertThatThrownBy(() -> s.withStatus(NodeId.of("n2"), MemberStatus.UP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LEAVING");
        assertThatThrownBy(() -> s.withStatus(NodeId.of("nobody"), MemberStatus.LEAVING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a member");
    }

    @Test
    void heartbeatsDoNotChangeTheDigestButStatusesDo() {
        ClusterState s = base();
        assertThat(s.heartbeat(NodeId.of("n1")).digest()).isEqualTo(s.digest());
        assertThat(s.withStatus(NodeId.of("n1"), MemberStatus.LEAVING).digest()).isNotEqualTo(s.digest());
    }
}

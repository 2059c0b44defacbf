package io.dynamo.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The cluster state is a join semilattice: whatever replicas did and in whatever order they merge,
 * they agree. States are grown from one bootstrap by random local steps on several replicas
 * (heartbeats, operator status changes, restarts, joins, claimant rebalances) with random merges
 * between them.
 */
class ClusterStateProperties {

    static final ClaimStrategy STRATEGY = ClaimStrategy.equalPartitions(64, 3);

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
            switch (r.nextInt(6)) {
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
                    if (st.needsRebalance() && st.live().size() > 0
                            && st.members().values().stream().anyMatch(m -> m.status().claimsPartitions())) {
                        st = st.rebalance(STRATEGY);
                    }
                }
                default -> st = st.merge(states.get(r.nextInt(replicas)));
            }
            states.set(i, st);
        }
        return states;
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 300)
    void mergeIsCommutativeAssociativeAndIdempotent(@ForAll("seeds") long seed) {
        List<ClusterState> s = grow(seed, 3, 40);
        ClusterState a = s.get(0);
        ClusterState b = s.get(1);
        ClusterState c = s.get(2);
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
        assertThat(a.merge(a)).isEqualTo(a);
        assertThat(a.merge(b).merge(b)).isEqualTo(a.merge(b));
        assertThat(a.merge(b).digest()).isEqualTo(b.merge(a).digest());
    }

    @Property(tries = 200)
    void mergingLosesNoMemberAndNeverMovesAStatusBack(@ForAll("seeds") long seed) {
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
    }

    @Test
    void theClaimantMovesJoinersUpAndLeaversOutWithANewRing() {
        ClusterState s = base().with(new MemberEntry(NodeId.of("n5"), "z2", "n5", MemberStatus.JOINING, 1, 1, 0))
                .withStatus(NodeId.of("n2"), MemberStatus.LEAVING);
        assertThat(s.needsRebalance()).isTrue();
        assertThat(s.claimant()).contains(NodeId.of("n1"));
        ClusterState next = s.rebalance(STRATEGY);
        assertThat(next.ring().epoch()).isEqualTo(s.ring().epoch() + 1);
        assertThat(next.statuses()).containsEntry(NodeId.of("n5"), MemberStatus.UP)
                .containsEntry(NodeId.of("n2"), MemberStatus.LEFT);
        assertThat(next.ring().members()).extracting(Member::id).contains(NodeId.of("n5"))
                .doesNotContain(NodeId.of("n2"));
        assertThat(next.needsRebalance()).isFalse();
        assertThat(next.live()).doesNotContain(NodeId.of("n2"));
        // Old gossip cannot bring the leaver back.
        assertThat(next.merge(s).statuses()).containsEntry(NodeId.of("n2"), MemberStatus.LEFT);
        assertThat(next.merge(s).ring().epoch()).isEqualTo(next.ring().epoch());
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
        ClusterState claimed = seen.rebalance(STRATEGY);
        assertThat(claimed.statuses()).containsEntry(NodeId.of("n9"), MemberStatus.UP);
        assertThat(claimed.ring().members()).extracting(Member::id).contains(NodeId.of("n9"));
        assertThat(claimed.ring().claims()).contains(NodeId.of("n9"));
    }

    @Property(tries = 100)
    void theCodecRoundTripsAnyGrownState(@ForAll("seeds") long seed) {
        for (ClusterState s : grow(seed, 2, 30)) {
            ClusterState back = ClusterStateCodec.decode(ClusterStateCodec.encode(s));
            assertThat(back).isEqualTo(s);
            assertThat(back.ring().claims()).isEqualTo(s.ring().claims());
            assertThat(back.digest()).isEqualTo(s.digest());
        }
    }

    @Property(tries = 300)
    void corruptBytesAreRejectedWithIllegalArgumentOrDecodeToAValidState(@ForAll("seeds") long seed) {
        byte[] bytes = ClusterStateCodec.encode(grow(seed, 1, 20).get(0));
        RandomSource r = RandomSource.seeded(seed);
        bytes[r.nextInt(bytes.length)] ^= (byte) (1 << r.nextInt(8));
        try {
            ClusterState decoded = ClusterStateCodec.decode(java.util.Arrays.copyOf(bytes, bytes.length - r.nextInt(2)));
            assertThat(decoded.members()).isNotEmpty();
        } catch (IllegalArgumentException expected) {
            assertThat(expected).hasMessageNotContaining("null");
        }
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

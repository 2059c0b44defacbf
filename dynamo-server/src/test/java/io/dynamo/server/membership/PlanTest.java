package io.dynamo.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.RandomSource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanTest {

    private static final ClaimStrategy STRATEGY = ClaimStrategy.equalPartitions(64, 3);
    private static final Set<Integer> N3 = Set.of(3);
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N4 = NodeId.of("n4");
    private static final NodeId N5 = NodeId.of("n5");

    private static ClusterState fourNodes() {
        return ClusterState.bootstrap(List.of(Member.of("n1", "a"), Member.of("n2", "b"), Member.of("n3", "c"),
                Member.of("n4", "a")), STRATEGY, RandomSource.seeded(7));
    }

    private static MemberEntry newcomer(String id, String zone) {
        return new MemberEntry(NodeId.of(id), zone, "127.0.0.1:7000", MemberStatus.JOINING, 1, 1, 0);
    }

    @Test
    void aJoinShowsTheNewcomersShareAndWhatStreamsToIt() {
        ClusterState state = fourNodes();
        Plan.Preview p = Plan.preview(state, List.of(new Plan.Change.Join(newcomer("n5", "b"))), STRATEGY, N3);
        assertThat(p.epoch()).isEqualTo(state.ring().epoch());
        assertThat(p.before()).containsOnlyKeys(N1, NodeId.of("n2"), NodeId.of("n3"), N4);
        assertThat(p.after()).containsKey(N5);
        assertThat(p.after().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(64);
        assertThat(p.after().get(N5)).isBetween(12, 13); // 64 over 5: an equal share
        assertThat(p.transfers()).containsKey(N5);
        assertThat(p.transfers().get(N5)).isNotEmpty();
        assertThat(p.moves()).isEqualTo(p.after().get(N5)); // only what the newcomer takes moves
        // Nothing was changed: the preview works on a copy.
        assertThat(state.member(N5)).isEmpty();
    }

    @Test
    void aLeaveShowsTheLeaverGivingUpEveryPartition() {
        Plan.Preview p = Plan.preview(fourNodes(), List.of(new Plan.Change.Leave(N4)), STRATEGY, N3);
        assertThat(p.after()).doesNotContainKey(N4);
        assertThat(p.moves()).isEqualTo(p.before().get(N4));
    }

    @Test
    void aReplaceMovesExactlyTheReplacedMembersPartitionsToTheNewcomer() {
        Plan.Preview p = Plan.preview(fourNodes(), List.of(new Plan.Change.Replace(N4, newcomer("n5", "a"))),
                STRATEGY, N3);
        assertThat(p.after()).doesNotContainKey(N4);
        assertThat(p.after().get(N5)).isEqualTo(p.before().get(N4));
        assertThat(p.moves()).isEqualTo(p.before().get(N4));
    }

    @Test
    void changesThatDoNotApplyAreRefusedWithTheirReason() {
        ClusterState state = fourNodes();
        assertThatThrownBy(() -> Plan.preview(state, List.of(), STRATEGY, N3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing is staged");
        assertThatThrownBy(() -> Plan.preview(state, List.of(new Plan.Change.Leave(NodeId.of("n9"))), STRATEGY, N3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n9 is not a member");
        assertThatThrownBy(() -> Plan.preview(state, List.of(new Plan.Change.Join(newcomer("n2", "a"))), STRATEGY,
                N3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n2 is a member already");
        assertThatThrownBy(() -> Plan.preview(state, List.of(new Plan.Change.Leave(N4), new Plan.Change.Leave(N4)),
                STRATEGY, N3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n4 is leaving");
        ClusterState changing = Plan.apply(state, List.of(new Plan.Change.Leave(N4))).step(STRATEGY, N3);
        assertThatThrownBy(() -> Plan.preview(changing, List.of(new Plan.Change.Leave(N1)), STRATEGY, N3))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ring change is under way");
    }
}

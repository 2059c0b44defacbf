package io.dynamo.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.RandomSource;
import io.dynamo.server.FakeTransport;
import io.dynamo.server.ManualScheduler;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Requests;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GossiperTest {

    static final NodeId N1 = NodeId.of("n1");
    static final NodeId N2 = NodeId.of("n2");
    static final ClaimStrategy STRATEGY = ClaimStrategy.equalPartitions(64, 3);

    final ManualScheduler scheduler = new ManualScheduler();
    final FakeTransport transport = new FakeTransport(N1);
    final FailureDetector local = new FailureDetector(N1, scheduler.clock());
    final Requests requests = new Requests(transport, scheduler, local, 1);

    static ClusterState cluster() {
        return ClusterState.bootstrap(List.of(Member.of("n1", "z1"), Member.of("n2", "z2"), Member.of("n3", "z3")),
                STRATEGY, RandomSource.seeded(1));
    }

    Gossiper gossiper(java.util.function.Consumer<ClusterState> onChange) {
        return new Gossiper(N1, cluster(), List.of(N2), STRATEGY, () -> java.util.Set.of(3), scheduler.clock(), scheduler,
                RandomSource.seeded(3), transport, requests, Duration.ofSeconds(1),
                new PhiAccrualDetector(100, 8, Duration.ofSeconds(1).toNanos()), onChange);
    }

    @Test
    void aFailingPersistDoesNotStopTheHeartbeat() {
        int[] calls = new int[1];
        Gossiper g = gossiper(s -> {
            if (calls[0]++ < 3) {
                throw new IllegalStateException("disk full");
            }
        });
        g.start();
        scheduler.runFor(Duration.ofSeconds(30));
        assertThat(g.rounds()).isGreaterThanOrEqualTo(29);
        assertThat(g.errors()).isPositive();
        assertThat(g.state().member(N1).orElseThrow().heartbeat()).isGreaterThanOrEqualTo(26);
    }

    @Test
    void gossipFromAClusterWithAnotherStrategyIsIgnored() {
        Gossiper g = gossiper(s -> { });
        ClusterState foreign = ClusterState.bootstrap(List.of(Member.of("n1", "z1"), Member.of("x9", "z2")),
                ClaimStrategy.equalPartitions(16, 3), RandomSource.seeded(2));
        ClusterState before = g.state();
        g.handle(N2, new Message.GossipPush(7, foreign));
        assertThat(g.state()).isEqualTo(before);
        assertThat(g.foreign()).isEqualTo(1);
        assertThat(transport.sent()).as("no answer to a foreign push").isEmpty();
    }

    @Test
    void gossipFromAnotherNamedClusterIsIgnoredAndAnOperatorsMergeOfItIsRefused() {
        Gossiper g = gossiper(s -> { });
        ClusterState other = cluster().withName("billing");
        ClusterState before = g.state();
        g.handle(N2, new Message.GossipPush(7, other));
        assertThat(g.state()).isEqualTo(before);
        assertThat(g.foreign()).isEqualTo(1);
        assertThat(transport.sent()).as("no answer to a foreign push").isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> g.change(other))
                .isInstanceOf(io.dynamo.core.membership.ForeignClusterException.class);
        assertThat(g.state()).isEqualTo(before);
    }

    @Test
    void aRebalanceThatCannotBeMadeLeavesTheMergedStateAndKeepsGossiping() {
        Gossiper g = gossiper(s -> { });
        ClusterState crowded = cluster();
        for (int i = 0; i < 70; i++) { // more members than the 64 partitions
            crowded = crowded.with(new io.dynamo.core.membership.MemberEntry(NodeId.of("j" + i), "z1", "j" + i,
                    MemberStatus.JOINING, 1, 1, 0));
        }
        g.handle(N2, new Message.GossipPush(8, crowded));
        assertThat(g.state().statuses()).containsEntry(NodeId.of("j0"), MemberStatus.JOINING);
        assertThat(g.errors()).isPositive();
        assertThat(transport.sent()).as("the push is still answered").hasSize(1);
    }

    @Test
    void aLongSilenceDoesNotSlowTheDetectionAfterIt() {
        long second = Duration.ofSeconds(1).toNanos();
        PhiAccrualDetector d = new PhiAccrualDetector(100, 8, second);
        long t = 0;
        for (int i = 0; i < 20; i++) {
            d.heartbeat(N2, t += second);
        }
        d.heartbeat(N2, t += 300 * second); // a five-minute partition
        assertThat(d.isSuspected(N2, t + 20 * second)).as("still about one second a beat").isTrue();
    }

    @Test
    void aPeerIsReportedUnknownUntilEnoughHeartbeatsAreSeenAndLateBeforeItIsSuspected() {
        // A gossiper that just started (as after a restart) has seen no heartbeat of anyone: its
        // peers are not known to be ok, though requests still go to them.
        Gossiper g = gossiper(s -> { });
        NodeId n3 = NodeId.of("n3");
        assertThat(g.peerState(N2, true)).isEqualTo(PeerState.UNKNOWN);
        assertThat(g.suspects(N2)).as("reporting does not route: never heard from is not suspected").isFalse();
        ClusterState theirs = cluster();
        for (int beat = 1; beat <= PeerState.MIN_SAMPLES; beat++) {
            theirs = theirs.heartbeat(N2);
            g.handle(N2, new Message.GossipPush(beat, theirs));
            assertThat(g.peerState(N2, true)).as("%d heartbeats, %d intervals", beat, beat - 1)
                    .isEqualTo(PeerState.UNKNOWN);
            scheduler.runFor(Duration.ofSeconds(1));
        }
        theirs = theirs.heartbeat(N2);
        g.handle(N2, new Message.GossipPush(99, theirs));
        assertThat(g.peerState(N2, true)).isEqualTo(PeerState.OK);
        assertThat(g.peerState(n3, true)).as("n3's heartbeat never grew").isEqualTo(PeerState.UNKNOWN);
        assertThat(g.peerState(N2, false)).as("the routing decision wins").isEqualTo(PeerState.UNREACHABLE);

        // N2 falls silent. Phi passes 4 (half the threshold) after about 9.2 mean intervals: late,
        // while it is still routed to; suspected only past phi 8.
        scheduler.runFor(Duration.ofSeconds(9));
        assertThat(g.peerState(N2, true)).as("phi %.2f", g.phi(N2)).isEqualTo(PeerState.OK);
        scheduler.runFor(Duration.ofSeconds(1));
        assertThat(g.peerState(N2, true)).as("phi %.2f", g.phi(N2)).isEqualTo(PeerState.LATE);
        assertThat(g.suspects(N2)).isFalse();
        scheduler.runFor(Duration.ofSeconds(9));
        assertThat(g.suspects(N2)).as("phi %.2f", g.phi(N2)).isTrue();
    }
}

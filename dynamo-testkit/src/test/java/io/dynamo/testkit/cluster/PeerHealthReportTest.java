package io.dynamo.testkit.cluster;

import static io.dynamo.testkit.cluster.ScenarioTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.ring.NodeId;
import io.dynamo.server.DynamoNode;
import io.dynamo.server.membership.PeerState;
import io.dynamo.testkit.Simulation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a node reports of its peers ({@link DynamoNode#peerHealth()}, the dashboard's
 * failure-detector matrix): a restarted node that has not yet seen its peers' heartbeats says
 * so instead of calling them ok, and a member that left is no longer watched at all.
 */
class PeerHealthReportTest {

    static final NodeId N4 = NodeId.of("n4");

    @Test
    void aRestartedNodeReportsItsPeersUnknownUntilItHasSeenTheirHeartbeats() {
        Simulation.run(Simulation.seed(19), sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(4));
            sim.scheduler().runFor(Duration.ofSeconds(10));
            cluster.crash(N4);
            sim.scheduler().runFor(Duration.ofSeconds(2));
            cluster.restart(N4);

            var fresh = cluster.node(N4).peerHealth();
            assertThat(fresh).hasSize(3);
            fresh.forEach((peer, h) -> {
                assertThat(h.state()).as("%s, phi %.2f, just after the restart", peer, h.phi())
                        .isEqualTo(PeerState.UNKNOWN);
                assertThat(h.reachable()).as("reporting changes no route: requests still go to %s", peer).isTrue();
            });

            boolean known = sim.scheduler().runUntil(() -> cluster.node(N4).peerHealth().values().stream()
                    .allMatch(h -> h.state() == PeerState.OK), Duration.ofSeconds(30));
            assertThat(known).as("ok once heartbeats were seen: " + cluster.node(N4).peerHealth()).isTrue();
        });
    }

    @Test
    void aMemberThatLeftIsNoLongerInAnyPeersView() {
        Simulation.run(Simulation.seed(20), sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(4));
            sim.scheduler().runFor(Duration.ofSeconds(5));
            assertThat(cluster.node(NodeId.of("n1")).peerHealth()).containsKey(N4);
            await(cluster, cluster.leave(N4));
            boolean left = sim.scheduler().runUntil(() -> cluster.ids().stream().filter(id -> !id.equals(N4))
                    .allMatch(id -> cluster.node(id).clusterState().orElseThrow().statuses().get(N4)
                            == MemberStatus.LEFT), Duration.ofSeconds(120));
            assertThat(left).as("every other node knows n4 left").isTrue();
            for (NodeId id : cluster.ids()) {
                if (!id.equals(N4)) {
                    assertThat(cluster.node(id).peerHealth()).as("%s's peers", id).doesNotContainKey(N4).hasSize(2);
                }
            }
        });
    }
}

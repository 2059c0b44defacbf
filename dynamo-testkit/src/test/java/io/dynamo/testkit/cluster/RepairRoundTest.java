package io.dynamo.testkit.cluster;

import static io.dynamo.testkit.cluster.ScenarioTest.DEFAULTS;
import static io.dynamo.testkit.cluster.ScenarioTest.NS;
import static io.dynamo.testkit.cluster.ScenarioTest.await;
import static io.dynamo.testkit.cluster.ScenarioTest.bytes;
import static io.dynamo.testkit.cluster.ScenarioTest.preferenceList;
import static io.dynamo.testkit.cluster.ScenarioTest.stored;
import static io.dynamo.testkit.cluster.ScenarioTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.antientropy.RepairRound;
import io.dynamo.server.transport.Message;
import io.dynamo.testkit.Simulation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An operator's repair round ({@code dynamo admin repair}) mends at once what the always-on exchanges would mend later. */
class RepairRoundTest {

    /** Three nodes (no fallback to hold a hint), anti-entropy's own pace an hour. */
    private static SimCluster slowAntiEntropy(Simulation sim) {
        return new SimCluster(sim, SimCluster.Options.of(3)
                .withConfig(c -> c.withAntiEntropyInterval(Duration.ofHours(1))));
    }

    @Test
    void aRepairOfOnePartitionMendsAReplicaThatMissedAWrite() {
        Simulation.run(201, sim -> {
            SimCluster cluster = slowAntiEntropy(sim);
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId stale = owners.get(2);
            var filter = sim.network().filters().to(stale).type(Message.ReplicaWrite.class).drop();
            await(cluster, cluster.client("c").put(owners.get(0), NS, bytes("k"), VersionVector.empty(), bytes("v"),
                    DEFAULTS));
            sim.scheduler().runFor(Duration.ofSeconds(2));
            filter.off();
            sim.network().heal();
            sim.scheduler().runFor(Duration.ofSeconds(2)); // the prober brings the stale replica back
            assertThat(stored(cluster, stale, "k").isEmpty()).isTrue();

            int partition = preferenceList(cluster, "k").partition();
            RepairRound.Status started = cluster.node(owners.get(0)).antiEntropy().repair(NS, partition);
            assertThat(started.total()).isEqualTo(2); // one exchange with each other owner
            sim.scheduler().runFor(Duration.ofSeconds(2));

            RepairRound.Status done = cluster.node(owners.get(0)).antiEntropy().repairStatus().orElseThrow();
            assertThat(done.finished()).isTrue();
            assertThat(done.done()).isEqualTo(2);
            assertThat(done.failed()).isEmpty();
            assertThat(done.keysSent()).isEqualTo(1);
            assertThat(stored(cluster, stale, "k").values()).extracting(v -> text(v.value())).containsExactly("v");
        });
    }

    @Test
    void aRepairOfEveryPartitionSkipsAnUnreachableOwnerAndSaysSo() {
        Simulation.run(202, sim -> {
            SimCluster cluster = slowAntiEntropy(sim);
            NodeId self = cluster.ids().get(0);
            NodeId dead = cluster.ids().get(2);
            cluster.kill(dead);
            sim.scheduler().runFor(Duration.ofSeconds(1));

            RepairRound.Status started = cluster.node(self).antiEntropy().repair(null, -1);
            int partitions = cluster.ring().partitionCount();
            assertThat(started.total()).as("every partition with the other live owner").isEqualTo(partitions);
            assertThat(started.skipped()).hasSize(partitions).allSatisfy((pair, why) ->
                    assertThat(why).isEqualTo(dead + " is unreachable"));
            assertThatThrownBy(() -> cluster.node(self).antiEntropy().repair(null, -1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is running");
            sim.scheduler().runUntil(() -> cluster.node(self).antiEntropy().repairStatus().orElseThrow().finished(),
                    Duration.ofSeconds(60));
            RepairRound.Status done = cluster.node(self).antiEntropy().repairStatus().orElseThrow();
            assertThat(done.done()).isEqualTo(partitions);
        });
    }

    @Test
    void aPartitionThisNodeDoesNotOwnOrThatDoesNotExistIsRefused() {
        Simulation.run(203, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            List<NodeId> owners = preferenceList(cluster, "k").primaries();
            NodeId outsider = cluster.ids().stream().filter(id -> !owners.contains(id)).findFirst().orElseThrow();
            int partition = preferenceList(cluster, "k").partition();
            assertThatThrownBy(() -> cluster.node(outsider).antiEntropy().repair(NS, partition))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not own partition " + partition)
                    .hasMessageContaining(owners.get(0).toString());
            assertThatThrownBy(() -> cluster.node(outsider).antiEntropy().repair(NS, 1 << 20))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
            assertThat(cluster.node(outsider).antiEntropy().repairStatus()).isEmpty();
        });
    }
}

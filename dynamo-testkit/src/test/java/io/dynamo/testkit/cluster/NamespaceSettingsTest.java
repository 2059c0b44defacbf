package io.dynamo.testkit.cluster;

import static io.dynamo.testkit.cluster.ScenarioTest.await;
import static io.dynamo.testkit.cluster.ScenarioTest.bytes;
import static io.dynamo.testkit.cluster.ScenarioTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.coordinator.InvalidRequestException;
import io.dynamo.server.coordinator.NamespaceProperties;
import io.dynamo.server.coordinator.PutResult;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.testkit.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Operators change a namespace's properties at run time, at any one node: the setting travels in
 * the gossiped cluster state, every node applies it, it outlives restarts, concurrent settings
 * converge on one, and a larger N reaches the keys already stored.
 */
class NamespaceSettingsTest {

    static final String NS = "carts";
    static final NodeId N1 = NodeId.of("n1");
    static final NodeId N2 = NodeId.of("n2");
    static final NodeId N3 = NodeId.of("n3");

    @Test
    void aSettingMadeAtOneNodeReachesEveryNodeAndOutlivesARestart() {
        Simulation.run(41, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            NamespaceProperties set = await(cluster, cluster.node(N1).setNamespace(NS, Map.of("w", "3", "r", "1")));
            assertThat(set.w()).isEqualTo(3);
            assertThat(set.n()).as("the rest unchanged").isEqualTo(3);
            sim.scheduler().runFor(Duration.ofSeconds(10));
            for (NodeId id : cluster.ids()) {
                NamespaceProperties p = cluster.node(id).namespaces().properties(NS);
                assertThat(p.w()).as("w at " + id).isEqualTo(3);
                assertThat(p.r()).as("r at " + id).isEqualTo(1);
                assertThat(cluster.node(id).namespaces().properties("other").w()).as("other namespaces keep theirs")
                        .isEqualTo(2);
            }
            // A put coordinated anywhere now waits for three acknowledgements.
            PutResult put = await(cluster, cluster.client("c").put(NodeId.of("n5"), NS, bytes("k"),
                    VersionVector.empty(), bytes("v"), RequestOptions.DEFAULTS));
            assertThat(put.receipt().acknowledged()).hasSize(3);

            cluster.crash(N3);
            cluster.restart(N3);
            assertThat(cluster.node(N3).namespaces().properties(NS).w()).as("persisted, not relearned")
                    .isEqualTo(3);

            // A reset goes back to what each node's configuration says.
            await(cluster, cluster.node(N2).resetNamespace(NS));
            sim.scheduler().runFor(Duration.ofSeconds(10));
            for (NodeId id : cluster.ids()) {
                assertThat(cluster.node(id).namespaces().properties(NS).w()).isEqualTo(2);
                assertThat(cluster.node(id).namespaces().view().setting(NS).orElseThrow().isReset()).isTrue();
            }
        });
    }

    @Test
    void aBadChangeIsRefusedAndChangesNothing() {
        Simulation.run(42, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(3));
            long digest = cluster.node(N1).clusterState().orElseThrow().digest();
            assertThat(failure(cluster, cluster.node(N1).setNamespace(NS, Map.of("r", "4"))))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("r must be between 1 and n");
            assertThat(failure(cluster, cluster.node(N1).setNamespace(NS, Map.of("quorum", "2"))))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("unknown bucket property");
            assertThat(failure(cluster, cluster.node(N1).setNamespace(NS, Map.of("max_siblings", "5"))))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("defaults.max_siblings");
            assertThat(failure(cluster, cluster.node(N1).setNamespace(NS, Map.of("max_value_bytes", "10485760"))))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("storage accepts");
            assertThat(failure(cluster, cluster.node(N1).setNamespace("bad name", Map.of("r", "1"))))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("bucket name");
            ClusterState after = cluster.node(N1).clusterState().orElseThrow();
            assertThat(after.namespaces()).isEmpty();
            assertThat(after.digest()).isEqualTo(digest);
        });
    }

    @Test
    void twoOperatorsAtOnceEndWithOneSettingEverywhere() {
        Simulation.run(43, sim -> {
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5));
            // Both made before either hears of the other: one version, so the higher node id wins.
            var a = cluster.node(N1).setNamespace(NS, Map.of("r", "1"));
            var b = cluster.node(N2).setNamespace(NS, Map.of("r", "3"));
            await(cluster, a);
            await(cluster, b);
            sim.scheduler().runFor(Duration.ofSeconds(10));
            for (NodeId id : cluster.ids()) {
                assertThat(cluster.node(id).namespaces().properties(NS).r()).as("r at " + id).isEqualTo(3);
                assertThat(cluster.node(id).namespaces().view().setting(NS).orElseThrow().by()).isEqualTo(N2);
            }
        });
    }

    @Test
    void raisingNGivesTheKeysAlreadyStoredTheirNewReplicas() {
        Simulation.run(44, sim -> {
            NamespaceProperties two = NamespaceProperties.DEFAULTS.with(Map.of("n", "2", "r", "1", "w", "2"));
            SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5).withConfig(c -> c.withNamespace(NS, two)));
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                keys.add("k" + i);
                await(cluster, cluster.client("c").put(N1, NS, bytes("k" + i), VersionVector.empty(),
                        bytes("v" + i), RequestOptions.DEFAULTS));
            }
            sim.scheduler().runFor(Duration.ofSeconds(2));
            assertThat(copies(cluster, keys, 3)).as("before: only the first two owners hold a key").isZero();

            await(cluster, cluster.node(N3).setNamespace(NS, Map.of("n", "3", "w", "3")));
            // Gossip spreads the setting; anti-entropy then syncs each partition with its third owner.
            sim.scheduler().runFor(Duration.ofSeconds(120));
            assertThat(copies(cluster, keys, 3)).as("every key on its third owner").isEqualTo(keys.size());
        });
    }

    /** How many of {@code keys} the {@code rank}-th owner (1-based) of each key holds. */
    private static int copies(SimCluster cluster, List<String> keys, int rank) {
        int held = 0;
        for (String key : keys) {
            StoredKey k = StoredKey.of(NS, bytes(key));
            NodeId owner = cluster.ring().preferenceList(k.token(), rank).primaries().get(rank - 1);
            if (!cluster.engine(owner).get(cluster.ring().partitionOf(k.token()), k).isEmpty()) {
                held++;
            }
        }
        return held;
    }
}

package io.dynamo.core.versioning;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Replicas must hold exactly the maximal writes of the ground-truth causal history: no false
 * siblings (paper §4.4's clocks, and Riak before 2.0, produced them) and no lost writes (Riak
 * KV679). See {@link ModelCluster} for the model.
 */
class CausalHistoryProperties {

    record Scenario(int replicas, int clients, List<ModelCluster.Op> ops) {
    }

    static Gen<Scenario> oneCoordinator() {
        return Generate.range(1, 5).flatMap(clients ->
                VersioningGens.scenarios(1, clients, false, false, 40).map(ops -> new Scenario(1, clients, ops)));
    }

    static Gen<Scenario> severalCoordinators() {
        return Generate.range(1, 4).flatMap(clients ->
                VersioningGens.scenarios(3, clients, true, false, 50).map(ops -> new Scenario(3, clients, ops)));
    }

    static Gen<Scenario> withDataLoss() {
        return Generate.range(1, 4).flatMap(clients ->
                VersioningGens.scenarios(3, clients, true, true, 50).map(ops -> new Scenario(3, clients, ops)));
    }

    /** Some history, then one replica loses its data, then more history. */
    static Gen<Scenario> amnesia() {
        return VersioningGens.scenarios(3, 3, true, false, 25).zip(Generate.range(0, 2),
                VersioningGens.scenarios(3, 3, true, false, 25), (before, wiped, after) -> {
                    List<ModelCluster.Op> ops = new ArrayList<>(before);
                    ops.add(new ModelCluster.Op.Wipe(wiped));
                    ops.addAll(after);
                    return new Scenario(3, 3, ops);
                });
    }

    @Test
    void oneCoordinatorManyClientsKeepsOnlyTrulyConcurrentSiblings() {
        qt(1000).forAll(oneCoordinator()).checkAssert(CausalHistoryProperties::checkEveryStep);
    }

    @Test
    void severalCoordinatorsSyncedInAnyOrderKeepOnlyTrulyConcurrentSiblings() {
        qt(1000).forAll(severalCoordinators()).checkAssert(CausalHistoryProperties::checkEveryStep);
    }

    @Test
    void replicasLosingDataUnderNewIncarnationsLoseNoOtherWrite() {
        qt(1000).forAll(withDataLoss()).checkAssert(CausalHistoryProperties::checkEveryStep);
    }

    @Test
    void newIncarnationsWritesAreNotSwallowedByOldContexts() {
        qt(1000).forAll(amnesia()).checkAssert(CausalHistoryProperties::checkEveryStep);
    }

    private static void checkEveryStep(Scenario s) {
        ModelCluster cluster = new ModelCluster(s.replicas(), s.clients());
        for (ModelCluster.Op op : s.ops()) {
            cluster.apply(op);
            assertMatchesModel(cluster, op);
        }
        cluster.syncAll();
        assertMatchesModel(cluster, "final sync");
        for (int i = 1; i < s.replicas(); i++) {
            assertThat(cluster.state(i)).isEqualTo(cluster.state(0));
        }
    }

    private static void assertMatchesModel(ModelCluster cluster, Object after) {
        for (int x = 0; x < cluster.replicaCount(); x++) {
            assertThat(cluster.actual(x))
                    .as("values of replica %d after %s (state %s)", x, after, cluster.state(x))
                    .isEqualTo(cluster.expected(x));
        }
    }
}

package io.dynamo.core.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Replicas must hold exactly the maximal writes of the ground-truth causal history: no false
 * siblings (paper §4.4's clocks, and Riak before 2.0, produced them) and no lost writes (Riak
 * KV679). See {@link ModelCluster} for the model.
 */
class CausalHistoryProperties {

    record Scenario(int replicas, int clients, List<ModelCluster.Op> ops) {
    }

    @Provide
    Arbitrary<Scenario> oneCoordinator() {
        return Arbitraries.integers().between(1, 5).flatMap(clients ->
                VersioningArbitraries.scenarios(1, clients, false, false, 40)
                        .map(ops -> new Scenario(1, clients, ops)));
    }

    @Provide
    Arbitrary<Scenario> severalCoordinators() {
        return Arbitraries.integers().between(1, 4).flatMap(clients ->
                VersioningArbitraries.scenarios(3, clients, true, false, 50)
                        .map(ops -> new Scenario(3, clients, ops)));
    }

    @Provide
    Arbitrary<Scenario> withDataLoss() {
        return Arbitraries.integers().between(1, 4).flatMap(clients ->
                VersioningArbitraries.scenarios(3, clients, true, true, 50)
                        .map(ops -> new Scenario(3, clients, ops)));
    }

    /** Some history, then one replica loses its data, then more history. */
    @Provide
    Arbitrary<Scenario> amnesia() {
        return Combinators.combine(
                VersioningArbitraries.scenarios(3, 3, true, false, 25),
                Arbitraries.integers().between(0, 2),
                VersioningArbitraries.scenarios(3, 3, true, false, 25)
        ).as((before, wiped, after) -> {
            List<ModelCluster.Op> ops = new ArrayList<>(before);
            ops.add(new ModelCluster.Op.Wipe(wiped));
            ops.addAll(after);
            return new Scenario(3, 3, ops);
        });
    }

    @Property
    void oneCoordinatorManyClientsKeepsOnlyTrulyConcurrentSiblings(@ForAll("oneCoordinator") Scenario s) {
        checkEveryStep(s);
    }

    @Property
    void severalCoordinatorsSyncedInAnyOrderKeepOnlyTrulyConcurrentSiblings(
            @ForAll("severalCoordinators") Scenario s) {
        checkEveryStep(s);
    }

    @Property
    void replicasLosingDataUnderNewIncarnationsLoseNoOtherWrite(@ForAll("withDataLoss") Scenario s) {
        checkEveryStep(s);
    }

    @Property
    void newIncarnationsWritesAreNotSwallowedByOldContexts(@ForAll("amnesia") Scenario s) {
        checkEveryStep(s);
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

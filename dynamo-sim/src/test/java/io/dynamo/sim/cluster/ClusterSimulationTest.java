package io.dynamo.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.testkit.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random seeds, each a whole cluster run mixing workloads and nemeses; every checker must pass on
 * every seed. A failure prints the seed, the replay command and the trace tail;
 * {@code -Ddynamo.sim.seed=S} runs that seed alone.
 */
class ClusterSimulationTest {

    static final int SEEDS = Integer.getInteger("dynamo.sim.seeds", 1000);

    @Test
    void everyCheckerPassesOnEverySeed() {
        List<String> failures = new ArrayList<>();
        long writes = 0;
        long acked = 0;
        long faults = 0;
        long purged = 0;
        long ringChanges = 0;
        for (long seed : Simulation.seeds(20261122L, SEEDS)) {
            ClusterRun.Result r = ClusterRun.run(seed);
            writes += r.writes();
            acked += r.writesAcked();
            faults += r.faultsInjected();
            purged += r.tombstonesPurged();
            ringChanges += r.ringChanges();
            if (!r.ok()) {
                failures.add(r.report());
            }
        }
        System.out.println("cluster simulation: " + SEEDS + " seeds, " + writes + " writes, " + acked + " acked, "
                + faults + " faults injected, " + purged + " tombstone removals, " + ringChanges + " ring changes, "
                + failures.size() + " failing seeds");
        assertThat(failures).as(String.join("\n\n", failures.stream().limit(3).toList())).isEmpty();
        assertThat(acked).as("the workload made progress").isPositive();
        assertThat(purged).as("deletes were purged, so the checkers saw purges").isPositive();
        assertThat(ringChanges).as("members joined and left, so the checkers saw ownership transfers").isPositive();
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        long seed = Simulation.seed(7);
        ClusterRun.Result a = ClusterRun.run(seed);
        ClusterRun.Result b = ClusterRun.run(seed);
        assertThat(a.events()).isPositive();
        assertThat(b.traceHash()).isEqualTo(a.traceHash());
        assertThat(b.events()).isEqualTo(a.events());
        assertThat(b.writesAcked()).isEqualTo(a.writesAcked());
        assertThat(ClusterRun.run(seed + 1).traceHash()).isNotEqualTo(a.traceHash());
    }
}

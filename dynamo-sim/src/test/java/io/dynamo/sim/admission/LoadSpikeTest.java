package io.dynamo.sim.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.sim.admission.LoadSpike.Background;
import io.dynamo.sim.admission.LoadSpike.Result;
import io.dynamo.testkit.Simulation;
import org.junit.jupiter.api.Test;

/**
 * Admission control end to end, on the service-time model (see {@link LoadSpike}): background
 * work yields to a foreground spike and still finishes. The runs are deterministic: a seed
 * (property {@code dynamo.sim.seed}) gives the same table every time.
 */
class LoadSpikeTest {

    static final long SEED = Simulation.seed(6_5L);

    @Test
    void backgroundWorkYieldsToTheForegroundAndStillFinishes() {
        System.out.println("seed " + SEED + " (replay with -Ddynamo.sim.seed=" + SEED + ")");
        System.out.println(LoadSpike.HEADER);
        Result hintsOn = LoadSpike.run(LoadSpike.Config.of(Background.HINTS, true, SEED));
        System.out.println(hintsOn.row());
        Result hintsOff = LoadSpike.run(LoadSpike.Config.of(Background.HINTS, false, SEED));
        System.out.println(hintsOff.row());
        Result repairOn = LoadSpike.run(LoadSpike.Config.of(Background.ANTI_ENTROPY, true, SEED));
        System.out.println(repairOn.row());
        Result transferOn = LoadSpike.run(LoadSpike.Config.of(Background.TRANSFER, true, SEED));
        System.out.println(transferOn.row());

        // A returning node flooded with hints: the controller keeps the foreground p99 well below
        // what the unpaced flood costs it, keeps the spike within 2x of the steady state, slows
        // the delivery when the spike comes, and the hints are all delivered afterwards.
        assertThat(hintsOn.background().p99Ms()).as("p99 while the hints flow, paced vs not")
                .isLessThan(hintsOff.background().p99Ms() * 0.7);
        assertThat(hintsOn.spikeRatio()).as("spike p99 over steady p99, hints").isLessThanOrEqualTo(2.0);
        assertThat(hintsOn.spike().permitsPerSecond()).as("background work a second: spike vs before")
                .isLessThan(hintsOn.background().permitsPerSecond());
        assertThat(hintsOn.lowestRateInSpike()).as("the lowest background rate in the spike")
                .isEqualTo(LoadSpike.controlled().floor());
        assertThat(hintsOn.done()).as("every hint delivered within the deadline").isTrue();
        assertThat(hintsOff.done()).isTrue();

        // A node back with an empty disk, repopulated by anti-entropy through the spike.
        assertThat(repairOn.spikeRatio()).as("spike p99 over steady p99, anti-entropy").isLessThanOrEqualTo(2.0);
        assertThat(repairOn.done()).as("the node holds every key it owns within the deadline").isTrue();

        // A join's transfer: the spike's p99 stays within 2x of the steady state, and the
        // transfer completes.
        assertThat(transferOn.spikeRatio()).as("spike p99 over steady p99").isLessThanOrEqualTo(2.0);
        assertThat(transferOn.done()).as("the transfer settled within the deadline").isTrue();
        for (Result r : new Result[] {hintsOn, hintsOff, repairOn, transferOn}) {
            assertThat(r.spike().failed()).as("failed requests in the spike, " + r.config()).isZero();
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        LoadSpike.Config small = new LoadSpike.Config(Background.TRANSFER, true, 3, 2_000, 500, 2,
                java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(60));
        Result a = LoadSpike.run(small);
        Result b = LoadSpike.run(small);
        assertThat(a.events()).isEqualTo(b.events());
        assertThat(a.row()).isEqualTo(b.row());
        assertThat(a.done()).isTrue();
    }
}

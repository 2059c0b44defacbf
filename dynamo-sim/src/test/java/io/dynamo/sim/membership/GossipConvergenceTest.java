package io.dynamo.sim.membership;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A membership change reaches every node's view within ceil(log2 S) + 2 gossip rounds at p99,
 * for S = 3, 10, 30 and 100 (the membership issue's target), on 100 seeded trials each.
 */
class GossipConvergenceTest {

    @Test
    void aChangeReachesEveryViewWithinLog2SPlusTwoRoundsAtP99() {
        StringBuilder table = new StringBuilder(GossipConvergence.HEADER).append('\n');
        for (int s : new int[] {3, 10, 30, 100}) {
            GossipConvergence.Result r = GossipConvergence.run(s, 100, 4_8L);
            table.append(r.row()).append('\n');
            assertThat(r.percentile(99)).as("p99 rounds at S=" + s + "\n" + table).isLessThanOrEqualTo(r.target());
        }
        System.out.print(table);
    }

    @Test
    void theSameSeedGivesTheSameRounds() {
        assertThat(GossipConvergence.run(10, 5, 9).rounds()).isEqualTo(GossipConvergence.run(10, 5, 9).rounds());
    }

    @Test
    void phiSuspectsACrashedNodeWithinHalfAMinuteAndNeverALiveOne() {
        double[] r = GossipConvergence.detection(10, 10, 77);
        int observed = r.length - 1;
        assertThat(observed).isEqualTo(10 * 9);
        assertThat(r[observed]).as("live nodes suspected during a minute of gossip").isZero();
        double p50 = r[observed / 2];
        double max = r[observed - 1];
        System.out.printf(java.util.Locale.ROOT, "phi detection at S=10: p50 %.1f s, max %.1f s over %d observations%n",
                p50, max, observed);
        // phi 8 is 18.4 mean heartbeat intervals of silence; gossip makes the observed intervals
        // a little longer than one second. Virtual time: these bounds are deterministic.
        assertThat(p50).isBetween(10.0, 30.0);
        assertThat(max).isLessThan(40.0);
    }
}

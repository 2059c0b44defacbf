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
}

package io.dynamo.sim.partitioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PartitioningExperimentTest {

    private static final double EPS = 1e-9;
    private static PartitioningReport quick;

    @BeforeAll
    static void runQuick() {
        quick = PartitioningExperiment.run(PartitioningConfig.quick(30, 3, 7L, 50_000));
    }

    @Test
    void everyEfficiencyIsPositiveAndAtMostOne() {
        assertThat(quick.points()).hasSize(9);
        for (SweepPoint p : quick.points()) {
            for (Stats stats : List.of(p.exact(), p.sampled())) {
                assertThat(stats.min()).as("%s", p).isGreaterThan(0.0);
                assertThat(stats.max()).as("%s", p).isLessThanOrEqualTo(1.0 + EPS);
                assertThat(stats.min()).isLessThanOrEqualTo(stats.mean() + EPS);
                assertThat(stats.mean()).isLessThanOrEqualTo(stats.max() + EPS);
            }
        }
    }

    @Test
    void strategyThreeWithBalancedSharesReachesTheTheoreticalEfficiency() {
        // Q = 1024 over S = 30: 4 nodes claim 35 partitions, 26 claim 34. With any 3 consecutive
        // partitions on distinct nodes, a node with c claims is a primary of 3c partitions, so the
        // efficiency is (Q/S) / ceil(Q/S) = 34.133 / 35.
        int q = 1024;
        int s = 30;
        double bound = ((double) q / s) / Math.ceil((double) q / s);
        SweepPoint p = quick.point(Strategy.EQUAL_PARTITIONS, q);
        assertThat(bound).isCloseTo(0.97524, within(1e-5));
        assertThat(p.exact().mean()).isGreaterThanOrEqualTo(0.95).isCloseTo(bound, within(EPS));
    }

    @Test
    void exactAndSampledAgree() {
        // 50,000 keys: a node's sampled load is off by about 1.5% of itself, the maximum a little more.
        for (SweepPoint p : quick.points()) {
            assertThat(p.sampled().mean()).as("%s", p).isCloseTo(p.exact().mean(), within(0.04));
        }
    }

    @Test
    void strategyThreeJoinAndLeaveMoveAboutTheIdealShare() {
        SweepPoint p = quick.point(Strategy.EQUAL_PARTITIONS, 1024);
        assertThat(p.joinMoved().mean()).isCloseTo(1.0 / 31, within(0.2 / 31));
        assertThat(p.leaveMoved().mean()).isCloseTo(1.0 / 30, within(0.2 / 30));
        assertThat(quick.idealJoin()).isEqualTo(1.0 / 31);
    }

    @Test
    void randomStrategiesMoveAboutTheIdealShareOnAverage() {
        for (Strategy strategy : List.of(Strategy.RANDOM_TOKENS, Strategy.TOKEN_PLACED_PARTITIONS)) {
            SweepPoint p = quick.point(strategy, 64);
            // A new node's 64 random tokens take about 1/(S+1); the spread over three runs is wide.
            assertThat(p.joinMoved().mean()).as("%s", strategy).isBetween(0.5 / 31, 1.5 / 31);
            assertThat(p.leaveMoved().mean()).as("%s", strategy).isBetween(0.5 / 30, 1.5 / 30);
        }
    }

    @Test
    void efficiencyOfRandomTokensImprovesWithMoreTokens() {
        List<SweepPoint> points = quick.points(Strategy.RANDOM_TOKENS);
        assertThat(points.get(0).exact().mean()).isLessThan(points.get(points.size() - 1).exact().mean());
    }

    @Test
    void sameSeedGivesIdenticalReportText() {
        PartitioningConfig config = PartitioningConfig.quick(30, 3, 7L, 50_000);
        String again = PartitioningExperiment.run(config).toText();
        assertThat(again).isEqualTo(quick.toText());
        assertThat(again).contains(PartitioningReport.EFFICIENCY_HEADER).contains("seed 7");
    }

    @Test
    void otherSeedGivesOtherRandomRings() {
        PartitioningReport other = PartitioningExperiment.run(PartitioningConfig.quick(30, 3, 8L, 50_000));
        assertThat(other.point(Strategy.RANDOM_TOKENS, 8).exact())
                .isNotEqualTo(quick.point(Strategy.RANDOM_TOKENS, 8).exact());
        assertThat(other.point(Strategy.EQUAL_PARTITIONS, 1024).exact())
                .isEqualTo(quick.point(Strategy.EQUAL_PARTITIONS, 1024).exact());
    }

    @Test
    void strategyTwoPartitionCountIsTheSmallestPowerOfTwoCoveringEightRangesPerToken() {
        assertThat(Strategy.partitionsFor(30, 1)).isEqualTo(256);
        assertThat(Strategy.partitionsFor(30, 64)).isEqualTo(16384);
        assertThat(Strategy.partitionsFor(30, 256)).isEqualTo(65536);
        assertThat(Strategy.partitionsFor(128, 4096)).isEqualTo(Strategy.MAX_STRATEGY_2_PARTITIONS);
        assertThat(quick.point(Strategy.TOKEN_PLACED_PARTITIONS, 8).ranges()).isEqualTo(2048);
        assertThat(quick.point(Strategy.TOKEN_PLACED_PARTITIONS, 8).metadataSize()).isEqualTo(30 * 8 + 2048);
    }

    @Test
    void badConfigurationsAreRejectedWithTheValueNamed() {
        assertThatThrownBy(() -> PartitioningConfig.standard(3, 3, 1, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodes").hasMessageContaining("3");
        assertThatThrownBy(() -> PartitioningConfig.standard(30, 0, 1, 1000))
                .hasMessageContaining("replicas must be between 1 and 16, was 0");
        assertThatThrownBy(() -> PartitioningConfig.standard(30, 3, 1, 0))
                .hasMessageContaining("sampled keys");
        assertThatThrownBy(() -> new PartitioningConfig(30, 3, 1, 10, 1, List.of(1), List.of(32, 48), 1, 32))
                .hasMessageContaining("powers of two").hasMessageContaining("48");
    }

    @Test
    void standardSweepDropsPartitionCountsTooSmallForAJoin() {
        assertThat(PartitioningConfig.standard(30, 3, 1, 10).partitionCounts()).startsWith(32).endsWith(8192);
        assertThat(PartitioningConfig.standard(40, 3, 1, 10).partitionCounts()).startsWith(64);
        assertThat(PartitioningConfig.defaults().tokensPerNode()).containsExactly(1, 2, 4, 8, 16, 32, 64, 128, 256);
    }
}

package io.dynamo.sim.partitioning;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.ring.Token;
import io.dynamo.core.testing.Gens;
import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

class LoadBalanceProperties {

    private static final Token[] KEYS = PartitioningExperiment.sampleKeys(RandomSource.seeded(99), 100_000);

    @Test
    void exactLoadsSumToNAndEfficiencyIsInRange() {
        qt(30).forAll(Generate.range(4, 40), Generate.range(1, 3), Generate.range(0, 6), Gens.longs())
                .checkAssert((s, strategyNumber, log2t, seed) -> {
                    int n = 3;
                    Strategy strategy = Strategy.values()[strategyNumber - 1];
                    int parameter = strategy == Strategy.EQUAL_PARTITIONS
                            ? Math.max(64, Integer.highestOneBit(s) << (1 + log2t / 2))
                            : 1 << log2t;
                    Ring ring = strategy.claim(s, parameter, n).initial(members(s), RandomSource.seeded(seed));

                    double[] loads = LoadBalance.exactLoads(ring, n);
                    double sum = 0;
                    for (double load : loads) {
                        sum += load;
                    }
                    assertThat(sum).isCloseTo(n, within(1e-9));
                    double efficiency = LoadBalance.efficiency(loads);
                    assertThat(efficiency).isGreaterThan(0.0).isLessThanOrEqualTo(1.0 + 1e-12);
                });
    }

    @Test
    void sampledEfficiencyAgreesWithExact() {
        qt(15).forAll(Generate.range(4, 40), Generate.range(1, 3), Generate.range(0, 6), Gens.longs())
                .checkAssert((s, strategyNumber, log2t, seed) -> {
                    int n = 3;
                    Strategy strategy = Strategy.values()[strategyNumber - 1];
                    int parameter = strategy == Strategy.EQUAL_PARTITIONS ? 1024 : 1 << log2t;
                    Ring ring = strategy.claim(s, parameter, n).initial(members(s), RandomSource.seeded(seed));
                    // 100,000 keys: the busiest node's sampled load is within a few per cent of its exact load.
                    assertThat(LoadBalance.sampledEfficiency(ring, n, KEYS))
                            .isCloseTo(LoadBalance.exactEfficiency(ring, n), within(0.04));
                });
    }

    @Test
    void strategyThreeReachesTheBalancedShareBound() {
        qt(20).forAll(Generate.range(4, 100), Generate.range(7, 11)).checkAssert((s, log2q) -> {
            int q = 1 << log2q;
            if (q <= s) {
                return;
            }
            Ring ring = ClaimStrategy.equalPartitions(q, 3).initial(members(s), RandomSource.seeded(1));
            double bound = ((double) q / s) / Math.ceil((double) q / s);
            assertThat(LoadBalance.exactEfficiency(ring, 3)).isCloseTo(bound, within(1e-9));
        });
    }

    @Test
    void strategyThreeJoinMovesAboutOneShare() {
        qt(20).forAll(Generate.range(4, 60), Generate.range(9, 11)).checkAssert((s, log2q) -> {
            int q = 1 << log2q;
            List<Member> members = members(s);
            ClaimStrategy claim = ClaimStrategy.equalPartitions(q, 3);
            Ring ring = claim.initial(members, RandomSource.seeded(1));
            List<Member> grown = members(s + 1);
            double moved = Movement.movedFraction(ring, claim.claim(ring, grown, RandomSource.seeded(2)), 3);
            assertThat(moved).isCloseTo(1.0 / (s + 1), within(0.2 / (s + 1)));
        });
    }

    @Test
    void anUnchangedRingMovesNothing() {
        qt(20).forAll(Generate.range(4, 40), Generate.range(1, 3), Gens.longs())
                .checkAssert((s, strategyNumber, seed) -> {
                    Strategy strategy = Strategy.values()[strategyNumber - 1];
                    int parameter = strategy == Strategy.EQUAL_PARTITIONS ? 256 : 8;
                    ClaimStrategy claim = strategy.claim(s, parameter, 3);
                    Ring ring = claim.initial(members(s), RandomSource.seeded(seed));
                    Ring unchanged = claim.claim(ring, members(s), RandomSource.seeded(seed + 1));
                    assertThat(Movement.movedFraction(ring, unchanged, 3))
                            .isCloseTo(0.0, within(1e-12));
                });
    }

    private static List<Member> members(int s) {
        List<Member> out = new ArrayList<>();
        for (int i = 1; i <= s; i++) {
            out.add(Member.of(String.format(java.util.Locale.ROOT, "node%03d", i)));
        }
        return out;
    }
}

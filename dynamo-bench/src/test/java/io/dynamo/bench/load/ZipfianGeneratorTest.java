package io.dynamo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZipfianGeneratorTest {

    private static long seed(String test) {
        long seed = ThreadLocalRandom.current().nextLong();
        System.out.println(test + ": seed " + seed);
        return seed;
    }

    @Test
    void theSameSeedDrawsTheSameKeys() {
        long seed = seed("sameSeed");
        ZipfianGenerator a = ZipfianGenerator.scrambled(10_000, 0.99, seed);
        ZipfianGenerator b = ZipfianGenerator.scrambled(10_000, 0.99, seed);
        SplittableRandom ra = new SplittableRandom(seed);
        SplittableRandom rb = new SplittableRandom(seed);
        long[] first = new long[1000];
        long[] second = new long[1000];
        for (int i = 0; i < first.length; i++) {
            first[i] = a.next(ra);
            second[i] = b.next(rb);
        }
        assertThat(second).isEqualTo(first);
        // Another scramble seed moves the hot keys.
        ZipfianGenerator other = ZipfianGenerator.scrambled(10_000, 0.99, seed + 1);
        assertThat(other.recordOfRank(0) == a.recordOfRank(0) && other.recordOfRank(1) == a.recordOfRank(1)
                && other.recordOfRank(2) == a.recordOfRank(2)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 7, 100, 1000, 65_537})
    void everyKeyIsInRange(long items) {
        long seed = seed("range " + items);
        ZipfianGenerator zipf = ZipfianGenerator.scrambled(items, ZipfianGenerator.YCSB_CONSTANT, seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            assertThat(zipf.next(random)).isBetween(0L, items - 1);
        }
        assertThat(zipf.rank(0.0)).isZero();
        assertThat(zipf.rank(Math.nextDown(1.0))).isBetween(0L, items - 1);
    }

    @Test
    void theHottestKeyGetsFarMoreThanAUniformShare() {
        long seed = seed("skew");
        int items = 1000;
        int draws = 200_000;
        ZipfianGenerator zipf = ZipfianGenerator.scrambled(items, ZipfianGenerator.YCSB_CONSTANT, seed);
        SplittableRandom random = new SplittableRandom(seed);
        int[] counts = new int[items];
        for (int i = 0; i < draws; i++) {
            counts[(int) zipf.next(random)]++;
        }
        int hottest = Arrays.stream(counts).max().orElseThrow();
        double uniformShare = (double) draws / items;
        // Rank 0 has probability 1 / zeta(1000, 0.99), about 13 %: some 130 times a uniform share.
        assertThat(hottest).isGreaterThan((int) (20 * uniformShare));
        assertThat(counts[(int) zipf.recordOfRank(0)]).isEqualTo(hottest);
        assertThat((double) hottest / draws).isCloseTo(zipf.probabilityOfRank(0), within(0.01));
        // The hot keys are spread out, not records 0, 1, 2.
        Set<Long> top = new HashSet<>();
        for (int r = 0; r < 3; r++) {
            top.add(zipf.recordOfRank(r));
        }
        assertThat(top).hasSize(3).isNotEqualTo(Set.of(0L, 1L, 2L));
    }

    @Test
    void rankFrequenciesFollowTheZipfianLaw() {
        long seed = seed("law");
        ZipfianGenerator zipf = ZipfianGenerator.ranked(100, 0.99);
        SplittableRandom random = new SplittableRandom(seed);
        int draws = 200_000;
        int[] counts = new int[100];
        for (int i = 0; i < draws; i++) {
            counts[(int) zipf.next(random)]++;
        }
        for (int rank : new int[] {0, 1, 2, 9, 49}) {
            assertThat((double) counts[rank] / draws).as("rank " + rank)
                    .isCloseTo(zipf.probabilityOfRank(rank), within(0.012));
        }
        // Ranked: popularity falls with the record number.
        assertThat(counts[0]).isGreaterThan(counts[1]);
        assertThat(counts[1]).isGreaterThan(counts[9]);
    }

    @Test
    void zetaBeyondTheExactTermsMatchesTheExactSum() {
        for (long n : new long[] {1_001, 50_000, 2_000_000}) {
            double exact = ZipfianGenerator.zeta(n, 0.99, n);
            double estimated = ZipfianGenerator.zeta(n, 0.99, 1_000);
            assertThat(estimated).as("zeta(%d)", n).isCloseTo(exact, within(exact * 1e-9));
        }
    }

    @Test
    void aBillionRecordsNeedNoLongSetUp() {
        ZipfianGenerator zipf = ZipfianGenerator.scrambled(1_000_000_000L, 0.99, 5);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 1000; i++) {
            assertThat(zipf.next(random)).isBetween(0L, 999_999_999L);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 5, 64, 1000, 4097})
    void theScrambleIsAPermutation(long n) {
        long seed = seed("permutation " + n);
        KeyScrambler scrambler = new KeyScrambler(n, seed);
        boolean[] hit = new boolean[(int) n];
        for (long x = 0; x < n; x++) {
            long y = scrambler.apply(x);
            assertThat(y).isBetween(0L, n - 1);
            assertThat(hit[(int) y]).as("%d hit twice", y).isFalse();
            hit[(int) y] = true;
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> ZipfianGenerator.ranked(0, 0.99)).hasMessageContaining("items must be at least 1");
        assertThatThrownBy(() -> ZipfianGenerator.ranked(10, 1.0)).hasMessageContaining("theta");
        assertThatThrownBy(() -> KeyChooser.uniform(0)).hasMessageContaining("items must be at least 1");
    }

    @Test
    void uniformCoversTheRange() {
        long seed = seed("uniform");
        KeyChooser uniform = KeyDistribution.UNIFORM.chooser(50, seed);
        SplittableRandom random = new SplittableRandom(seed);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            long k = uniform.next(random);
            assertThat(k).isBetween(0L, 49L);
            seen.add(k);
        }
        assertThat(seen).hasSize(50);
    }
}

package io.dynamo.bench.load;

import java.util.random.RandomGenerator;

/**
 * Zipfian record numbers: the item of popularity rank {@code i} (from 0) is drawn with
 * probability proportional to {@code 1 / (i + 1)^theta}. With YCSB's constant theta = 0.99 over
 * 10,000 records the hottest record takes about 10 % of the draws, the hottest 1 % of records
 * about 50 %.
 *
 * <p>Ranks are drawn with the rejection-free method of Gray et al. ("Quickly generating
 * billion-record synthetic databases", SIGMOD 1994), which needs zeta(n, theta), the sum of
 * {@code 1/i^theta} for i = 1..n: summed exactly up to {@value #EXACT_ZETA_TERMS} terms, and
 * beyond that with the Euler-Maclaurin formula (relative error below 1e-12), so building a
 * generator over a billion records takes milliseconds, not seconds.
 *
 * <p><b>Scrambled.</b> As in YCSB's scrambled zipfian, a rank is mapped to a record through a
 * seeded scramble so that the popular records are spread over the key space (and so over the
 * ring's partitions) rather than being records 0, 1, 2... Unlike YCSB's hash-modulo-n, the
 * scramble here is a permutation of [0, n) ({@link KeyScrambler}): no two ranks share a record,
 * so the distribution over records is exactly the zipfian one, reordered.
 *
 * <p>Thread-safe and stateless: {@link #next} takes the random generator to draw from.
 */
public final class ZipfianGenerator implements KeyChooser {

    /** YCSB's zipfian constant. */
    public static final double YCSB_CONSTANT = 0.99;

    /** Terms of zeta(n, theta) summed one by one; the rest by Euler-Maclaurin. */
    static final long EXACT_ZETA_TERMS = 1_000_000;

    private final long items;
    private final double theta;
    private final double alpha;
    private final double zetan;
    private final double eta;
    private final double halfPowTheta;
    private final KeyScrambler scrambler;

    private ZipfianGenerator(long items, double theta, KeyScrambler scrambler) {
        if (items < 1) {
            throw new IllegalArgumentException("items must be at least 1, was " + items);
        }
        if (!(theta > 0 && theta < 1)) {
            throw new IllegalArgumentException("theta must be between 0 and 1 (exclusive), was " + theta);
        }
        this.items = items;
        this.theta = theta;
        this.alpha = 1.0 / (1.0 - theta);
        this.zetan = zeta(items, theta, EXACT_ZETA_TERMS);
        this.halfPowTheta = Math.pow(0.5, theta);
        double zeta2 = 1.0 + halfPowTheta;
        this.eta = items > 2 ? (1.0 - Math.pow(2.0 / items, 1.0 - theta)) / (1.0 - zeta2 / zetan) : 0;
        this.scrambler = scrambler;
    }

    /** Rank order: record 0 is the most popular, then 1, and so on. */
    public static ZipfianGenerator ranked(long items, double theta) {
        return new ZipfianGenerator(items, theta, null);
    }

    /** Popularity ranks spread over [0, items) by a permutation derived from {@code seed}. */
    public static ZipfianGenerator scrambled(long items, double theta, long seed) {
        return new ZipfianGenerator(items, theta, new KeyScrambler(items, seed));
    }

    @Override
    public long items() {
        return items;
    }

    public double theta() {
        return theta;
    }

    /** The record of popularity rank {@code rank} (the rank itself when not scrambled). */
    public long recordOfRank(long rank) {
        return scrambler == null ? rank : scrambler.apply(rank);
    }

    @Override
    public long next(RandomGenerator random) {
        return recordOfRank(rank(random.nextDouble()));
    }

    /** The popularity rank, in [0, items), that a uniform draw {@code u} in [0, 1) maps to. */
    public long rank(double u) {
        double uz = u * zetan;
        if (uz < 1.0) {
            return 0;
        }
        if (items == 1) {
            return 0;
        }
        if (uz < 1.0 + halfPowTheta) {
            return 1;
        }
        long r = (long) (items * Math.pow(eta * u - eta + 1.0, alpha));
        return Math.max(0, Math.min(r, items - 1));
    }

    /** The probability of rank {@code rank}, for tests and reports. */
    public double probabilityOfRank(long rank) {
        return 1.0 / Math.pow(rank + 1.0, theta) / zetan;
    }

    /**
     * zeta(n, theta) = sum of 1/i^theta for i = 1..n: the first {@code exactTerms} terms summed,
     * the rest estimated by the Euler-Maclaurin formula (integral, half end terms, and the first
     * derivative correction).
     */
    static double zeta(long n, double theta, long exactTerms) {
        long m = Math.min(n, Math.max(1, exactTerms));
        double sum = 0;
        for (long i = m; i >= 1; i--) { // smallest terms first, for accuracy
            sum += 1.0 / Math.pow(i, theta);
        }
        if (n == m) {
            return sum;
        }
        double a = m;
        double b = n;
        double integral = (Math.pow(b, 1 - theta) - Math.pow(a, 1 - theta)) / (1 - theta);
        double ends = (Math.pow(b, -theta) - Math.pow(a, -theta)) / 2;
        double derivative = (-theta * Math.pow(b, -theta - 1) + theta * Math.pow(a, -theta - 1)) / 12;
        return sum + integral + ends + derivative;
    }
}

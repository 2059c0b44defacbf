package io.dynamo.bench.load;

/**
 * A seeded permutation of [0, n): a four-round balanced Feistel network over the smallest even
 * number of bits that covers n, with cycle walking (a result of n or more is encrypted again
 * until it falls inside), so every number in [0, n) maps to a distinct number in [0, n). Fewer
 * than four encryptions per call on average, since 2^bits is less than 4n.
 */
final class KeyScrambler {

    private static final int ROUNDS = 4;

    private final long n;
    private final int half;
    private final long mask;
    private final long[] keys = new long[ROUNDS];

    KeyScrambler(long n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        this.n = n;
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(n - 1));
        if (bits % 2 == 1) {
            bits++;
        }
        if (bits > 62) {
            throw new IllegalArgumentException("n is too large to scramble: " + n);
        }
        this.half = bits / 2;
        this.mask = (1L << half) - 1;
        long s = seed;
        for (int i = 0; i < ROUNDS; i++) {
            s += 0x9E3779B97F4A7C15L;
            keys[i] = mix64(s);
        }
    }

    /** The image of {@code x}, which must be in [0, n). */
    long apply(long x) {
        if (x < 0 || x >= n) {
            throw new IllegalArgumentException("x must be in [0, " + n + "), was " + x);
        }
        long y = encrypt(x);
        while (y >= n) {
            y = encrypt(y);
        }
        return y;
    }

    private long encrypt(long x) {
        long left = x >>> half;
        long right = x & mask;
        for (int i = 0; i < ROUNDS; i++) {
            long next = left ^ (mix64(right ^ keys[i]) & mask);
            left = right;
            right = next;
        }
        return (left << half) | right;
    }

    /** SplitMix64's finalizer: a bijective 64-bit mix. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package io.dynamo.core.time;

import java.util.SplittableRandom;

/**
 * Seeded randomness for node logic. Every draw is determined by the seed, so a simulated run
 * replays exactly. {@link #split()} derives an independent stream, so that giving one component
 * its own stream does not shift the draws of another.
 *
 * <p>Not thread-safe: each single-threaded component owns its own source.
 */
public final class RandomSource {

    private final SplittableRandom random;
    private final long seed;

    private RandomSource(SplittableRandom random, long seed) {
        this.random = random;
        this.seed = seed;
    }

    /** A source whose every draw follows from {@code seed}. */
    public static RandomSource seeded(long seed) {
        return new RandomSource(new SplittableRandom(seed), seed);
    }

    /** The seed this source (or the source it was split from) was created with. */
    public long seed() {
        return seed;
    }

    /** An independent stream derived deterministically from this one. */
    public RandomSource split() {
        return new RandomSource(random.split(), seed);
    }

    public long nextLong() {
        return random.nextLong();
    }

    public int nextInt() {
        return random.nextInt();
    }

    /** Uniform in {@code [0, bound)}; {@code bound} must be positive. */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Uniform in {@code [origin, bound)}. */
    public long nextLong(long origin, long bound) {
        return random.nextLong(origin, bound);
    }

    /** Uniform in {@code [0, 1)}. */
    public double nextDouble() {
        return random.nextDouble();
    }

    public boolean nextBoolean() {
        return random.nextBoolean();
    }

    public void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }
}

package io.dynamo.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * What one benchmark run does: the keys, the mix of operations and how they pick keys, the
 * values, the concurrency and pacing, how long it runs, the quorums, and the seed. Every field is
 * checked when the spec is made; a bad one throws {@link IllegalArgumentException} with a message
 * that names it. Make one with {@link #builder()}.
 *
 * @param namespace the namespace (bucket) the keys live in
 * @param records how many keys the load phase writes and the run phase's reads, updates,
 *     read-modify-writes and deletes choose among: {@code user0000000000} to {@code user<records - 1>}
 * @param mix the proportions of the operations
 * @param distribution how operations pick keys among the records
 * @param valueSize bytes of every value written (random bytes from the seeded generator)
 * @param threads worker threads, each issuing one synchronous call at a time
 * @param duration how long the measured part of the run phase lasts (after the warm-up); null
 *     for no time limit (then {@code operations} must be set)
 * @param operations how many measured operations to issue in all; 0 for no limit (then
 *     {@code duration} must be set). With both, the run ends at whichever comes first
 * @param warmup how long the run phase issues operations before measuring; not recorded
 * @param targetRate operations per second over all threads, 0 for as fast as they go (closed
 *     loop); above 0 the run is open loop and latency counts from each operation's intended start
 * @param readQuorum R for every read, 0 for the namespace's default
 * @param writeQuorum W for every write, 0 for the namespace's default
 * @param seed the seed of every random choice (operation, key, value, scramble)
 * @param load whether to write the records before the run phase
 * @param contextCacheSize how many keys' causal contexts the shared cache keeps (a bounded,
 *     direct-mapped cache; an update of a key it has lost reads the key first)
 */
public record WorkloadSpec(String namespace, long records, OperationMix mix, KeyDistribution distribution,
        int valueSize, int threads, Duration duration, long operations, Duration warmup, double targetRate,
        int readQuorum, int writeQuorum, long seed, boolean load, int contextCacheSize) {

    /** The most records a run may have. */
    public static final long MAX_RECORDS = 1_000_000_000L;
    /** The largest value a run may write (the nodes may set a lower limit per namespace). */
    public static final int MAX_VALUE_SIZE = 1 << 20;
    /** The most worker threads. */
    public static final int MAX_THREADS = 1024;
    /** The largest R or W a run may ask for (the node checks it against the namespace's N). */
    public static final int MAX_QUORUM = 16;
    /** The longest measured part, and the longest warm-up. */
    public static final Duration MAX_DURATION = Duration.ofDays(7);

    public WorkloadSpec {
        Objects.requireNonNull(namespace, "namespace");
        if (namespace.isBlank() || namespace.length() > 255 || !namespace.strip().equals(namespace)) {
            throw new IllegalArgumentException("namespace must be 1 to 255 characters without surrounding spaces, was '"
                    + namespace + "'");
        }
        if (records < 1 || records > MAX_RECORDS) {
            throw new IllegalArgumentException("records must be from 1 to " + MAX_RECORDS + ", was " + records);
        }
        Objects.requireNonNull(mix, "mix");
        Objects.requireNonNull(distribution, "distribution");
        if (valueSize < 1 || valueSize > MAX_VALUE_SIZE) {
            throw new IllegalArgumentException("value size must be from 1 to " + MAX_VALUE_SIZE + " bytes, was "
                    + valueSize);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be from 1 to " + MAX_THREADS + ", was " + threads);
        }
        if (duration != null && (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0)) {
            throw new IllegalArgumentException("duration must be more than 0 and at most 7 days, was " + text(duration));
        }
        if (operations < 0) {
            throw new IllegalArgumentException("operations must be at least 0 (0: no limit), was " + operations);
        }
        if (duration == null && operations == 0) {
            throw new IllegalArgumentException("a run needs a duration, an operation count, or both");
        }
        Objects.requireNonNull(warmup, "warmup (Duration.ZERO for none)");
        if (warmup.isNegative() || warmup.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("warm-up must be from 0 to 7 days, was " + text(warmup));
        }
        if (Double.isNaN(targetRate) || Double.isInfinite(targetRate) || targetRate < 0) {
            throw new IllegalArgumentException("target rate must be a finite number of operations per second >= 0 "
                    + "(0: as fast as possible), was " + targetRate);
        }
        if (targetRate > 0 && targetRate < 0.001 * threads) {
            throw new IllegalArgumentException("target rate " + targetRate + " ops/s is too low for " + threads
                    + " threads: each thread would wait more than 1000 s between operations");
        }
        if (readQuorum < 0 || readQuorum > MAX_QUORUM) {
            throw new IllegalArgumentException("R must be from 1 to " + MAX_QUORUM + " (or 0 for the namespace's "
                    + "default), was " + readQuorum);
        }
        if (writeQuorum < 0 || writeQuorum > MAX_QUORUM) {
            throw new IllegalArgumentException("W must be from 1 to " + MAX_QUORUM + " (or 0 for the namespace's "
                    + "default), was " + writeQuorum);
        }
        if (contextCacheSize < 1 || contextCacheSize > 100_000_000) {
            throw new IllegalArgumentException("context cache size must be from 1 to 100000000, was "
                    + contextCacheSize);
        }
    }

    /** Whether the run paces itself to {@link #targetRate} (open loop). */
    public boolean openLoop() {
        return targetRate > 0;
    }

    /** A builder with the defaults of {@code dynamo bench}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this spec. */
    public Builder toBuilder() {
        return new Builder().namespace(namespace).records(records).mix(mix).distribution(distribution)
                .valueSize(valueSize).threads(threads).duration(duration).operations(operations).warmup(warmup)
                .targetRate(targetRate).readQuorum(readQuorum).writeQuorum(writeQuorum).seed(seed).load(load)
                .contextCacheSize(contextCacheSize);
    }

    /** {@code 30s}, {@code 1.5s}, {@code 250ms}: a duration as the options take it. */
    public static String text(Duration d) {
        if (d == null) {
            return "none";
        }
        if (d.toNanosPart() == 0 && d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        if (d.toNanosPart() % 1_000_000 == 0) {
            return d.toMillis() + "ms";
        }
        return d.toString();
    }

    /**
     * The settings of a {@link WorkloadSpec}. Defaults: namespace {@code bench}, 10,000 records,
     * workload a, zipfian, 100-byte values, 8 threads, 30 s after a 5 s warm-up, no rate limit,
     * the namespace's R and W, seed 1, load on, 100,000 cached contexts.
     */
    public static final class Builder {
        private String namespace = "bench";
        private long records = 10_000;
        private OperationMix mix = OperationMix.preset("a");
        private KeyDistribution distribution = KeyDistribution.ZIPFIAN;
        private int valueSize = 100;
        private int threads = 8;
        private Duration duration = Duration.ofSeconds(30);
        private long operations;
        private Duration warmup = Duration.ofSeconds(5);
        private double targetRate;
        private int readQuorum;
        private int writeQuorum;
        private long seed = 1;
        private boolean load = true;
        private int contextCacheSize = 100_000;

        private Builder() {
        }

        public Builder namespace(String value) {
            this.namespace = value;
            return this;
        }

        public Builder records(long value) {
            this.records = value;
            return this;
        }

        public Builder mix(OperationMix value) {
            this.mix = value;
            return this;
        }

        public Builder distribution(KeyDistribution value) {
            this.distribution = value;
            return this;
        }

        public Builder valueSize(int value) {
            this.valueSize = value;
            return this;
        }

        public Builder threads(int value) {
            this.threads = value;
            return this;
        }

        /** The measured duration; null for none (then set {@link #operations}). */
        public Builder duration(Duration value) {
            this.duration = value;
            return this;
        }

        /** Measured operations in all; 0 for no limit. */
        public Builder operations(long value) {
            this.operations = value;
            return this;
        }

        public Builder warmup(Duration value) {
            this.warmup = value;
            return this;
        }

        /** Operations per second over all threads; 0 for no limit. */
        public Builder targetRate(double value) {
            this.targetRate = value;
            return this;
        }

        /** R per read; 0 for the namespace's. */
        public Builder readQuorum(int value) {
            this.readQuorum = value;
            return this;
        }

        /** W per write; 0 for the namespace's. */
        public Builder writeQuorum(int value) {
            this.writeQuorum = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder load(boolean value) {
            this.load = value;
            return this;
        }

        public Builder contextCacheSize(int value) {
            this.contextCacheSize = value;
            return this;
        }

        /** The spec; throws {@link IllegalArgumentException} naming the first bad field. */
        public WorkloadSpec build() {
            return new WorkloadSpec(namespace, records, mix, distribution, valueSize, threads, duration, operations,
                    warmup, targetRate, readQuorum, writeQuorum, seed, load, contextCacheSize);
        }
    }
}

package io.dynamo.bench.latency;

import io.dynamo.bench.baseline.LatencySummary;
import io.dynamo.bench.baseline.LoopbackRoundTrip;
import io.dynamo.bench.load.Keys;
import io.dynamo.bench.load.RunInfo;
import io.dynamo.bench.report.ErrorCounts;
import io.dynamo.bench.report.Text;
import io.dynamo.bench.report.Verdict;
import io.dynamo.client.CallOptions;
import io.dynamo.client.Context;
import io.dynamo.client.DynamoClient;
import io.dynamo.client.GetResult;
import io.dynamo.client.PutResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * {@code bench latency}: the latency of a get and a put through the Java client against a 3-node
 * cluster (N=3) with no other load, judged against the loopback round trip measured in the same
 * run.
 *
 * <p><b>What it does.</b> One thread, one synchronous call at a time:
 *
 * <ol>
 *   <li><b>Loopback block 1</b> ({@link LoopbackRoundTrip.Session}, after the loopback's own
 *       warm-up).
 *   <li><b>Load</b>: {@link Settings#records} keys {@code lat-<tag>-user0000000000} and up (the
 *       tag is random per run, so a run never writes over an earlier run's keys and makes
 *       siblings), each written once with the empty context and W, their contexts kept.
 *   <li><b>Warm-up</b>, then the <b>measured part</b>: repeatedly a key drawn uniformly (seeded),
 *       a {@code get} with R ({@link Settings#readQuorum}, default 2), then a {@code put} of a new
 *       random value to the same key with the get's context and W ({@link Settings#writeQuorum},
 *       default 2) and the given dw (default: the namespace's). Each call is timed on its own
 *       with {@link System#nanoTime()} around the synchronous client call; a put always carries
 *       the key's latest context, so it replaces the value instead of adding a sibling.
 *   <li>The measured part is cut into {@code loopbackBlocks - 1} equal segments (by time, or by
 *       pairs when only a count is set) with a <b>loopback block</b> after each one, so the
 *       loopback is measured before, between and after the requests, on the same machine
 *       state. The ratios use the median of all loopback blocks together.
 * </ol>
 *
 * <p><b>Targets</b>: GET p50 at most {@value #GET_TARGET}x and PUT p50 at most
 * {@value #PUT_TARGET}x the loopback round trip's p50. The p99.9 over the p50 of each is reported
 * too (no target). Failed calls are counted by type and left out of the latencies.
 *
 * <p>The client is the caller's (its routing decides where requests go: with client routing,
 * straight to a replica of the key); it is not closed.
 */
public final class UnloadedLatency {

    /** GET p50 must be at most this many loopback round trips. */
    public static final double GET_TARGET = 6.0;
    /** PUT p50 must be at most this many loopback round trips. */
    public static final double PUT_TARGET = 8.0;

    /** The slowest call recorded as such (60 s); slower ones are recorded as this. */
    private static final long HIGHEST_NANOS = 60_000_000_000L;

    private final DynamoClient client;
    private final Settings settings;
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile boolean stopRequested;

    public UnloadedLatency(DynamoClient client, Settings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * What one run does; checked when made ({@link IllegalArgumentException} naming the field).
     *
     * @param namespace the namespace of the keys
     * @param records keys written and chosen among, 1 to 10,000,000
     * @param valueSize bytes of each value, 1 to 1 MiB
     * @param warmup GET+PUT pairs for this long before measuring, not recorded
     * @param duration the measured part's length; null for none (then {@code operations} is set)
     * @param operations measured GET+PUT pairs; 0 for no limit (then {@code duration} is set).
     *     With both, the run ends at whichever comes first
     * @param readQuorum R of every get, 1 to 16
     * @param writeQuorum W of every put, 1 to 16
     * @param durableWrites dw of every put, 0 to W; -1 for the namespace's default
     * @param loopback the loopback measurement: payload, warm-up (once, at the start), and round
     *     trips per block (its max duration bounds each block)
     * @param loopbackBlocks loopback blocks, at least 2 (one before, one after, the rest between)
     * @param seed the choice of keys and the values
     */
    public record Settings(String namespace, int records, int valueSize, Duration warmup, Duration duration,
            long operations, int readQuorum, int writeQuorum, int durableWrites, LoopbackRoundTrip.Settings loopback,
            int loopbackBlocks, long seed) {

        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            if (namespace.isBlank() || namespace.length() > 255 || !namespace.strip().equals(namespace)) {
                throw new IllegalArgumentException("namespace must be 1 to 255 characters without surrounding "
                        + "spaces, was '" + namespace + "'");
            }
            if (records < 1 || records > 10_000_000) {
                throw new IllegalArgumentException("records must be from 1 to 10000000, was " + records);
            }
            if (valueSize < 1 || valueSize > 1 << 20) {
                throw new IllegalArgumentException("value size must be from 1 to 1048576 bytes, was " + valueSize);
            }
            Objects.requireNonNull(warmup, "warmup (Duration.ZERO for none)");
            if (warmup.isNegative()) {
                throw new IllegalArgumentException("warm-up must not be negative, was " + Text.duration(warmup));
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("duration must be more than 0, was " + Text.duration(duration));
            }
            if (operations < 0) {
                throw new IllegalArgumentException("operations must be at least 0 (0: no limit), was " + operations);
            }
            if (duration == null && operations == 0) {
                throw new IllegalArgumentException("a run needs a duration, an operation count, or both");
            }
            if (readQuorum < 1 || readQuorum > 16) {
                throw new IllegalArgumentException("R must be from 1 to 16, was " + readQuorum);
            }
            if (writeQuorum < 1 || writeQuorum > 16) {
                throw new IllegalArgumentException("W must be from 1 to 16, was " + writeQuorum);
            }
            if (durableWrites < -1 || durableWrites > writeQuorum) {
                throw new IllegalArgumentException("dw must be from 0 to W (" + writeQuorum + "), or -1 for the "
                        + "namespace's default, was " + durableWrites);
            }
            Objects.requireNonNull(loopback, "loopback");
            if (loopbackBlocks < 2 || loopbackBlocks > 1000) {
                throw new IllegalArgumentException("loopback blocks must be from 2 to 1000 (one before and one after "
                        + "the measured part at least), was " + loopbackBlocks);
            }
        }

        /** A builder with the defaults; the seed is required. */
        public static Builder builder(long seed) {
            return new Builder(seed);
        }

        public Builder toBuilder() {
            return new Builder(seed).namespace(namespace).records(records).valueSize(valueSize).warmup(warmup)
                    .duration(duration).operations(operations).readQuorum(readQuorum).writeQuorum(writeQuorum)
                    .durableWrites(durableWrites).loopback(loopback).loopbackBlocks(loopbackBlocks);
        }

        /**
         * Defaults: namespace {@code bench-latency}, 1,000 records, 100-byte values, 5 s warm-up,
         * 30 s measured, R=2, W=2, the namespace's dw, a 64-byte loopback with 10,000 warm-up
         * round trips and 20,000 per block (at most 10 s each), 3 blocks.
         */
        public static final class Builder {
            private final long seed;
            private String namespace = "bench-latency";
            private int records = 1000;
            private int valueSize = 100;
            private Duration warmup = Duration.ofSeconds(5);
            private Duration duration = Duration.ofSeconds(30);
            private long operations;
            private int readQuorum = 2;
            private int writeQuorum = 2;
            private int durableWrites = -1;
            private LoopbackRoundTrip.Settings loopback = new LoopbackRoundTrip.Settings(64, 10_000, 20_000,
                    Duration.ofSeconds(10));
            private int loopbackBlocks = 3;

            private Builder(long seed) {
                this.seed = seed;
            }

            public Builder namespace(String v) {
                this.namespace = v;
                return this;
            }

            public Builder records(int v) {
                this.records = v;
                return this;
            }

            public Builder valueSize(int v) {
                this.valueSize = v;
                return this;
            }

            public Builder warmup(Duration v) {
                this.warmup = v;
                return this;
            }

            /** The measured duration; null for none (then set {@link #operations}). */
            public Builder duration(Duration v) {
                this.duration = v;
                return this;
            }

            /** Measured GET+PUT pairs; 0 for no limit. */
            public Builder operations(long v) {
                this.operations = v;
                return this;
            }

            public Builder readQuorum(int v) {
                this.readQuorum = v;
                return this;
            }

            public Builder writeQuorum(int v) {
                this.writeQuorum = v;
                return this;
            }

            /** dw per put; -1 for the namespace's default. */
            public Builder durableWrites(int v) {
                this.durableWrites = v;
                return this;
            }

            public Builder loopback(LoopbackRoundTrip.Settings v) {
                this.loopback = v;
                return this;
            }

            public Builder loopbackBlocks(int v) {
                this.loopbackBlocks = v;
                return this;
            }

            public Settings build() {
                return new Settings(namespace, records, valueSize, warmup, duration, operations, readQuorum,
                        writeQuorum, durableWrites, loopback, loopbackBlocks, seed);
            }
        }
    }

    /**
     * What one run measured.
     *
     * @param settings what was asked for
     * @param info the command line and the target
     * @param startedAt when the run began (wall clock)
     * @param runTag the random tag in this run's key names
     * @param loadSeconds how long writing the records took
     * @param warmupSeconds the warm-up that ran
     * @param measuredSeconds the measured part, loopback blocks between segments not included
     * @param pairs GET+PUT pairs measured (a pair whose get or put failed included)
     * @param get the successful gets' latency
     * @param put the successful puts' latency
     * @param getHistogram the gets, in nanoseconds (a copy is kept)
     * @param putHistogram the puts, in nanoseconds (a copy is kept)
     * @param getErrors failed gets by type
     * @param putErrors failed puts by type
     * @param readsWithSiblings gets that returned two or more siblings (0 unless another client
     *     writes the keys)
     * @param durableAcks measured puts by the number of durable acknowledgements they reported
     * @param loopbackBlocks each loopback block, in order (before, between, after)
     * @param loopback every loopback block together
     * @param loopbackHistogram every loopback round trip, in nanoseconds (a copy is kept)
     * @param stoppedEarly whether {@link #stop()} ended the run early
     */
    public record Result(Settings settings, RunInfo info, Instant startedAt, String runTag, double loadSeconds,
            double warmupSeconds, double measuredSeconds, long pairs, LatencySummary get, LatencySummary put,
            Histogram getHistogram, Histogram putHistogram, ErrorCounts.Snapshot getErrors,
            ErrorCounts.Snapshot putErrors, long readsWithSiblings, Map<Integer, Long> durableAcks,
            List<LatencySummary> loopbackBlocks, LatencySummary loopback, Histogram loopbackHistogram,
            boolean stoppedEarly) {

        public Result {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(info, "info");
            getHistogram = getHistogram.copy();
            putHistogram = putHistogram.copy();
            loopbackHistogram = loopbackHistogram.copy();
            durableAcks = Collections.unmodifiableMap(new TreeMap<>(durableAcks));
            loopbackBlocks = List.copyOf(loopbackBlocks);
        }

        @Override
        public Histogram getHistogram() {
            return getHistogram.copy();
        }

        @Override
        public Histogram putHistogram() {
            return putHistogram.copy();
        }

        @Override
        public Histogram loopbackHistogram() {
            return loopbackHistogram.copy();
        }

        /** GET p50 over the loopback p50; NaN when either is missing. */
        public double getOverLoopback() {
            return ratio(get.p50Micros(), loopback.p50Micros());
        }

        /** PUT p50 over the loopback p50; NaN when either is missing. */
        public double putOverLoopback() {
            return ratio(put.p50Micros(), loopback.p50Micros());
        }

        /** The two verdicts: GET p50 within {@value #GET_TARGET}x, PUT p50 within {@value #PUT_TARGET}x. */
        public List<Verdict> verdicts() {
            return List.of(
                    Verdict.atMost("GET p50", getOverLoopback(), GET_TARGET, Text.times(getOverLoopback())
                            + " loopback RTT", "within " + (int) GET_TARGET + "x"),
                    Verdict.atMost("PUT p50", putOverLoopback(), PUT_TARGET, Text.times(putOverLoopback())
                            + " loopback RTT", "within " + (int) PUT_TARGET + "x"));
        }

        private static double ratio(double a, double b) {
            return Double.isNaN(a) || Double.isNaN(b) || b <= 0 ? Double.NaN : a / b;
        }
    }

    /** Asks a running {@link #run} to end early; it returns what was measured. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Runs the benchmark, sending a line to {@code progress} at each step. Blocks until done.
     *
     * @throws IllegalStateException if this instance already ran
     * @throws UncheckedIOException if the loopback measurement fails
     */
    public Result run(RunInfo info, Consumer<String> progress) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(progress, "progress");
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("an UnloadedLatency runs once; make another");
        }
        Settings s = settings;
        Instant startedAt = Instant.now();
        String tag = String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());
        SplittableRandom random = new SplittableRandom(s.seed());
        CallOptions readOptions = CallOptions.defaults().r(s.readQuorum());
        CallOptions writeOptions = CallOptions.defaults().w(s.writeQuorum());
        if (s.durableWrites() >= 0) {
            writeOptions = writeOptions.dw(s.durableWrites());
        }
        byte[][] keys = new byte[s.records()][];
        Context[] contexts = new Context[s.records()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Keys.bytes("lat-" + tag + "-" + Keys.record(i));
        }
        byte[] value = new byte[s.valueSize()];
        List<Histogram> loopbackBlocks = new ArrayList<>();
        Histogram gets = LatencySummary.nanosHistogram();
        Histogram puts = LatencySummary.nanosHistogram();
        ErrorCounts getErrors = new ErrorCounts();
        ErrorCounts putErrors = new ErrorCounts();
        Map<Integer, Long> durable = new TreeMap<>();
        long[] siblings = new long[1];
        long pairs = 0;
        double loadSeconds;
        double warmupSeconds;
        double measuredSeconds = 0;

        try (LoopbackRoundTrip.Session loop = LoopbackRoundTrip.Session.open(s.loopback().payloadBytes())) {
            LoopbackRoundTrip.Settings ls = s.loopback();
            if (ls.warmupRoundTrips() > 0) {
                loop.measure(ls.warmupRoundTrips(), ls.maxDuration());
            }
            loopbackBlocks.add(loop.measure(ls.roundTrips(), ls.maxDuration()));
            progress.accept("loopback block 1 of " + s.loopbackBlocks() + ": p50 "
                    + Text.us(LatencySummary.fromNanos(loopbackBlocks.get(0)).p50Micros()) + " us");

            progress.accept("loading " + Text.n(s.records()) + " records (run tag " + tag + ")");
            long start = System.nanoTime();
            ErrorCounts loadErrors = new ErrorCounts();
            for (int i = 0; i < keys.length && !stopRequested; i++) {
                random.nextBytes(value);
                try {
                    contexts[i] = client.put(s.namespace(), keys[i], value, DynamoClient.DEFAULT_CONTENT_TYPE,
                            Context.EMPTY, writeOptions).context();
                } catch (RuntimeException e) {
                    loadErrors.add(e);
                }
            }
            loadSeconds = (System.nanoTime() - start) / 1e9;
            if (loadErrors.total() == s.records()) {
                throw new IllegalStateException("every write of the load failed: " + loadErrors.snapshot().line());
            }

            progress.accept("warm-up " + Text.duration(s.warmup()));
            start = System.nanoTime();
            long warmEnd = start + s.warmup().toNanos();
            while (!stopRequested && System.nanoTime() - warmEnd < 0) {
                pair(keys, contexts, random, value, readOptions, writeOptions, null, null, null, null, null, null);
            }
            warmupSeconds = (System.nanoTime() - start) / 1e9;

            int segments = s.loopbackBlocks() - 1;
            for (int seg = 0; seg < segments && !stopRequested; seg++) {
                long segStart = System.nanoTime();
                long segEnd = s.duration() == null ? 0 : segStart + s.duration().toNanos() / segments;
                long segPairs = s.operations() == 0 ? Long.MAX_VALUE
                        : s.operations() / segments + (seg < s.operations() % segments ? 1 : 0);
                long done = 0;
                while (!stopRequested && done < segPairs && (s.duration() == null || System.nanoTime() - segEnd < 0)) {
                    pair(keys, contexts, random, value, readOptions, writeOptions, gets, puts, getErrors, putErrors,
                            durable, siblings);
                    done++;
                }
                pairs += done;
                measuredSeconds += (System.nanoTime() - segStart) / 1e9;
                Histogram block = loop.measure(ls.roundTrips(), ls.maxDuration());
                loopbackBlocks.add(block);
                progress.accept(String.format(Locale.ROOT, "segment %d of %d: %,d pairs; loopback block %d of %d: "
                        + "p50 %s us", seg + 1, segments, done, seg + 2, s.loopbackBlocks(),
                        Text.us(LatencySummary.fromNanos(block).p50Micros())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the loopback measurement failed: " + e.getMessage(), e);
        }

        Histogram allLoopback = LatencySummary.nanosHistogram();
        List<LatencySummary> blocks = new ArrayList<>();
        for (Histogram h : loopbackBlocks) {
            allLoopback.add(h);
            blocks.add(LatencySummary.fromNanos(h));
        }
        return new Result(s, info, startedAt, tag, loadSeconds, warmupSeconds, measuredSeconds, pairs,
                LatencySummary.fromNanos(gets), LatencySummary.fromNanos(puts), gets, puts, getErrors.snapshot(),
                putErrors.snapshot(), siblings[0], durable, blocks, LatencySummary.fromNanos(allLoopback),
                allLoopback, stopRequested);
    }

    /** One GET then PUT of a random key; recorded when the histograms are given (else warm-up). */
    private void pair(byte[][] keys, Context[] contexts, SplittableRandom random, byte[] value, CallOptions read,
            CallOptions write, Histogram gets, Histogram puts, ErrorCounts getErrors, ErrorCounts putErrors,
            Map<Integer, Long> durable, long[] siblings) {
        int k = random.nextInt(keys.length);
        random.nextBytes(value);
        long t0 = System.nanoTime();
        try {
            GetResult got = client.get(settings.namespace(), keys[k], read);
            long t1 = System.nanoTime();
            contexts[k] = got.context();
            if (gets != null) {
                gets.recordValue(clamp(t1 - t0));
                if (got.siblings().size() > 1) {
                    siblings[0]++;
                }
            }
        } catch (RuntimeException e) {
            if (getErrors != null) {
                getErrors.add(e);
            }
        }
        Context context = contexts[k] == null ? Context.EMPTY : contexts[k];
        long t2 = System.nanoTime();
        try {
            PutResult put = client.put(settings.namespace(), keys[k], value, DynamoClient.DEFAULT_CONTENT_TYPE,
                    context, write);
            long t3 = System.nanoTime();
            contexts[k] = put.context();
            if (puts != null) {
                puts.recordValue(clamp(t3 - t2));
                durable.merge(put.durable(), 1L, Long::sum);
            }
        } catch (RuntimeException e) {
            if (putErrors != null) {
                putErrors.add(e);
            }
        }
    }

    private static long clamp(long nanos) {
        return Math.min(HIGHEST_NANOS, Math.max(1, nanos));
    }
}

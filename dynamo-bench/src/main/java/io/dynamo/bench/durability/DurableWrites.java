package io.dynamo.bench.durability;

import io.dynamo.bench.baseline.FsyncProbe;
import io.dynamo.bench.baseline.LatencySummary;
import io.dynamo.bench.load.Keys;
import io.dynamo.bench.load.RunInfo;
import io.dynamo.bench.load.Threads;
import io.dynamo.bench.report.ErrorCounts;
import io.dynamo.bench.report.Text;
import io.dynamo.bench.report.Verdict;
import io.dynamo.client.CallOptions;
import io.dynamo.client.Context;
import io.dynamo.client.DynamoClient;
import io.dynamo.client.PutResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * {@code bench durability}: put throughput through the Java client with durable writes against
 * buffered writes, in one run, with the cost of one fsync on the same machine measured beside it.
 *
 * <p><b>The two modes</b> differ only in the put's {@code dw}, the number of its W
 * acknowledgements that must be durable (docs/design/coordination.md, put):
 *
 * <ul>
 *   <li><b>durable</b>: {@code dw = W} (2 of N=3 by default). The coordinator (a replica of the
 *       key) writes its own copy {@link io.dynamo.core.storage.Durability#DURABLE} and sends the
 *       first other target a durable replica write; any further target gets a buffered one. A
 *       durable write's acknowledgement waits for its node's <i>group commit</i>: the RocksDB
 *       engine writes the record to the memtable and the WAL unsynced, then hands a future to its
 *       one committer thread, which takes every durable writer waiting (up to 1,024), calls
 *       {@code flushWal(true)} once (write and fsync the WAL), and completes them all; writers
 *       arriving during that fsync form the next batch (docs/design/storage.md, Writes, group
 *       commit, durability). So the client's answer comes after W acknowledgements, each behind
 *       one WAL fsync on its node, and concurrent puts share those fsyncs.
 *   <li><b>buffered</b>: {@code dw = 0} by default. Every replica write, the coordinator's own
 *       too, is {@link io.dynamo.core.storage.Durability#BUFFERED}: acknowledged once it is in
 *       RocksDB's memtable and WAL (in the page cache, not synced); each node's committer syncs
 *       the WAL at least once per {@code storage.flush_interval_ms} (1 s by default) when anything
 *       was written, off the request path. A process crash loses nothing (the page cache
 *       survives it), a machine crash may lose the last interval. The namespace default, dw=1,
 *       is not buffered: it makes the coordinator's own write durable, so every put would still
 *       wait for one fsync. {@link Settings#bufferedDurableWrites} can set it to 1 to measure that
 *       instead.
 * </ul>
 *
 * <p><b>What it does.</b> First the {@link FsyncProbe} (in the cluster's data directory when
 * given, else a temporary one). Then {@link Settings#threads} client threads, closed loop (each
 * sends its next put when the last is answered), each put a new key ({@code dur-<tag>-user...},
 * the tag random per run) with the empty context and a {@link Settings#valueSize} value of seeded
 * random bytes, W = {@link Settings#writeQuorum}: a warm-up (half buffered, half durable, not
 * recorded), then {@link Settings#rounds} rounds of a buffered phase then a durable phase, each
 * {@link Settings#phase} long. Alternating spreads the machine's noise over both modes; each
 * mode's throughput is the <b>median</b> of its phases, its latency the phases' histograms
 * together. Failed puts are counted by type and left out of throughput and latency.
 *
 * <p><b>Target</b>: durable-write throughput at least half of buffered-write throughput
 * ({@value #TARGET_RATIO}). The result also gives an estimate of how many durable replica writes
 * each fsync must have carried ({@link Result#writesPerFsyncEstimate()}).
 */
public final class DurableWrites {

    /** Durable throughput must be at least this share of buffered throughput. */
    public static final double TARGET_RATIO = 0.5;

    /** The slowest put recorded as such (60 s); slower ones are recorded as this. */
    private static final long HIGHEST_MICROS = 60_000_000L;

    private final DynamoClient client;
    private final Settings settings;
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile boolean stopRequested;

    public DurableWrites(DynamoClient client, Settings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The two modes, in the order each round runs them. */
    public enum Mode {
        BUFFERED("buffered"),
        DURABLE("durable");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What one run does; checked when made ({@link IllegalArgumentException} naming the field).
     *
     * @param namespace the namespace of the keys
     * @param threads client threads, each one synchronous put at a time, 1 to 1024
     * @param valueSize bytes per value, 1 to 1 MiB
     * @param warmup puts for this long before the rounds (half buffered, half durable), not recorded
     * @param phase the length of each measured phase, at least 100 ms
     * @param rounds rounds of (buffered, durable), 1 to 100
     * @param writeQuorum W of every put, 1 to 16; durable puts have dw = W
     * @param bufferedDurableWrites dw of the buffered puts: 0 (default), up to W - 1
     * @param nodes nodes of the cluster, for the writes-per-fsync estimate only
     * @param fsync the fsync probe (its directory: the cluster's data directory when known)
     * @param seed the values' bytes
     */
    public record Settings(String namespace, int threads, int valueSize, Duration warmup, Duration phase, int rounds,
            int writeQuorum, int bufferedDurableWrites, int nodes, FsyncProbe.Settings fsync, long seed) {

        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            if (namespace.isBlank() || namespace.length() > 255 || !namespace.strip().equals(namespace)) {
                throw new IllegalArgumentException("namespace must be 1 to 255 characters without surrounding "
                        + "spaces, was '" + namespace + "'");
            }
            if (threads < 1 || threads > 1024) {
                throw new IllegalArgumentException("threads must be from 1 to 1024, was " + threads);
            }
            if (valueSize < 1 || valueSize > 1 << 20) {
                throw new IllegalArgumentException("value size must be from 1 to 1048576 bytes, was " + valueSize);
            }
            Objects.requireNonNull(warmup, "warmup (Duration.ZERO for none)");
            if (warmup.isNegative()) {
                throw new IllegalArgumentException("warm-up must not be negative, was " + Text.duration(warmup));
            }
            Objects.requireNonNull(phase, "phase");
            if (phase.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("phase must be at least 100ms, was " + Text.duration(phase));
            }
            if (rounds < 1 || rounds > 100) {
                throw new IllegalArgumentException("rounds must be from 1 to 100, was " + rounds);
            }
            if (writeQuorum < 1 || writeQuorum > 16) {
                throw new IllegalArgumentException("W must be from 1 to 16, was " + writeQuorum);
            }
            if (bufferedDurableWrites < 0 || bufferedDurableWrites >= writeQuorum) {
                throw new IllegalArgumentException("dw of buffered writes must be from 0 to W - 1 (" + (writeQuorum - 1)
                        + "), was " + bufferedDurableWrites);
            }
            if (nodes < 1 || nodes > 1000) {
                throw new IllegalArgumentException("nodes must be from 1 to 1000, was " + nodes);
            }
            Objects.requireNonNull(fsync, "fsync");
        }

        /** A builder with the defaults; the seed is required. */
        public static Builder builder(long seed) {
            return new Builder(seed);
        }

        /** dw of the durable puts: W. */
        public int durableWrites() {
            return writeQuorum;
        }

        /** dw of a mode's puts. */
        public int dw(Mode mode) {
            return mode == Mode.DURABLE ? writeQuorum : bufferedDurableWrites;
        }

        /**
         * Defaults: namespace {@code bench-durability}, 16 threads, 1 KiB values, 5 s warm-up, 3 rounds
         * of 10 s phases, W=2, buffered dw=0, 3 nodes, the fsync probe's defaults (200 appends of 4
         * KiB in a temporary directory).
         */
        public static final class Builder {
            private final long seed;
            private String namespace = "bench-durability";
            private int threads = 16;
            private int valueSize = 1024;
            private Duration warmup = Duration.ofSeconds(5);
            private Duration phase = Duration.ofSeconds(10);
            private int rounds = 3;
            private int writeQuorum = 2;
            private int bufferedDurableWrites;
            private int nodes = 3;
            private FsyncProbe.Settings fsync = FsyncProbe.Settings.defaults();

            private Builder(long seed) {
                this.seed = seed;
            }

            public Builder namespace(String v) {
                this.namespace = v;
                return this;
            }

            public Builder threads(int v) {
                this.threads = v;
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

            public Builder phase(Duration v) {
                this.phase = v;
                return this;
            }

            public Builder rounds(int v) {
                this.rounds = v;
                return this;
            }

            public Builder writeQuorum(int v) {
                this.writeQuorum = v;
                return this;
            }

            public Builder bufferedDurableWrites(int v) {
                this.bufferedDurableWrites = v;
                return this;
            }

            public Builder nodes(int v) {
                this.nodes = v;
                return this;
            }

            public Builder fsync(FsyncProbe.Settings v) {
                this.fsync = v;
                return this;
            }

            /** Where the fsync probe writes (the cluster's data directory); null for a temporary one. */
            public Builder fsyncDirectory(Path v) {
                this.fsync = fsync.withDirectory(v);
                return this;
            }

            public Settings build() {
                return new Settings(namespace, threads, valueSize, warmup, phase, rounds, writeQuorum,
                        bufferedDurableWrites, nodes, fsync, seed);
            }
        }
    }

    /**
     * One measured phase.
     *
     * @param mode buffered or durable
     * @param round the round, from 1
     * @param dw the puts' dw
     * @param puts puts that succeeded
     * @param seconds the phase's length, from its start to the last thread's end
     * @param latency the successful puts' latency
     * @param errors failed puts by type
     * @param durableAcks successful puts by the number of durable acknowledgements they reported
     */
    public record PhaseResult(Mode mode, int round, int dw, long puts, double seconds, LatencySummary latency,
            ErrorCounts.Snapshot errors, Map<Integer, Long> durableAcks) {

        public PhaseResult {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(errors, "errors");
            durableAcks = Collections.unmodifiableMap(new TreeMap<>(durableAcks));
        }

        public double putsPerSecond() {
            return seconds > 0 ? puts / seconds : Double.NaN;
        }
    }

    /**
     * One mode over its phases.
     *
     * @param mode buffered or durable
     * @param dw its puts' dw
     * @param medianPutsPerSecond the median of its phases' throughput (the mean of the middle two
     *     for an even count)
     * @param latency every phase's successful puts together
     * @param puts successful puts in all
     * @param errors failed puts in all
     * @param histogram every phase's puts, in microseconds (a copy is kept)
     */
    public record ModeResult(Mode mode, int dw, double medianPutsPerSecond, LatencySummary latency, long puts,
            long errors, Histogram histogram) {

        public ModeResult {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(latency, "latency");
            histogram = histogram.copy();
        }

        @Override
        public Histogram histogram() {
            return histogram.copy();
        }
    }

    /**
     * What one run measured.
     *
     * @param settings what was asked for
     * @param info the command line and the target
     * @param startedAt when the run began (wall clock)
     * @param runTag the random tag in this run's key names
     * @param fsync the fsync probe, run before the phases
     * @param warmupSeconds the warm-up that ran
     * @param phases every measured phase, in order
     * @param buffered the buffered mode over its phases
     * @param durable the durable mode over its phases
     * @param notDurableEnough durable-mode puts whose receipt reported fewer durable
     *     acknowledgements than dw (0 unless the node broke its contract)
     * @param stoppedEarly whether {@link #stop()} ended the run early
     */
    public record Result(Settings settings, RunInfo info, Instant startedAt, String runTag, FsyncProbe.Result fsync,
            double warmupSeconds, List<PhaseResult> phases, ModeResult buffered, ModeResult durable,
            long notDurableEnough, boolean stoppedEarly) {

        public Result {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(info, "info");
            Objects.requireNonNull(fsync, "fsync");
            phases = List.copyOf(phases);
            Objects.requireNonNull(buffered, "buffered");
            Objects.requireNonNull(durable, "durable");
        }

        /** Durable median throughput over buffered median throughput; NaN when buffered did nothing. */
        public double durableOverBuffered() {
            double b = buffered.medianPutsPerSecond();
            return b > 0 ? durable.medianPutsPerSecond() / b : Double.NaN;
        }

        /**
         * How many durable replica writes each WAL fsync must have carried, at least, if every
         * fsync cost the probe's p50: durable puts/s x dw, spread over the nodes, times the fsync
         * p50 in seconds. It assumes each node's committer syncs back to back (any idle time
         * between syncs, or syncs slower than the probe's, would mean more writes per sync). Above
         * 1, the durable throughput was only possible because group commit shared fsyncs between
         * writes; at or below 1, one fsync per durable write would have kept up, so the figure says
         * nothing about batching. NaN when not measured.
         */
        public double writesPerFsyncEstimate() {
            double fsyncSeconds = fsync.latency().p50Micros() / 1e6;
            double rate = durable.medianPutsPerSecond();
            if (Double.isNaN(fsyncSeconds) || Double.isNaN(rate) || fsyncSeconds <= 0) {
                return Double.NaN;
            }
            return rate * durable.dw() / settings.nodes() * fsyncSeconds;
        }

        /** The verdict: durable throughput at least {@value #TARGET_RATIO} of buffered. */
        public List<Verdict> verdicts() {
            return List.of(Verdict.atLeast("durable-write throughput", durableOverBuffered(), TARGET_RATIO,
                    Text.times(durableOverBuffered()) + " buffered-write throughput", "at least 0.5x"));
        }
    }

    /** Asks a running {@link #run} to end early; it returns what was measured. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Runs the benchmark, sending a line to {@code progress} per step. Blocks until done.
     *
     * @throws IllegalStateException if this instance already ran
     * @throws UncheckedIOException if the fsync probe fails
     */
    public Result run(RunInfo info, Consumer<String> progress) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(progress, "progress");
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("a DurableWrites runs once; make another");
        }
        Settings s = settings;
        Instant startedAt = Instant.now();
        String tag = String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());
        FsyncProbe.Result fsync;
        try {
            fsync = FsyncProbe.run(s.fsync());
        } catch (IOException e) {
            throw new UncheckedIOException("the fsync probe failed: " + e.getMessage(), e);
        }
        progress.accept("fsync probe in " + fsync.directory() + ": p50 " + Text.us(fsync.latency().p50Micros())
                + " us");
        AtomicLong keys = new AtomicLong();
        SplittableRandom root = new SplittableRandom(s.seed());
        LongAdder notDurable = new LongAdder();

        long warmStart = System.nanoTime();
        if (!s.warmup().isZero()) {
            progress.accept("warm-up " + Text.duration(s.warmup()) + " (half buffered, half durable)");
            Duration half = s.warmup().dividedBy(2);
            phase(Mode.BUFFERED, 0, half, tag, keys, root, notDurable);
            phase(Mode.DURABLE, 0, s.warmup().minus(half), tag, keys, root, notDurable);
        }
        double warmupSeconds = (System.nanoTime() - warmStart) / 1e9;
        notDurable.reset();

        List<PhaseResult> phases = new ArrayList<>();
        Map<Mode, Histogram> merged = new ConcurrentHashMap<>();
        for (int round = 1; round <= s.rounds() && !stopRequested; round++) {
            for (Mode mode : Mode.values()) {
                if (stopRequested) {
                    break;
                }
                Measured m = phase(mode, round, s.phase(), tag, keys, root, notDurable);
                phases.add(m.result());
                merged.computeIfAbsent(mode, x -> LatencySummary.microsHistogram()).add(m.histogram());
                progress.accept(String.format(Locale.ROOT, "round %d of %d, %s (dw=%d): %s puts/s, p50 %s ms, "
                        + "p99 %s ms, %s errors", round, s.rounds(), mode.label(), s.dw(mode),
                        Text.rate(m.result().putsPerSecond()), Text.ms(m.result().latency().p50Millis()),
                        Text.ms(m.result().latency().p99Millis()), Text.n(m.result().errors().total())));
            }
        }
        return new Result(s, info, startedAt, tag, fsync, warmupSeconds, phases, mode(Mode.BUFFERED, phases, merged),
                mode(Mode.DURABLE, phases, merged), notDurable.sum(), stopRequested);
    }

    private ModeResult mode(Mode mode, List<PhaseResult> phases, Map<Mode, Histogram> merged) {
        double[] rates = phases.stream().filter(p -> p.mode() == mode).mapToDouble(PhaseResult::putsPerSecond)
                .filter(r -> !Double.isNaN(r)).sorted().toArray();
        Histogram h = merged.getOrDefault(mode, LatencySummary.microsHistogram());
        long errors = phases.stream().filter(p -> p.mode() == mode).mapToLong(p -> p.errors().total()).sum();
        return new ModeResult(mode, settings.dw(mode), median(rates), LatencySummary.fromMicros(h), h.getTotalCount(),
                errors, h);
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double[] a = sorted.clone();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    private record Measured(PhaseResult result, Histogram histogram) {
    }

    /** Runs one phase of {@code mode} for {@code length} with every thread; round 0 is the warm-up. */
    private Measured phase(Mode mode, int round, Duration length, String tag, AtomicLong keys, SplittableRandom root,
            LongAdder notDurable) {
        Settings s = settings;
        int dw = s.dw(mode);
        CallOptions options = CallOptions.defaults().w(s.writeQuorum()).dw(dw);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        ErrorCounts errors = new ErrorCounts();
        Histogram[] histograms = new Histogram[s.threads()];
        Map<Integer, LongAdder> acks = new ConcurrentHashMap<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < s.threads(); i++) {
            SplittableRandom random = root.split();
            Histogram h = LatencySummary.microsHistogram();
            histograms[i] = h;
            workers.add(Thread.ofPlatform().name("bench-durability-" + i).start(() -> {
                byte[] value = new byte[s.valueSize()];
                while (!stopRequested && System.nanoTime() - end < 0) {
                    random.nextBytes(value);
                    byte[] key = Keys.bytes("dur-" + tag + "-" + Keys.record(keys.getAndIncrement()));
                    long t0 = System.nanoTime();
                    try {
                        PutResult put = client.put(s.namespace(), key, value, DynamoClient.DEFAULT_CONTENT_TYPE,
                                Context.EMPTY, options);
                        long micros = Math.max(1, (System.nanoTime() - t0 + 500) / 1000);
                        h.recordValue(Math.min(micros, HIGHEST_MICROS));
                        acks.computeIfAbsent(put.durable(), d -> new LongAdder()).increment();
                        if (mode == Mode.DURABLE && put.durable() < dw) {
                            notDurable.increment();
                        }
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                }
            }));
        }
        Threads.joinAll(workers);
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram all = LatencySummary.microsHistogram();
        for (Histogram h : histograms) {
            all.add(h);
        }
        Map<Integer, Long> ackCounts = new TreeMap<>();
        acks.forEach((k, v) -> ackCounts.put(k, v.sum()));
        PhaseResult result = new PhaseResult(mode, round, dw, all.getTotalCount(), seconds,
                LatencySummary.fromMicros(all), errors.snapshot(), ackCounts);
        return new Measured(result, all);
    }

}

package io.dynamo.bench.failure;

import io.dynamo.bench.baseline.LatencySummary;
import io.dynamo.bench.load.BenchReport;
import io.dynamo.bench.load.ContextCache;
import io.dynamo.bench.load.KeyChooser;
import io.dynamo.bench.load.KeyDistribution;
import io.dynamo.bench.load.Keys;
import io.dynamo.bench.load.LoadGenerator;
import io.dynamo.bench.load.Operation;
import io.dynamo.bench.load.OperationMix;
import io.dynamo.bench.load.QuorumOptions;
import io.dynamo.bench.load.RunInfo;
import io.dynamo.bench.load.Schedule;
import io.dynamo.bench.load.Threads;
import io.dynamo.bench.load.WorkloadSpec;
import io.dynamo.bench.report.ErrorCounts;
import io.dynamo.bench.report.Text;
import io.dynamo.bench.report.Verdict;
import io.dynamo.client.AttemptObserver;
import io.dynamo.client.CallOptions;
import io.dynamo.client.Context;
import io.dynamo.client.DynamoClient;
import io.dynamo.client.Resolver;
import io.dynamo.wire.HostPort;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * {@code bench failure}: what clients see when a node dies under load. Against a 3-node cluster
 * whose nodes the caller can kill:
 *
 * <ol>
 *   <li><b>Peak</b>: a short closed-loop run of the workload (default a: 50% reads, 50% updates,
 *       zipfian) with {@link LoadGenerator}, {@link Settings#peakThreads} threads, after its load
 *       phase (which writes the records the rest of the run uses). Its throughput is the peak.
 *   <li><b>Open loop</b> at {@link Settings#loadFraction} (half) of the peak: a timetable of
 *       intended start times ({@link Schedule}, shared by {@link Settings#issuers} issuing
 *       threads), each request sent with the client's <i>asynchronous</i> calls at its intended
 *       time, whatever the requests before it are doing, and its latency measured from its
 *       intended start to its answer. So no request waits behind another in the generator, and a
 *       late issue (an issuing thread behind its timetable) still counts against the request: no
 *       coordinated omission. The operations are {@link LoadGenerator}'s (reads record the
 *       context; updates put with the key's cached context, reading first when it is unknown;
 *       inserts, read-modify-writes and deletes likewise), on the records the peak run loaded.
 *   <li>After {@link Settings#steady} (10 s) of it, the caller's {@link NodeKiller} kills a node.
 *   <li>The load goes on for the <b>observation window</b> ({@link Settings#window}, 60 s), then
 *       the run waits (at most {@link Settings#drainTimeout}) for the last answers; a request
 *       still unanswered then counts as failed.
 * </ol>
 *
 * <p><b>Per request</b> ({@link RequestLog}): intended start, latency, success or failure, the
 * operation, and where the client sent it: an {@link AttemptObserver} set on each call reports
 * every node an attempt picked (the first attempt and any retry on another node).
 *
 * <p><b>"Routed to the dead node"</b>: an attempt of a request picked the killed node (the client
 * chose it and asked for a connection to it), whether or not a frame then left the client: after
 * a kill an attempt on the dead node fails to connect (or finds it backing off) and the request
 * moves on to the next replica, so such requests pay for the routing mistake without failing.
 * The killed node is matched by the name the {@link NodeKiller} returns: its node id or its
 * client address. The time until no request was routed to it is from the moment
 * {@link NodeKiller#kill} was called to the last attempt that picked it.
 *
 * <p><b>Target</b>: at least 99.99% of the requests whose intended start falls in the window (from
 * the kill to the end) succeed within {@link Settings#okWithin} (300 ms) of it.
 */
public final class FailureUnderLoad {

    /** The share of the window's requests that must succeed within {@link Settings#okWithin}. */
    public static final double TARGET_SHARE = 0.9999;

    /** Nodes told apart; a larger cluster's others share the last index. */
    static final int MAX_NODES = 32;

    private static final long SECOND = 1_000_000_000L;
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final DynamoClient client;
    private final Settings settings;
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile boolean stopRequested;
    private volatile LoadGenerator peakGenerator;

    public FailureUnderLoad(DynamoClient client, Settings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    // ------------------------------------------------------------------ settings

    /**
     * What one run does; checked when made ({@link IllegalArgumentException} naming the field).
     *
     * @param namespace the namespace of the keys
     * @param records records the peak run loads and every operation chooses among
     * @param mix the operations (workload a by default)
     * @param distribution how operations pick records
     * @param valueSize bytes of each value written
     * @param peakThreads threads of the closed-loop peak run
     * @param peakWarmup the peak run's warm-up
     * @param peakDuration the peak run's measured part
     * @param loadFraction the open loop's rate as a share of the peak, above 0 and at most 1
     * @param issuers threads issuing the open loop's requests, 1 to 64
     * @param steady the open loop's length before the kill
     * @param window the observation window after the kill
     * @param okWithin the latency under which a success counts (300 ms)
     * @param readQuorum R, 0 for the namespace's
     * @param writeQuorum W, 0 for the namespace's
     * @param drainTimeout how long to wait for the last answers after the window
     * @param load whether the peak run writes the records first (off when an earlier run did)
     * @param seed every random choice: operations, keys, values
     */
    public record Settings(String namespace, long records, OperationMix mix, KeyDistribution distribution,
            int valueSize, int peakThreads, Duration peakWarmup, Duration peakDuration, double loadFraction,
            int issuers, Duration steady, Duration window, Duration okWithin, int readQuorum, int writeQuorum,
            Duration drainTimeout, boolean load, long seed) {

        public Settings {
            Objects.requireNonNull(mix, "mix");
            Objects.requireNonNull(distribution, "distribution");
            Objects.requireNonNull(peakWarmup, "peakWarmup (Duration.ZERO for none)");
            Objects.requireNonNull(peakDuration, "peakDuration");
            if (!(loadFraction > 0) || loadFraction > 1) {
                throw new IllegalArgumentException("load fraction must be above 0 and at most 1 (a share of the "
                        + "peak), was " + loadFraction);
            }
            if (issuers < 1 || issuers > 64) {
                throw new IllegalArgumentException("issuers must be from 1 to 64, was " + issuers);
            }
            positive(steady, "steady period", Duration.ofMillis(100));
            positive(window, "observation window", Duration.ofMillis(100));
            positive(okWithin, "ok-within latency", Duration.ofMillis(1));
            Objects.requireNonNull(drainTimeout, "drainTimeout");
            if (drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("drain timeout must be from 0 to 10 minutes, was "
                        + Text.duration(drainTimeout));
            }
            if (steady.plus(window).compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("steady period plus window must be at most 24 hours, was "
                        + Text.duration(steady.plus(window)));
            }
            // The peak run's spec checks the rest (namespace, records, value size, threads, quorums).
            peakSpec(namespace, records, mix, distribution, valueSize, peakThreads, peakWarmup, peakDuration,
                    readQuorum, writeQuorum, load, seed);
        }

        private static void positive(Duration d, String what, Duration least) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(least) < 0) {
                throw new IllegalArgumentException(what + " must be at least " + Text.duration(least) + ", was "
                        + Text.duration(d));
            }
        }

        private static WorkloadSpec peakSpec(String namespace, long records, OperationMix mix,
                KeyDistribution distribution, int valueSize, int threads, Duration warmup, Duration duration, int r,
                int w, boolean load, long seed) {
            try {
                return WorkloadSpec.builder().namespace(namespace).records(records).mix(mix).distribution(distribution)
                        .valueSize(valueSize).threads(threads).warmup(warmup).duration(duration).readQuorum(r)
                        .writeQuorum(w).seed(seed).load(load).build();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace("threads must", "peak threads must")
                        .replace("duration must", "peak duration must").replace("warm-up must", "peak warm-up must"),
                        e);
            }
        }

        /** The closed-loop peak run's workload. */
        public WorkloadSpec peakSpec() {
            return peakSpec(namespace, records, mix, distribution, valueSize, peakThreads, peakWarmup, peakDuration,
                    readQuorum, writeQuorum, load, seed);
        }

        public static Builder builder(long seed) {
            return new Builder(seed);
        }

        /**
         * Defaults: namespace {@code bench-failure}, 10,000 records, workload a, zipfian, 100-byte
         * values; peak: 8 threads, 10 s after 2 s of warm-up; open loop at 0.5 of the peak from 2
         * issuing threads, 10 s steady, 60 s window, ok within 300 ms; the namespace's R and W; 10 s
         * to drain; load on.
         */
        public static final class Builder {
            private final long seed;
            private String namespace = "bench-failure";
            private long records = 10_000;
            private OperationMix mix = OperationMix.preset("a");
            private KeyDistribution distribution = KeyDistribution.ZIPFIAN;
            private int valueSize = 100;
            private int peakThreads = 8;
            private Duration peakWarmup = Duration.ofSeconds(2);
            private Duration peakDuration = Duration.ofSeconds(10);
            private double loadFraction = 0.5;
            private int issuers = 2;
            private Duration steady = Duration.ofSeconds(10);
            private Duration window = Duration.ofSeconds(60);
            private Duration okWithin = Duration.ofMillis(300);
            private int readQuorum;
            private int writeQuorum;
            private Duration drainTimeout = Duration.ofSeconds(10);
            private boolean load = true;

            private Builder(long seed) {
                this.seed = seed;
            }

            public Builder namespace(String v) {
                this.namespace = v;
                return this;
            }

            public Builder records(long v) {
                this.records = v;
                return this;
            }

            public Builder mix(OperationMix v) {
                this.mix = v;
                return this;
            }

            public Builder distribution(KeyDistribution v) {
                this.distribution = v;
                return this;
            }

            public Builder valueSize(int v) {
                this.valueSize = v;
                return this;
            }

            public Builder peakThreads(int v) {
                this.peakThreads = v;
                return this;
            }

            public Builder peakWarmup(Duration v) {
                this.peakWarmup = v;
                return this;
            }

            public Builder peakDuration(Duration v) {
                this.peakDuration = v;
                return this;
            }

            public Builder loadFraction(double v) {
                this.loadFraction = v;
                return this;
            }

            public Builder issuers(int v) {
                this.issuers = v;
                return this;
            }

            public Builder steady(Duration v) {
                this.steady = v;
                return this;
            }

            public Builder window(Duration v) {
                this.window = v;
                return this;
            }

            public Builder okWithin(Duration v) {
                this.okWithin = v;
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

            public Builder drainTimeout(Duration v) {
                this.drainTimeout = v;
                return this;
            }

            public Builder load(boolean v) {
                this.load = v;
                return this;
            }

            public Settings build() {
                return new Settings(namespace, records, mix, distribution, valueSize, peakThreads, peakWarmup,
                        peakDuration, loadFraction, issuers, steady, window, okWithin, readQuorum, writeQuorum,
                        drainTimeout, load, seed);
            }
        }
    }

    // ------------------------------------------------------------------ results

    /**
     * The requests whose intended start fell before the kill ({@code before}) or from it to the
     * end ({@code after}, the window).
     *
     * @param name {@code before} or {@code after}
     * @param started requests intended to start in the period
     * @param okWithin of those, succeeded within {@link Settings#okWithin} of their intended start
     * @param okSlower succeeded, later than that
     * @param failed failed, or had no answer by the end of the run
     * @param latency the successful requests' latency from their intended start
     * @param errors the failures by type ({@code NoAnswer} for unanswered)
     * @param firstNode requests by the first node they were sent to
     */
    public record Period(String name, long started, long okWithin, long okSlower, long failed, LatencySummary latency,
            ErrorCounts.Snapshot errors, Map<String, Long> firstNode) {

        public Period {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(errors, "errors");
            firstNode = Collections.unmodifiableMap(new LinkedHashMap<>(firstNode));
        }

        /** The share that succeeded within the limit; NaN without requests. */
        public double shareOkWithin() {
            return started == 0 ? Double.NaN : (double) okWithin / started;
        }
    }

    /**
     * One second of the timeline, by intended start.
     *
     * @param second seconds from the planned kill: -10 is the tenth second before, 0 the second
     *     the kill happened in
     * @param requests requests intended to start in it
     * @param okWithin succeeded within the limit
     * @param okSlower succeeded later
     * @param failed failed or unanswered
     * @param p99Millis the 99th percentile latency of its successful requests; NaN when none
     * @param attemptsToDeadNode attempts made in this second (by the attempt's time) that picked
     *     the node that was killed (before the kill too)
     */
    public record Second(int second, long requests, long okWithin, long okSlower, long failed, double p99Millis,
            long attemptsToDeadNode) {
    }

    /**
     * Where requests went with respect to the killed node.
     *
     * @param deadNode the killed node's name as the client saw it ({@code n3@127.0.0.1:9083}), or
     *     what the killer returned when no attempt ever picked it
     * @param deadNodeSeen whether any attempt picked the killed node (false: the name did not
     *     match any node the client used, and the routing figures are empty)
     * @param lastRoutedAfterKillSeconds from the kill to the last attempt that picked the dead node;
     *     NaN when none did after the kill
     * @param attemptsAfterKill attempts that picked the dead node after the kill
     * @param windowRequestsThatTriedDeadNode window requests that had an attempt on the dead node
     * @param ofThoseOk of those, how many succeeded anyway (on another replica)
     */
    public record Routing(String deadNode, boolean deadNodeSeen, double lastRoutedAfterKillSeconds,
            long attemptsAfterKill, long windowRequestsThatTriedDeadNode, long ofThoseOk) {
    }

    /**
     * A failed request of the window.
     *
     * @param secondsAfterKill its intended start, from the kill
     * @param operation its operation
     * @param node the last node it was sent to ({@code -} for none)
     * @param error the failure's type, with the first message seen of that type
     */
    public record FailureSample(double secondsAfterKill, String operation, String node, String error) {
    }

    /**
     * What one run measured.
     *
     * @param settings what was asked for
     * @param info the command line and the target
     * @param startedAt when the run began (wall clock)
     * @param runTag the random tag in this run's inserted keys
     * @param peak the closed-loop peak run's report
     * @param targetRate the open loop's rate, ops/s
     * @param killedNode what the {@link NodeKiller} returned
     * @param killAtSeconds when {@link NodeKiller#kill} was called, from the open loop's start
     * @param killSeconds how long the kill call took
     * @param before the requests intended before the kill
     * @param after the requests intended from the kill to the end: the window
     * @param timeline one entry per second, from the start of the open loop to its end
     * @param routing where requests went with respect to the dead node
     * @param failureSamples the window's first failures (at most 20)
     * @param maxIssueLagMillis the most an issuing thread sent a request after its intended start
     * @param issuedLate requests sent more than 10 ms after their intended start (the generator
     *     fell behind; their latency still counts from the intended start)
     * @param requests every request of the open loop
     * @param stoppedEarly whether {@link #stop()} ended the run early
     */
    public record Result(Settings settings, RunInfo info, Instant startedAt, String runTag, BenchReport peak,
            double targetRate, String killedNode, double killAtSeconds, double killSeconds, Period before,
            Period after, List<Second> timeline, Routing routing, List<FailureSample> failureSamples,
            double maxIssueLagMillis, long issuedLate, RequestLog requests, boolean stoppedEarly) {

        public Result {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(info, "info");
            Objects.requireNonNull(peak, "peak");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            timeline = List.copyOf(timeline);
            Objects.requireNonNull(routing, "routing");
            failureSamples = List.copyOf(failureSamples);
            Objects.requireNonNull(requests, "requests");
        }

        /** The peak run's throughput, ops/s. */
        public double peakOpsPerSecond() {
            return peak.total().operationsPerSecond();
        }

        /** The share of the window's requests that succeeded within {@link Settings#okWithin}. */
        public double shareOkWithin() {
            return after.shareOkWithin();
        }

        public List<Verdict> verdicts() {
            String limit = Text.duration(settings.okWithin());
            return List.of(Verdict.atLeast("requests started in the " + Text.duration(settings.window())
                    + " after the kill that succeeded within " + limit, shareOkWithin(), TARGET_SHARE,
                    Text.percent(shareOkWithin()) + " (" + Text.n(after.okWithin()) + " of " + Text.n(after.started())
                    + ")", "at least 99.99%"));
        }
    }

    // ------------------------------------------------------------------ running

    /** Asks a running {@link #run} to end early (the kill still happens if it is due); returns what was measured. */
    public void stop() {
        stopRequested = true;
        LoadGenerator g = peakGenerator;
        if (g != null) {
            g.stop();
        }
    }

    /**
     * Runs the peak, the open loop, the kill and the window; sends progress lines to
     * {@code progress} (about one a second). Blocks until done.
     *
     * @throws IllegalStateException if this instance already ran, the peak run completed no
     *     operation, or the kill failed (the load is stopped first)
     */
    public Result run(RunInfo info, NodeKiller killer, Consumer<String> progress) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(killer, "killer");
        Objects.requireNonNull(progress, "progress");
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("a FailureUnderLoad runs once; make another");
        }
        Instant startedAt = Instant.now();
        String tag = String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());

        progress.accept("peak: closed loop, " + settings.peakThreads() + " threads, "
                + Text.duration(settings.peakDuration()) + " after " + Text.duration(settings.peakWarmup())
                + " warm-up" + (settings.load() ? ", after loading " + Text.n(settings.records()) + " records" : ""));
        LoadGenerator generator = new LoadGenerator(client, settings.peakSpec());
        peakGenerator = generator;
        BenchReport peak = generator.run(info, p -> progress.accept("peak " + p.line()));
        peakGenerator = null;
        double rate = peak.total().operationsPerSecond() * settings.loadFraction();
        if (stopRequested) { // stopped during the peak: an empty open loop, marked as stopped early
            rate = rate > 0 ? rate : 1;
        }
        if (!(rate > 0)) {
            throw new IllegalStateException("the peak run completed no operation (errors: " + peak.total().errors()
                    + "), so there is no rate to run the open loop at");
        }
        progress.accept(String.format(Locale.ROOT, "peak %s ops/s; open loop at %s ops/s (%s of it)",
                Text.rate(peak.total().operationsPerSecond()), Text.rate(rate), Text.times(settings.loadFraction())));
        OpenLoop loop = new OpenLoop(rate, tag);
        return loop.run(info, startedAt, peak, killer, progress);
    }

    /** The open loop, the kill and the window. */
    private final class OpenLoop {
        private final double rate;
        private final String tag;
        private final Settings s = settings;
        private final long steadyNanos = settings.steady().toNanos();
        private final long windowNanos = settings.window().toNanos();
        private final int secondsBefore = (int) Math.ceil(settings.steady().toNanos() / (double) SECOND);
        private final int secondsAfter;
        private final Nodes nodes = new Nodes();
        private final ErrorKinds errorKinds = new ErrorKinds();
        private final ContextCache contexts;
        private final KeyChooser chooser;
        private final CallOptions readOptions;
        private final CallOptions writeOptions;
        private final CallOptions bothOptions;
        private final AtomicLongArray lastAttempt = new AtomicLongArray(MAX_NODES);
        private final AtomicLongArray attemptsAfterKill = new AtomicLongArray(MAX_NODES);
        private final AtomicLongArray attemptsPerSecond;
        private final AtomicInteger slots = new AtomicInteger();
        private final AtomicLong pending = new AtomicLong();
        private final AtomicLong insertSequence = new AtomicLong();
        private final AtomicLong maxIssueLag = new AtomicLong();
        private final LongAdder issuedLate = new LongAdder();
        private final LongAdder okCount = new LongAdder();
        private final LongAdder failedCount = new LongAdder();
        private final Object drained = new Object();
        private final List<Operation> operations = List.of(Operation.values());
        private volatile long killOffset = Long.MAX_VALUE;
        private RequestLog log;
        private long t0;

        OpenLoop(double rate, String tag) {
            this.rate = rate;
            this.tag = tag;
            this.secondsAfter = (int) Math.ceil((s.window().plus(s.drainTimeout()).toNanos()) / (double) SECOND) + 2;
            this.attemptsPerSecond = new AtomicLongArray((secondsBefore + secondsAfter + 1) * MAX_NODES);
            this.contexts = new ContextCache((int) Math.min(s.records(), 100_000), s.records());
            this.chooser = s.distribution().chooser(s.records(), s.seed());
            QuorumOptions quorums = QuorumOptions.of(s.readQuorum(), s.writeQuorum());
            this.readOptions = quorums.read();
            this.writeOptions = quorums.write();
            this.bothOptions = quorums.both();
        }

        Result run(RunInfo info, Instant startedAt, BenchReport peak, NodeKiller killer, Consumer<String> progress) {
            t0 = System.nanoTime() + 50_000_000L; // a moment for the issuing threads to start
            long end = t0 + steadyNanos + windowNanos;
            Schedule[] schedules = new Schedule[s.issuers()];
            long capacity = 0;
            for (int i = 0; i < schedules.length; i++) {
                schedules[i] = Schedule.of(t0, rate, s.issuers(), i);
                capacity += schedules[i].countBefore(end);
            }
            if (capacity > 200_000_000L) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "an open loop of %,d requests (%s ops/s "
                        + "for %s) is more than this benchmark records (200,000,000)", capacity, Text.rate(rate),
                        Text.duration(s.steady().plus(s.window()))));
            }
            log = new RequestLog((int) capacity);
            progress.accept(String.format(Locale.ROOT, "open loop: %s ops/s from %d issuing threads, %s steady, "
                    + "then the kill, then a %s window", Text.rate(rate), s.issuers(), Text.duration(s.steady()),
                    Text.duration(s.window())));
            SplittableRandom root = new SplittableRandom(s.seed() ^ 0x6F70656EL); // "open"
            List<Thread> issuers = new ArrayList<>();
            for (int i = 0; i < schedules.length; i++) {
                Schedule schedule = schedules[i];
                SplittableRandom random = root.split();
                issuers.add(Thread.ofPlatform().name("bench-failure-issuer-" + i)
                        .start(() -> issue(schedule, random, end)));
            }

            Ticker ticker = new Ticker(progress);
            ticker.until(t0 + steadyNanos);
            if (stopRequested) { // stopped before the kill: no kill, no window
                Threads.joinAll(issuers);
                drain();
                log.seal(slots.get(), operations.stream().map(Operation::label).toList(), nodes.names(),
                        errorKinds.names());
                return summarize(info, startedAt, peak, "none (stopped before the kill)", end, end);
            }
            long killStart = System.nanoTime();
            killOffset = killStart - t0;
            String killed;
            try {
                progress.accept("killing a node");
                killed = killer.kill();
            } catch (Exception e) {
                stopRequested = true;
                Threads.joinAll(issuers);
                drain();
                throw new IllegalStateException("killing a node failed: " + e, e);
            }
            long killEnd = System.nanoTime();
            progress.accept(String.format(Locale.ROOT, "killed %s (the kill took %s ms)", killed,
                    Text.ms((killEnd - killStart) / 1e6)));
            ticker.until(end);
            Threads.joinAll(issuers);
            boolean complete = drain();
            if (!complete) {
                progress.accept("some requests had no answer " + Text.duration(s.drainTimeout())
                        + " after the window; they count as failed");
            }
            log.seal(slots.get(), operations.stream().map(Operation::label).toList(), nodes.names(),
                    errorKinds.names());
            return summarize(info, startedAt, peak, Objects.requireNonNullElse(killed, "?"), killStart, killEnd);
        }

        /** One issuing thread: its share of the timetable, each request sent asynchronously at its time. */
        private void issue(Schedule schedule, SplittableRandom random, long end) {
            for (long k = 0; ; k++) {
                long intended = schedule.intendedStart(k);
                if (intended - end >= 0 || stopRequested) {
                    return;
                }
                while (true) {
                    long left = intended - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(Math.min(left, 50_000_000L));
                    if (stopRequested) {
                        return;
                    }
                }
                long lag = System.nanoTime() - intended;
                maxIssueLag.accumulateAndGet(lag, Math::max);
                if (lag > 10_000_000L) {
                    issuedLate.increment();
                }
                int slot = slots.getAndIncrement();
                if (slot >= log.capacity()) { // cannot happen: the capacity is the timetable's count
                    slots.decrementAndGet();
                    return;
                }
                Operation op = s.mix().choose(random.nextDouble());
                long record = chooser.next(random);
                log.issued(slot, intended - t0, op.ordinal());
                pending.incrementAndGet();
                Request request = new Request(slot, intended);
                try {
                    send(op, record, random, request).whenComplete((v, e) -> request.done(e));
                } catch (RuntimeException e) {
                    request.done(e);
                }
            }
        }

        private CompletableFuture<?> send(Operation op, long record, SplittableRandom random, Request request) {
            String ns = s.namespace();
            byte[] key = Keys.bytes(Keys.record(record));
            CallOptions read = readOptions.observer(request);
            CallOptions write = writeOptions.observer(request);
            return switch (op) {
                case READ -> client.getAsync(ns, key, read).thenAccept(g -> contexts.put(record, g.context()));
                case UPDATE -> {
                    byte[] value = value(random);
                    yield withContext(ns, key, record, read).thenCompose(c -> client.putAsync(ns, key, value,
                            DynamoClient.DEFAULT_CONTENT_TYPE, c, write)).thenAccept(p -> contexts.put(record,
                            p.context()));
                }
                case INSERT -> {
                    byte[] value = value(random);
                    byte[] inserted = Keys.bytes(Keys.inserted(tag, insertSequence.getAndIncrement()));
                    yield client.putAsync(ns, inserted, value, DynamoClient.DEFAULT_CONTENT_TYPE, Context.EMPTY, write);
                }
                case READ_MODIFY_WRITE -> {
                    byte[] value = value(random);
                    yield client.updateAsync(ns, key, DynamoClient.DEFAULT_CONTENT_TYPE, Resolver.lastWriterWins(),
                            current -> value, bothOptions.observer(request)).thenAccept(p -> contexts.put(record,
                            p.context()));
                }
                case DELETE -> withContext(ns, key, record, read).thenCompose(c -> client.deleteAsync(ns, key, c,
                        write)).thenAccept(p -> contexts.put(record, p.context()));
            };
        }

        private CompletableFuture<Context> withContext(String ns, byte[] key, long record, CallOptions read) {
            Context known = contexts.get(record);
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
            return client.getAsync(ns, key, read).thenApply(g -> {
                contexts.put(record, g.context());
                return g.context();
            });
        }

        private byte[] value(SplittableRandom random) {
            byte[] v = new byte[s.valueSize()];
            random.nextBytes(v);
            return v;
        }

        /** One request: sees its attempts, records its end. */
        private final class Request implements AttemptObserver {
            private final int slot;
            private final long intended;
            private int first = RequestLog.NO_NODE;
            private int last = RequestLog.NO_NODE;
            private int mask;

            Request(int slot, long intended) {
                this.slot = slot;
                this.intended = intended;
            }

            @Override
            public void onAttempt(int attempt, String nodeId, String address) {
                int node = nodes.index(nodeId, address);
                if (first == RequestLog.NO_NODE) {
                    first = node;
                }
                last = node;
                mask |= 1 << node;
                long offset = System.nanoTime() - t0;
                lastAttempt.accumulateAndGet(node, offset, Math::max);
                if (offset - killOffset >= 0) {
                    attemptsAfterKill.incrementAndGet(node);
                }
                int bucket = bucket(offset);
                if (bucket >= 0) {
                    attemptsPerSecond.incrementAndGet(bucket * MAX_NODES + node);
                }
            }

            void done(Throwable error) {
                long micros = Math.min(HIGHEST_MICROS, Math.max(0, (System.nanoTime() - intended + 500) / 1000));
                int kind = error == null ? 0 : errorKinds.kind(unwrap(error));
                log.completed(slot, micros, kind, first, last, mask);
                (error == null ? okCount : failedCount).increment();
                if (pending.decrementAndGet() == 0) {
                    synchronized (drained) {
                        drained.notifyAll();
                    }
                }
            }
        }

        /** The timeline bucket of an offset from t0 (seconds from the planned kill, shifted to start at 0); -1 outside. */
        private int bucket(long offset) {
            long b = Math.floorDiv(offset - steadyNanos, SECOND) + secondsBefore;
            return b < 0 || b > secondsBefore + secondsAfter ? -1 : (int) b;
        }

        /** Waits for every request to be answered, at most the drain timeout; whether all were. */
        private boolean drain() {
            long deadline = System.nanoTime() + s.drainTimeout().toNanos();
            synchronized (drained) {
                while (pending.get() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        drained.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
            return true;
        }

        /** Waits until a moment, sending a progress line about once a second. */
        private final class Ticker {
            private final Consumer<String> progress;
            private long nextTick;
            private long lastOk;
            private long lastFailed;

            Ticker(Consumer<String> progress) {
                this.progress = progress;
                this.nextTick = t0 + SECOND;
            }

            void until(long deadline) {
                while (!stopRequested) {
                    long now = System.nanoTime();
                    if (now - deadline >= 0) {
                        return;
                    }
                    if (now - nextTick >= 0) {
                        tick(now);
                        nextTick += SECOND;
                        continue;
                    }
                    LockSupport.parkNanos(Math.min(Math.min(deadline - now, nextTick - now), 100_000_000L));
                }
            }

            private void tick(long now) {
                long ok = okCount.sum();
                long failed = failedCount.sum();
                double since = (now - t0 - steadyNanos) / 1e9;
                progress.accept(String.format(Locale.ROOT, "[%+6.1f s from the kill] %,d ok, %,d failed in the last "
                        + "second; %,d in flight", since, ok - lastOk, failed - lastFailed, pending.get()));
                lastOk = ok;
                lastFailed = failed;
            }
        }

        // -------------------------------------------------------------- summary

        private Result summarize(RunInfo info, Instant startedAt, BenchReport peak, String killed, long killStart,
                long killEnd) {
            int dead = nodes.find(killed);
            long killAt = killStart - t0;
            long okLimit = s.okWithin().toNanos() / 1000;
            PeriodBuilder before = new PeriodBuilder("before");
            PeriodBuilder after = new PeriodBuilder("after");
            int buckets = secondsBefore + (int) Math.ceil(windowNanos / (double) SECOND);
            long[][] perSecond = new long[buckets][4];
            List<List<Long>> okLatencies = new ArrayList<>();
            for (int b = 0; b < buckets; b++) {
                okLatencies.add(new ArrayList<>());
            }
            long triedDead = 0;
            long triedDeadOk = 0;
            List<FailureSample> samples = new ArrayList<>();
            List<Integer> windowFailures = new ArrayList<>();
            List<String> nodeNames = log.nodes();
            for (int i = 0; i < log.size(); i++) {
                long intended = log.intendedNanos(i);
                boolean inWindow = intended - killAt >= 0;
                PeriodBuilder p = inWindow ? after : before;
                byte outcome = log.outcome(i);
                long latency = log.latencyMicros(i);
                int kind;
                if (outcome == RequestLog.OK) {
                    kind = latency <= okLimit ? 0 : 1;
                } else {
                    kind = 2;
                }
                p.add(kind, latency, outcome == RequestLog.PENDING ? "NoAnswer" : log.error(i),
                        firstName(log.firstNode(i), nodeNames));
                int b = bucket(intended);
                if (b >= 0 && b < buckets) {
                    perSecond[b][0]++;
                    perSecond[b][1 + kind]++;
                    if (kind < 2) {
                        okLatencies.get(b).add(latency);
                    }
                }
                if (inWindow && dead >= 0 && log.tried(i, dead)) {
                    triedDead++;
                    if (kind < 2) {
                        triedDeadOk++;
                    }
                }
                if (inWindow && kind == 2) {
                    windowFailures.add(i);
                }
            }
            // The first failures by intended start (slots are in issue order, which two issuers interleave).
            windowFailures.sort(Comparator.comparingLong(log::intendedNanos));
            for (int i : windowFailures.subList(0, Math.min(20, windowFailures.size()))) {
                String error = log.outcome(i) == RequestLog.PENDING ? "NoAnswer" : log.error(i);
                String example = errorKinds.example(error);
                samples.add(new FailureSample((log.intendedNanos(i) - killAt) / 1e9, log.operation(i),
                        firstName(log.lastNode(i), nodeNames), example == null ? error : error + ": " + example));
            }
            List<Second> timeline = new ArrayList<>();
            for (int b = 0; b < buckets; b++) {
                List<Long> lat = okLatencies.get(b);
                double p99 = Double.NaN;
                if (!lat.isEmpty()) {
                    long[] sorted = lat.stream().mapToLong(Long::longValue).sorted().toArray();
                    int index = (int) Math.ceil(0.99 * sorted.length) - 1;
                    p99 = sorted[Math.max(0, index)] / 1000.0;
                }
                long toDead = dead >= 0 ? attemptsPerSecond.get(b * MAX_NODES + dead) : 0;
                timeline.add(new Second(b - secondsBefore, perSecond[b][0], perSecond[b][1], perSecond[b][2],
                        perSecond[b][3], p99, toDead));
            }
            Routing routing;
            if (dead >= 0) {
                long last = lastAttempt.get(dead);
                double lastAfter = last - killAt >= 0 ? (last - killAt) / 1e9 : Double.NaN;
                routing = new Routing(nodeNames.get(dead), true, lastAfter, attemptsAfterKill.get(dead), triedDead,
                        triedDeadOk);
            } else {
                routing = new Routing(killed, false, Double.NaN, 0, 0, 0);
            }
            return new Result(s, info, startedAt, tag, peak, rate, killed, killAt / 1e9, (killEnd - killStart) / 1e9,
                    before.build(errorKinds), after.build(errorKinds), timeline, routing, samples,
                    maxIssueLag.get() / 1e6, issuedLate.sum(), log, stopRequested);
        }

        private static String firstName(int node, List<String> names) {
            return node >= 0 && node < names.size() ? names.get(node) : "-";
        }
    }

    /** Counts of one period, built from the request log. */
    private static final class PeriodBuilder {
        private final String name;
        private final long[] counts = new long[3];
        private final Histogram histogram = LatencySummary.microsHistogram();
        private final Map<String, Long> errors = new TreeMap<>();
        private final Map<String, Long> firstNode = new TreeMap<>();

        PeriodBuilder(String name) {
            this.name = name;
        }

        /** {@code kind}: 0 ok within the limit, 1 ok slower, 2 failed. */
        void add(int kind, long latencyMicros, String error, String node) {
            counts[kind]++;
            if (kind < 2) {
                histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), Math.max(1, latencyMicros)));
            } else {
                errors.merge(error == null ? "Unknown" : error, 1L, Long::sum);
            }
            firstNode.merge(node, 1L, Long::sum);
        }

        Period build(ErrorKinds kinds) {
            Map<String, Long> byCount = new LinkedHashMap<>();
            errors.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> byCount.put(e.getKey(), e.getValue()));
            Map<String, String> examples = new TreeMap<>();
            for (String type : errors.keySet()) {
                String example = kinds.example(type);
                examples.put(type, example == null ? "no answer by the end of the run" : example);
            }
            long total = errors.values().stream().mapToLong(Long::longValue).sum();
            return new Period(name, counts[0] + counts[1] + counts[2], counts[0], counts[1], counts[2],
                    LatencySummary.fromMicros(histogram), new ErrorCounts.Snapshot(total, byCount, examples),
                    firstNode);
        }
    }

    /** The nodes the client's attempts picked, by client address, with their ids once known. */
    static final class Nodes {
        private final ConcurrentHashMap<String, Integer> byAddress = new ConcurrentHashMap<>();
        private final String[] addresses = new String[MAX_NODES];
        private final String[] ids = new String[MAX_NODES];
        private int count;

        int index(String id, String address) {
            String a = address == null ? "?" : address;
            Integer known = byAddress.get(a);
            if (known != null && (id == null || id.equals(ids[known]))) {
                return known;
            }
            synchronized (this) {
                Integer i = byAddress.get(a);
                if (i == null) {
                    if (count >= MAX_NODES) {
                        return MAX_NODES - 1;
                    }
                    i = count++;
                    addresses[i] = a;
                    byAddress.put(a, i);
                }
                if (id != null) {
                    ids[i] = id;
                }
                return i;
            }
        }

        synchronized List<String> names() {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(ids[i] == null ? addresses[i] : ids[i] + "@" + addresses[i]);
            }
            return out;
        }

        /** The index of the node named {@code name} (an id or a client address), or -1. */
        synchronized int find(String name) {
            if (name == null) {
                return -1;
            }
            String n = name.strip();
            for (int i = 0; i < count; i++) {
                if (n.equals(ids[i]) || n.equals(addresses[i]) || n.equals(ids[i] + "@" + addresses[i])) {
                    return i;
                }
            }
            InetSocketAddress wanted = HostPort.parse(n);
            if (wanted == null) {
                return -1;
            }
            for (int i = 0; i < count; i++) {
                InetSocketAddress a = HostPort.parse(addresses[i]);
                if (a != null && a.getPort() == wanted.getPort() && sameHost(a, wanted)) {
                    return i;
                }
            }
            return -1;
        }

        private static boolean sameHost(InetSocketAddress a, InetSocketAddress b) {
            String ha = a.getHostString();
            String hb = b.getHostString();
            if (ha.equalsIgnoreCase(hb)) {
                return true;
            }
            return isLoopback(ha) && isLoopback(hb);
        }

        private static boolean isLoopback(String host) {
            return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1")
                    || host.equals("[::1]");
        }
    }

    /** Failure types, as small codes for the log, with the first message of each. */
    private static final class ErrorKinds {
        private final ConcurrentHashMap<String, Integer> codes = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, String> examples = new ConcurrentHashMap<>();
        private final List<String> names = new ArrayList<>();

        /** 1 + the type's index (at most 120 types; later ones share "Other"). */
        int kind(Throwable e) {
            String type = e.getClass().getSimpleName();
            examples.putIfAbsent(type, String.valueOf(e.getMessage()));
            Integer code = codes.get(type);
            if (code != null) {
                return code;
            }
            synchronized (this) {
                code = codes.get(type);
                if (code == null) {
                    if (names.size() >= 120) {
                        type = "Other";
                        code = codes.get(type);
                        if (code != null) {
                            return code;
                        }
                    }
                    names.add(type);
                    code = names.size();
                    codes.put(type, code);
                }
                return code;
            }
        }

        synchronized List<String> names() {
            return List.copyOf(names);
        }

        String example(String type) {
            return type == null ? null : examples.get(type);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

}

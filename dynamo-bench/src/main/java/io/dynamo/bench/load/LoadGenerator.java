package io.dynamo.bench.load;

import io.dynamo.client.CallOptions;
import io.dynamo.client.Context;
import io.dynamo.client.DynamoClient;
import io.dynamo.client.GetResult;
import io.dynamo.client.PutResult;
import io.dynamo.client.Resolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drives a {@link WorkloadSpec} against a cluster through a {@link DynamoClient} and measures it:
 * a load phase, then a run phase; {@link #run} returns the {@link BenchReport}.
 *
 * <p><b>Load phase</b> (unless {@link WorkloadSpec#load()} is off): the worker threads write every
 * record once, {@code user0000000000} and up ({@link Keys}), with the empty context, as fast as
 * they go. A record that already held a value (an earlier run's) comes back as two siblings; the
 * generator then writes it again with the answer's context, which replaces both, so repeating a
 * load never leaves siblings behind.
 *
 * <p><b>Run phase</b>: each of {@link WorkloadSpec#threads()} threads repeatedly draws an
 * operation from the mix and a record from the key distribution (from its own seeded random
 * generator) and makes one synchronous client call:
 *
 * <ul>
 *   <li><b>read</b>: {@code get}. Its context goes into the shared {@link ContextCache}. A read
 *       that returns two or more siblings is counted ({@link Counters#readsWithSiblings()}); an
 *       application would resolve them, here by keeping the sibling with the latest timestamp,
 *       which is what the next update does by writing over them with the read's context. Such a
 *       read is followed ({@link SiblingReads}): it counts as merged once an update or delete of
 *       the key succeeds with a context that covers the read's.
 *   <li><b>update</b>: {@code put} of a new random value with the key's context from the cache
 *       (the last read's or put's, whichever thread made it). When the cache does not know the
 *       key, a {@code get} first and then the {@code put}, timed and counted as one update. The
 *       put's returned context goes into the cache. Never a blind write: the store keeps every
 *       write with the empty context to an existing key as a new sibling (dotted version vectors),
 *       so blind updates would pile siblings up to the namespace's limit.
 *   <li><b>insert</b>: {@code put} of a key nobody wrote, with the empty context
 *       ({@link Keys#inserted}: unique per run). Inserted keys are not chosen by the other
 *       operations of the run.
 *   <li><b>rmw</b> (read-modify-write): {@code client.update} with a resolver that keeps the
 *       sibling with the latest timestamp ({@link Resolver#lastWriterWins()}) and a mutator that
 *       returns a new random value; the client's get, resolve and put-with-context, timed as one.
 *       Read-modify-writes that met siblings are counted.
 *   <li><b>delete</b>: {@code delete} with the key's context (a get first when it is unknown, as
 *       for updates). A later read of the key finds no value; a later update writes it again.
 * </ul>
 *
 * Values are {@link WorkloadSpec#valueSize()} random bytes from the thread's seeded generator,
 * written as {@value DynamoClient#DEFAULT_CONTENT_TYPE}, except that the first two name the writer
 * (0 for the load phase, worker thread index + 1 in the run), so that siblings can be traced to
 * the threads that wrote them. With the same seed each thread draws the
 * same operations, records and values; how the threads interleave, and so what the cluster sees,
 * still varies between runs.
 *
 * <p><b>Latency and pacing.</b> Each operation's latency goes into an HdrHistogram of its operation
 * (microseconds, up to 60 s). Without a target rate the run is a closed loop: a thread sends its
 * next call when the last one is answered, and latency is the call's own time. With a target rate
 * it is an open loop: each thread follows a {@link Schedule} of intended start times (together the
 * target rate), waits for the next one if it is early, and measures latency from the intended
 * start, so a call delayed behind a slow one carries that delay (no coordinated omission); a
 * thread that falls behind issues its late operations at once, without skipping any. The first
 * {@link WorkloadSpec#warmup()} of the run phase is not recorded (an operation belongs to the
 * warm-up if it started, or was intended to start, before the warm-up ended).
 *
 * <p><b>Errors</b> are counted per operation and per exception type (the client's typed
 * exceptions: {@code UnavailableException}, {@code InsufficientReplicasException},
 * {@code RequestTimeoutException}, {@code OverloadedException}, {@code ConnectionLostException},
 * ...) and never stop the run; failed operations are not in the latency histograms.
 *
 * <p><b>Progress</b>: about once a second a {@link Progress} goes to the listener, on a reporting
 * thread.
 *
 * <p>One generator runs once. It never closes the client.
 */
public final class LoadGenerator {

    private static final long PROGRESS_PERIOD_NANOS = 1_000_000_000L;
    private static final long MAX_PARK_NANOS = 50_000_000L;

    private final DynamoClient client;
    private final WorkloadSpec spec;
    private final ContextCache contexts;
    private final KeyChooser chooser;
    private final CallOptions readOptions;
    private final CallOptions writeOptions;
    private final CallOptions rmwOptions;
    private final String insertTag;
    private final Map<Operation, OperationStats> stats = new EnumMap<>(Operation.class);
    private final OperationStats warmupStats = new OperationStats("warm-up");
    private final OperationStats loadStats = new OperationStats("load");
    private final LongAdder readsWithSiblings = new LongAdder();
    private final SiblingTracker siblingReads;
    private final LongAdder readsNotFound = new LongAdder();
    private final LongAdder updatesThatReadFirst = new LongAdder();
    private final LongAdder deletesThatReadFirst = new LongAdder();
    private final LongAdder rmwResolvedSiblings = new LongAdder();
    private final LongAdder insertsDone = new LongAdder();
    private final LongAdder alreadyPresent = new LongAdder();
    private final LongAdder unissued = new LongAdder();
    private final AtomicLong insertSequence = new AtomicLong();
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile boolean stopRequested;

    public LoadGenerator(DynamoClient client, WorkloadSpec spec) {
        this.client = Objects.requireNonNull(client, "client");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.contexts = new ContextCache(spec.contextCacheSize(), spec.records());
        this.chooser = spec.distribution().chooser(spec.records(), spec.seed());
        QuorumOptions quorums = QuorumOptions.of(spec.readQuorum(), spec.writeQuorum());
        this.readOptions = quorums.read();
        this.writeOptions = quorums.write();
        this.rmwOptions = quorums.both();
        this.insertTag = String.format("%08x", ThreadLocalRandom.current().nextInt());
        this.siblingReads = new SiblingTracker(spec.valueSize());
        for (Operation op : Operation.values()) {
            stats.put(op, new OperationStats(op.label()));
        }
    }

    public WorkloadSpec spec() {
        return spec;
    }

    /**
     * Asks a running {@link #run} to end early (for Ctrl-C): threads finish the call they are in
     * and stop, and {@code run} returns the report of what was done, marked as stopped early.
     */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Runs the load phase (if the spec has one) and the run phase, sending progress to
     * {@code listener}, and returns the report. Blocks until done.
     *
     * @throws IllegalStateException if this generator already ran
     */
    public BenchReport run(RunInfo info, ProgressListener listener) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(listener, "listener");
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("a LoadGenerator runs once; make another");
        }
        Instant startedAt = Instant.now();
        LoadReport load = spec.load() ? loadPhase(listener) : null;
        RunTimes times = runPhase(listener);
        double measured = times.measuredSeconds();
        List<OperationReport> operations = new ArrayList<>();
        Histogram all = new Histogram(OperationStats.HIGHEST_MICROS, OperationStats.SIGNIFICANT_DIGITS);
        long errors = 0;
        Map<String, Long> errorsByType = new LinkedHashMap<>();
        Map<String, String> examples = new TreeMap<>();
        long clamped = 0;
        for (Operation op : spec.mix().operations()) {
            OperationStats s = stats.get(op);
            OperationReport report = s.report(measured);
            operations.add(report);
            all.add(report.histogram());
            errors += report.errors();
            report.errorsByType().forEach((k, v) -> errorsByType.merge(k, v, Long::sum));
            report.errorExamples().forEach(examples::putIfAbsent);
            clamped += s.clamped();
        }
        long totalCount = all.getTotalCount();
        OperationReport total = new OperationReport("total", totalCount, errors, errorsByType, examples,
                measured > 0 ? totalCount / measured : 0, all);
        Counters counters = new Counters(readsWithSiblings.sum(), readsNotFound.sum(), updatesThatReadFirst.sum(),
                deletesThatReadFirst.sum(), rmwResolvedSiblings.sum(), insertsDone.sum(), clamped,
                siblingReads.result());
        return new BenchReport(spec, info, startedAt, insertTag, load, times.warmupSeconds(), measured, operations,
                total, counters, unissued.sum(), stopRequested);
    }

    // ------------------------------------------------------------------ load phase

    private LoadReport loadPhase(ProgressListener listener) {
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong();
        Ticker ticker = new Ticker(listener, start, Long.MIN_VALUE, Phase.LOAD);
        ticker.start();
        int threads = (int) Math.min(spec.threads(), spec.records());
        SplittableRandom root = new SplittableRandom(spec.seed() ^ 0x6C6F6164L); // "load"
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            SplittableRandom random = root.split();
            workers.add(Thread.ofPlatform().name("bench-load-" + i).start(() -> loadWorker(next, random)));
        }
        Threads.joinAll(workers);
        double seconds = (System.nanoTime() - start) / 1e9;
        ticker.close();
        return new LoadReport(spec.records(), alreadyPresent.sum(), seconds, loadStats.report(seconds));
    }

    private void loadWorker(AtomicLong next, SplittableRandom random) {
        byte[] value = new byte[spec.valueSize()];
        CallOptions firstWrite = writeOptions.returnBody(true);
        while (!stopRequested) {
            long record = next.getAndIncrement();
            if (record >= spec.records()) {
                return;
            }
            random.nextBytes(value);
            SiblingTracker.tag(value, 0);
            byte[] key = Keys.bytes(Keys.record(record));
            long start = System.nanoTime();
            try {
                PutResult put = client.put(spec.namespace(), key, value, DynamoClient.DEFAULT_CONTENT_TYPE,
                        Context.EMPTY, firstWrite);
                if (put.siblings().size() > 1) { // the key held a value: replace both with one write
                    alreadyPresent.increment();
                    put = client.put(spec.namespace(), key, value, DynamoClient.DEFAULT_CONTENT_TYPE, put.context(),
                            writeOptions);
                }
                contexts.put(record, put.context());
                loadStats.record(System.nanoTime() - start);
            } catch (RuntimeException e) {
                loadStats.error(e);
            }
        }
    }

    // ------------------------------------------------------------------ run phase

    private record RunTimes(double warmupSeconds, double measuredSeconds) {
    }

    private RunTimes runPhase(ProgressListener listener) {
        long start = System.nanoTime();
        long measureStart = start + spec.warmup().toNanos();
        boolean timed = spec.duration() != null;
        long end = timed ? measureStart + spec.duration().toNanos() : 0;
        AtomicLong remaining = spec.operations() > 0 ? new AtomicLong(spec.operations()) : null;
        Ticker ticker = new Ticker(listener, start, measureStart, Phase.RUN);
        ticker.start();
        SplittableRandom root = new SplittableRandom(spec.seed() ^ 0x72756EL); // "run"
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < spec.threads(); i++) {
            SplittableRandom random = root.split();
            Schedule schedule = spec.openLoop() ? Schedule.of(start, spec.targetRate(), spec.threads(), i) : null;
            Worker w = new Worker(i + 1, random, schedule, measureStart, timed, end, remaining);
            workers.add(Thread.ofPlatform().name("bench-worker-" + i).start(w));
        }
        Threads.joinAll(workers);
        long finished = System.nanoTime();
        ticker.close();
        double warmup = Math.max(0, Math.min(finished, measureStart) - start) / 1e9;
        double measured = Math.max(0, finished - measureStart) / 1e9;
        return new RunTimes(warmup, measured);
    }

    /** One worker thread of the run phase. */
    private final class Worker implements Runnable {
        /** This thread's number in the values it writes ({@link SiblingTracker#tag}). */
        private final int writer;
        private final SplittableRandom random;
        private final Schedule schedule;
        private final long measureStart;
        private final boolean timed;
        private final long end;
        private final AtomicLong remaining;
        private final byte[] value = new byte[spec.valueSize()];
        private final Resolver resolver;

        Worker(int writer, SplittableRandom random, Schedule schedule, long measureStart, boolean timed, long end,
                AtomicLong remaining) {
            this.writer = writer;
            this.random = random;
            this.schedule = schedule;
            this.measureStart = measureStart;
            this.timed = timed;
            this.end = end;
            this.remaining = remaining;
            Resolver latest = Resolver.lastWriterWins();
            this.resolver = siblings -> {
                rmwResolvedSiblings.increment();
                return latest.resolve(siblings);
            };
        }

        @Override
        public void run() {
            long issued = 0;
            boolean pastDeadline = false;
            while (!stopRequested) {
                long intended;
                if (schedule != null) {
                    intended = schedule.intendedStart(issued);
                    if (timed && intended - end >= 0) {
                        break;
                    }
                    if (!sleepUntil(intended)) {
                        break;
                    }
                } else {
                    intended = System.nanoTime();
                }
                if (timed && System.nanoTime() - end >= 0) {
                    pastDeadline = true;
                    break;
                }
                boolean measured = intended - measureStart >= 0;
                if (measured && remaining != null && remaining.getAndDecrement() <= 0) {
                    break;
                }
                issued++;
                Operation op = spec.mix().choose(random.nextDouble());
                long record = chooser.next(random);
                OperationStats target = measured ? stats.get(op) : warmupStats;
                try {
                    execute(op, record, measured);
                    target.record(System.nanoTime() - intended);
                } catch (RuntimeException e) {
                    target.error(e);
                }
            }
            if (schedule != null && pastDeadline) {
                unissued.add(Math.max(0, schedule.countBefore(end) - issued));
            }
        }

        /** Waits until {@code deadline}; false when a stop was asked for meanwhile. */
        private boolean sleepUntil(long deadline) {
            while (!stopRequested) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                LockSupport.parkNanos(Math.min(left, MAX_PARK_NANOS));
            }
            return false;
        }

        private void execute(Operation op, long record, boolean measured) {
            String ns = spec.namespace();
            switch (op) {
                case READ -> {
                    GetResult read = client.get(ns, Keys.bytes(Keys.record(record)), readOptions);
                    contexts.put(record, read.context());
                    if (measured) {
                        if (read.siblings().size() > 1) {
                            readsWithSiblings.increment();
                            siblingReads.sawSiblings(record, read.context(), read.siblings());
                        } else if (read.siblings().isEmpty()) {
                            readsNotFound.increment();
                        }
                    }
                }
                case UPDATE -> {
                    byte[] key = Keys.bytes(Keys.record(record));
                    Context context = knownContext(key, record, measured ? updatesThatReadFirst : null);
                    random.nextBytes(value);
                    SiblingTracker.tag(value, writer);
                    PutResult put = client.put(ns, key, value, DynamoClient.DEFAULT_CONTENT_TYPE, context, writeOptions);
                    contexts.put(record, put.context());
                    siblingReads.wrote(record, context);
                }
                case INSERT -> {
                    random.nextBytes(value);
                    SiblingTracker.tag(value, writer);
                    byte[] key = Keys.bytes(Keys.inserted(insertTag, insertSequence.getAndIncrement()));
                    client.put(ns, key, value, DynamoClient.DEFAULT_CONTENT_TYPE, Context.EMPTY, writeOptions);
                    if (measured) {
                        insertsDone.increment();
                    }
                }
                case READ_MODIFY_WRITE -> {
                    byte[] next = new byte[spec.valueSize()];
                    random.nextBytes(next);
                    SiblingTracker.tag(next, writer);
                    PutResult put = client.update(ns, Keys.bytes(Keys.record(record)),
                            DynamoClient.DEFAULT_CONTENT_TYPE, measured ? resolver : Resolver.lastWriterWins(),
                            current -> next, rmwOptions);
                    contexts.put(record, put.context());
                }
                case DELETE -> {
                    byte[] key = Keys.bytes(Keys.record(record));
                    Context context = knownContext(key, record, measured ? deletesThatReadFirst : null);
                    PutResult deleted = client.delete(ns, key, context, writeOptions);
                    contexts.put(record, deleted.context());
                    siblingReads.wrote(record, context);
                }
            }
        }

        /** The cached context of {@code record}, or a read's when the cache does not know it. */
        private Context knownContext(byte[] key, long record, LongAdder readFirst) {
            Context context = contexts.get(record);
            if (context != null) {
                return context;
            }
            if (readFirst != null) {
                readFirst.increment();
            }
            return client.get(spec.namespace(), key, readOptions).context();
        }
    }

    // ------------------------------------------------------------------ progress

    /**
     * The reporting thread of one phase: every second it drains the interval histograms (which
     * also accumulates them) and sends a {@link Progress}; {@link #close} stops it and drains what
     * is left, without reporting it.
     */
    private final class Ticker {
        private final ProgressListener listener;
        private final long start;
        private final long measureStart;
        private final Phase phase;
        private final Histogram interval = new Histogram(OperationStats.HIGHEST_MICROS,
                OperationStats.SIGNIFICANT_DIGITS);
        private final Object lock = new Object();
        private Thread thread;
        private volatile boolean closed;
        private long last;
        private long warmupOps;
        private long warmupErrors;
        private long phaseOps;
        private long phaseErrors;

        /** {@code measureStart} is the end of the warm-up for the run phase, ignored for the load. */
        Ticker(ProgressListener listener, long start, long measureStart, Phase phase) {
            this.listener = listener;
            this.start = start;
            this.measureStart = measureStart;
            this.phase = phase;
            this.last = start;
        }

        void start() {
            thread = Thread.ofPlatform().daemon().name("bench-progress").start(this::loop);
        }

        private void loop() {
            long next = start + PROGRESS_PERIOD_NANOS;
            while (!closed) {
                long left = next - System.nanoTime();
                if (left > 0) {
                    LockSupport.parkNanos(this, left);
                    continue;
                }
                next += PROGRESS_PERIOD_NANOS;
                Progress p = tick(true);
                if (p != null) {
                    try {
                        listener.onProgress(p);
                    } catch (RuntimeException e) {
                        // a listener's failure must not end the run
                    }
                }
            }
        }

        /** Drains every histogram of the phase; the progress of the interval when {@code report}. */
        private Progress tick(boolean report) {
            synchronized (lock) {
                long now = System.nanoTime();
                interval.reset();
                long errors = 0;
                List<OperationStats> sources = phase == Phase.LOAD ? List.of(loadStats) : runSources();
                for (OperationStats s : sources) {
                    OperationStats.Interval i = s.drain();
                    interval.add(i.histogram());
                    errors += i.errors();
                    if (s == warmupStats) {
                        warmupOps += i.histogram().getTotalCount();
                        warmupErrors += i.errors();
                    } else {
                        phaseOps += i.histogram().getTotalCount();
                        phaseErrors += i.errors();
                    }
                }
                double seconds = (now - last) / 1e9;
                long previous = last;
                last = now;
                if (!report || closed) {
                    return null;
                }
                // An interval belongs to the warm-up if its middle does (the tick that ends the warm-up
                // reports the warm-up's last second, not an empty first second of the run).
                long middle = previous + (now - previous) / 2;
                Phase shown = phase == Phase.RUN && middle - measureStart < 0 ? Phase.WARMUP : phase;
                long ops = interval.getTotalCount();
                double p99 = ops == 0 ? Double.NaN : interval.getValueAtPercentile(99) / 1000.0;
                boolean warm = shown == Phase.WARMUP;
                return new Progress(shown, (now - start) / 1e9, seconds, ops, errors, warm ? warmupOps : phaseOps,
                        warm ? warmupErrors : phaseErrors, p99);
            }
        }

        private List<OperationStats> runSources() {
            List<OperationStats> out = new ArrayList<>(stats.values());
            out.add(warmupStats);
            return out;
        }

        void close() {
            closed = true;
            LockSupport.unpark(thread);
            Threads.joinAll(List.of(thread));
            tick(false);
        }
    }
}

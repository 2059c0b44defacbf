package io.dynamo.cli.bench.compare;

import io.dynamo.cli.bench.compare.Results.OpStats;
import io.dynamo.cli.bench.compare.Results.RunResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The side-by-side run: both systems started and loaded once, then for each workload each system
 * measured {@code runs} times, alternately (the order flips every run), the idle one paused; then,
 * when asked, each again in an open loop at half of Cassandra's median peak for that workload.
 * Every run warms up for {@code warmup} and is measured for {@code duration} in the same YCSB
 * process.
 */
public final class CompareRun {

    /** What to run. */
    public record Settings(List<String> workloads, int runs, long records, int threads, Duration warmup,
            Duration duration, boolean halfLoad, Path workDir, Path java) {

        public Settings {
            workloads = List.copyOf(workloads);
        }
    }

    /** The operations YCSB reports besides the workload's own. */
    static final String CLEANUP = "CLEANUP";

    private final Settings settings;
    private final ProjectLayout layout;
    private final List<Contender> contenders;
    private final Consumer<String> progress;

    CompareRun(Settings settings, ProjectLayout layout, List<Contender> contenders, Consumer<String> progress) {
        this.settings = settings;
        this.layout = layout;
        this.contenders = List.copyOf(contenders);
        this.progress = progress;
    }

    /** Starts, loads and measures every contender; returns every run's result. Closes nothing. */
    List<RunResult> run() {
        for (Contender c : contenders) {
            c.start(settings.workDir().resolve(c.key()), progress);
            load(c);
            c.pause();
        }
        List<RunResult> results = new ArrayList<>();
        for (String w : settings.workloads()) {
            for (int run = 1; run <= settings.runs(); run++) {
                for (Contender c : order(run)) {
                    results.add(measure(c, w, "peak", run, 0));
                }
            }
        }
        if (settings.halfLoad()) {
            Contender reference = contenders.get(contenders.size() - 1);
            for (String w : settings.workloads()) {
                double peak = Stats.median(results.stream()
                        .filter(r -> r.system().equals(reference.key()) && r.workload().equals(w)
                                && r.mode().equals("peak"))
                        .mapToDouble(RunResult::throughput).toArray());
                double offered = Math.max(1, Math.floor(peak / 2));
                for (int run = 1; run <= settings.runs(); run++) {
                    for (Contender c : order(run)) {
                        results.add(measure(c, w, "half", run, offered));
                    }
                }
            }
        }
        return results;
    }

    private List<Contender> order(int run) {
        List<Contender> order = new ArrayList<>(contenders);
        if (run % 2 == 0) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    private void load(Contender c) {
        progress.accept(c.name() + ": loading " + settings.records() + " records with " + settings.threads()
                + " threads");
        YcsbRun.Spec spec = new YcsbRun.Spec(c.name() + " load", c.classpath(), c.dbClass(), layout.workloadFile("a"),
                c.ycsbProperties(), settings.threads(), 0, true, settings.records(), Duration.ZERO, Duration.ZERO,
                settings.workDir().resolve(c.key()).resolve("load"));
        YcsbRun.Outcome o = YcsbRun.run(settings.java(), spec, () -> { }, progress);
        String ok = o.value("INSERT", "Return=OK");
        long inserted = ok == null ? 0 : Long.parseLong(ok);
        if (inserted != settings.records()) {
            throw new IllegalStateException(c.name() + ": the load phase inserted " + inserted + " of "
                    + settings.records() + " records; YCSB's summary: " + o.summary().get("INSERT")
                    + "; its output is in " + spec.workDir());
        }
        progress.accept(c.name() + ": loaded (" + o.value("OVERALL", "Throughput(ops/sec)") + " inserts/s)");
    }

    private RunResult measure(Contender c, String workload, String mode, int run, double offered) {
        String label = c.name() + " workload " + workload + (mode.equals("half") ? " at " + (long) offered + " ops/s"
                : "") + " run " + run;
        progress.accept(label + ": " + settings.warmup().toSeconds() + " s warm-up, " + settings.duration().toSeconds()
                + " s measured");
        c.resume();
        try {
            List<Long> pids = c.serverPids();
            double[] cpuAtWarmupEnd = {-1};
            YcsbRun.Spec spec = new YcsbRun.Spec(label, c.classpath(), c.dbClass(), layout.workloadFile(workload),
                    c.ycsbProperties(), settings.threads(), offered, false, settings.records(), settings.warmup(),
                    settings.duration(),
                    settings.workDir().resolve(c.key()).resolve(workload).resolve(mode + "-" + run));
            YcsbRun.Outcome o = YcsbRun.run(settings.java(), spec,
                    () -> cpuAtWarmupEnd[0] = ProcessCpu.seconds(pids), progress);
            double cpuAtEnd = ProcessCpu.seconds(pids);
            if (o.warmupEndEpochMillis() < 0) {
                throw new IllegalStateException(label + ": YCSB never reported the warm-up's end; its output is in "
                        + spec.workDir());
            }
            RunResult r = result(c.key(), workload, mode, run, offered, o, cpuAtWarmupEnd[0], cpuAtEnd);
            progress.accept(label + ": " + Stats.format(r.throughput()) + " ops/s"
                    + (r.failedOps() > 0 ? ", " + r.failedOps() + " failed" : ""));
            return r;
        } finally {
            c.pause();
        }
    }

    static RunResult result(String system, String workload, String mode, int run, double offered,
            YcsbRun.Outcome o, double cpuStart, double cpuEnd) {
        Map<String, HdrIntervals.Measured> measured = HdrIntervals.read(o.hdrDirectory(), o.warmupEndEpochMillis());
        Map<String, long[]> failedByOp = new LinkedHashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long ok = 0;
        long failed = 0;
        for (HdrIntervals.Measured m : measured.values()) {
            if (m.operation().equals(CLEANUP) || m.histogram().getTotalCount() == 0) {
                continue;
            }
            first = Math.min(first, m.firstStartMillis());
            last = Math.max(last, m.lastEndMillis());
            String failedOp = failedOperation(m.operation());
            if (failedOp != null) {
                failed += m.histogram().getTotalCount();
                failedByOp.computeIfAbsent(failedOp, k -> new long[1])[0] += m.histogram().getTotalCount();
            } else {
                ok += m.histogram().getTotalCount();
            }
        }
        List<OpStats> ops = new ArrayList<>();
        for (HdrIntervals.Measured m : measured.values()) {
            if (m.operation().equals(CLEANUP) || failedOperation(m.operation()) != null) {
                continue;
            }
            Histogram h = m.histogram();
            long f = failedByOp.getOrDefault(m.operation(), new long[1])[0];
            ops.add(new OpStats(m.operation(), h.getTotalCount(), f, ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue())));
        }
        double seconds = first == Long.MAX_VALUE ? 0 : (last - first) / 1000.0;
        long opsInWindow = o.opsAtEnd() - o.opsAtWarmupEnd();
        double cpuMsPerOp = cpuStart < 0 || cpuEnd < 0 || opsInWindow <= 0 ? -1
                : (cpuEnd - cpuStart) * 1000.0 / opsInWindow;
        // YCSB's own operation count (its status lines): a read-modify-write is one operation, though
        // YCSB also measures its read and its update under READ and UPDATE.
        long succeeded = opsInWindow > 0 ? Math.max(0, opsInWindow - failed) : ok;
        double throughput = seconds <= 0 ? 0 : succeeded / seconds;
        return new RunResult(system, workload, mode, run, offered, throughput, succeeded, failed, seconds, cpuMsPerOp,
                ops);
    }

    /**
     * The operation a failure measurement is for, or null when {@code name} is an operation.
     * YCSB measures failures as the operation's name, a dash and the status ({@code READ-FAILED},
     * {@code UPDATE-ERROR}); its read-modify-write operation has dashes of its own
     * ({@code READ-MODIFY-WRITE}, and {@code READ-MODIFY-WRITE-FAILED} when it fails).
     */
    static String failedOperation(String name) {
        for (String op : List.of(READ_MODIFY_WRITE, "READ", "UPDATE", "INSERT", "DELETE", "SCAN")) {
            if (name.equals(op)) {
                return null;
            }
            if (name.startsWith(op + "-") && !(op.equals("READ") && name.startsWith(READ_MODIFY_WRITE))) {
                return op;
            }
        }
        return null;
    }

    /** YCSB's read-modify-write operation (workload f): a read and an update, timed as one. */
    static final String READ_MODIFY_WRITE = "READ-MODIFY-WRITE";

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}

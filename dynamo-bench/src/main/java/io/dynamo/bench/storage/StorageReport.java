package io.dynamo.bench.storage;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link StorageBenchmark} in one JMH invocation and prints every benchmark's score, then the
 * ratios the storage issue sets targets for:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp dynamo-bench/target/benchmarks.jar \
 *     io.dynamo.bench.storage.StorageReport [JMH options]
 * </pre>
 *
 * Without arguments the JMH options are {@link #DEFAULT_ARGS}; any arguments replace them (and a
 * benchmark regex among them replaces the default, every StorageBenchmark method).
 */
public final class StorageReport {

    /** The recorded configuration: one fork, 2 warmup iterations of 2 s, 4 measured of 3 s. */
    static final List<String> DEFAULT_ARGS = List.of("-f", "1", "-wi", "2", "-i", "4", "-w", "2s", "-r", "3s");

    static final String LAUNCH = "java --enable-native-access=ALL-UNNAMED -cp dynamo-bench/target/benchmarks.jar "
            + StorageReport.class.getName();

    /** A ratio of two benchmarks' throughputs, with the target where it sets one. */
    record Ratio(String label, String numerator, String denominator, double target) {
        boolean hasTarget() {
            return !Double.isNaN(target);
        }
    }

    static final double NO_TARGET = Double.NaN;

    static final List<Ratio> RATIOS = List.of(
            new Ratio("engine get / raw get", "engineGet", "rawGet", 0.7),
            new Ratio("engine buffered put / raw put", "enginePut", "rawPut", 0.7),
            new Ratio("engine merge / raw put", "engineMerge", "rawPut", NO_TARGET),
            new Ratio("group-commit durable / fsync per put, 16 threads", "engineDurablePut16", "rawFsyncPerPut16",
                    4.0),
            new Ratio("fsync per put, 16 threads / 1 thread", "rawFsyncPerPut16", "rawFsyncPerPut1", NO_TARGET),
            new Ratio("group-commit durable / RocksDB write groups, 16 threads", "engineDurablePut16",
                    "rawSyncPutGrouped16", NO_TARGET));

    /** One benchmark's result: ops/s with its 99.9 % error, and the thread count it ran with. */
    record Score(double score, double error, int threads, String unit) {
    }

    private StorageReport() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        List<String> jmhArgs = args.length == 0 ? DEFAULT_ARGS : List.of(args);
        CommandLineOptions command = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(command);
        if (command.getIncludes().isEmpty()) {
            builder.include("^" + Pattern.quote(StorageBenchmark.class.getName() + ".") + "\\w+$");
        }
        Options options = builder.build();
        Collection<RunResult> results = new Runner(options).run();
        print(System.out, scores(results), LAUNCH + " " + String.join(" ", jmhArgs));
    }

    /** Each benchmark's score, by method name, in the order JMH reported them. */
    static Map<String, Score> scores(Collection<RunResult> results) {
        Map<String, Score> out = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            Result<?> primary = r.getPrimaryResult();
            out.put(name.substring(name.lastIndexOf('.') + 1), new Score(primary.getScore(),
                    primary.getScoreError(), r.getParams().getThreads(), primary.getScoreUnit()));
        }
        return out;
    }

    static void print(PrintStream out, Map<String, Score> scores, String command) {
        out.println();
        out.println("Storage engine against raw RocksDB: 1 KiB values, 16-byte keys, throughput");
        out.println();
        for (String line : scoreLines(scores)) {
            out.println(line);
        }
        out.println();
        for (String line : ratioLines(scores)) {
            out.println(line);
        }
        out.println();
        out.println("Command: " + command);
    }

    static List<String> scoreLines(Map<String, Score> scores) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-22s %7s %14s %14s  %s", "Benchmark", "Threads", "Score", "Error",
                "Units"));
        for (Map.Entry<String, Score> e : scores.entrySet()) {
            Score s = e.getValue();
            lines.add(String.format(Locale.ROOT, "%-22s %7d %14.1f %s %12.1f  %s", e.getKey(), s.threads(), s.score(),
                    "\u00b1", Double.isNaN(s.error()) ? 0.0 : s.error(), s.unit()));
        }
        return lines;
    }

    static List<String> ratioLines(Map<String, Score> scores) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-56s %9s %8s  %s", "Ratio", "Measured", "Target", "Verdict"));
        for (Ratio ratio : RATIOS) {
            double value = ratio(scores.get(ratio.numerator()), scores.get(ratio.denominator()));
            lines.add(String.format(Locale.ROOT, "%-56s %9s %8s  %s", ratio.label(), formatRatio(value),
                    ratio.hasTarget() ? ">= " + formatRatio(ratio.target()) : "-", verdict(value, ratio.target())));
        }
        return lines;
    }

    /** numerator / denominator; NaN if either is missing or the denominator is not positive. */
    static double ratio(Score numerator, Score denominator) {
        if (numerator == null || denominator == null || !(denominator.score() > 0)) {
            return Double.NaN;
        }
        return numerator.score() / denominator.score();
    }

    /** "0.83x", "12.5x", "n/a": two decimals below 10, one from 10 up. */
    static String formatRatio(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, ratio < 10 ? "%.2fx" : "%.1fx", ratio);
    }

    /**
     * "met" or "MISSED" against a lower-bound target, judged on the unrounded ratio (0.699 misses
     * 0.7x although it prints as 0.70x); "no target" or "not measured" otherwise.
     */
    static String verdict(double ratio, double target) {
        if (Double.isNaN(target)) {
            return "no target";
        }
        if (Double.isNaN(ratio)) {
            return "not measured";
        }
        return ratio >= target ? "met" : "MISSED";
    }
}

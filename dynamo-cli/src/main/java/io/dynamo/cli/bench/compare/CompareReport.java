package io.dynamo.cli.bench.compare;

import io.dynamo.cli.bench.compare.Results.Baseline;
import io.dynamo.cli.bench.compare.Results.Comparison;
import io.dynamo.cli.bench.compare.Results.OpStats;
import io.dynamo.cli.bench.compare.Results.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The comparison as Markdown: setup, baselines, medians per workload and operation, the ratios,
 * the targets met or missed, and every run. Figures are medians of the repeated runs; each run's
 * own figures are in the last table (and in the JSON).
 */
public final class CompareReport {

    static final String DYNAMO = "dynamo";
    static final String CASSANDRA = "cassandra";

    private final Comparison c;

    public CompareReport(Comparison c) {
        this.c = c;
    }

    /** Median throughput of a system on a workload in a mode; NaN when not measured. */
    double throughput(String system, String workload, String mode) {
        return median(system, workload, mode, RunResult::throughput);
    }

    double cpuPerOp(String system, String workload, String mode) {
        double[] v = runs(system, workload, mode).stream().mapToDouble(RunResult::serverCpuMsPerOp)
                .filter(x -> x >= 0).toArray();
        return v.length == 0 ? Double.NaN : Stats.median(v);
    }

    /** Median of one operation's figure over the runs. */
    double op(String system, String workload, String mode, String op, ToDoubleFunction<OpStats> figure) {
        double[] v = runs(system, workload, mode).stream().map(r -> r.op(op)).filter(Objects::nonNull)
                .mapToDouble(figure).toArray();
        return v.length == 0 ? Double.NaN : Stats.median(v);
    }

    private double median(String system, String workload, String mode, ToDoubleFunction<RunResult> f) {
        double[] v = runs(system, workload, mode).stream().mapToDouble(f).toArray();
        return v.length == 0 ? Double.NaN : Stats.median(v);
    }

    List<RunResult> runs(String system, String workload, String mode) {
        return c.results().stream()
                .filter(r -> r.system().equals(system) && r.workload().equals(workload) && r.mode().equals(mode))
                .toList();
    }

    /** The operations measured on a workload, in a stable order. */
    List<String> operations(String workload, String mode) {
        Set<String> ops = new LinkedHashSet<>();
        for (RunResult r : c.results()) {
            if (r.workload().equals(workload) && r.mode().equals(mode)) {
                r.operations().forEach(o -> ops.add(o.operation()));
            }
        }
        return new ArrayList<>(ops);
    }

    boolean hasMode(String mode) {
        return c.results().stream().anyMatch(r -> r.mode().equals(mode));
    }

    /** The report's Markdown, with images at {@code imagePrefix} (e.g. {@code benchmarks/}). */
    public String markdown(String imagePrefix) {
        StringBuilder md = new StringBuilder();
        String dyn = name(DYNAMO);
        md.append("## Side by side with Apache Cassandra\n\n");
        md.append("Written by `").append(c.command()).append("` on ").append(c.machine().date())
                .append(". Every figure below comes from this one run; throughput and latency are the **median of ")
                .append(c.runs()).append(" runs** per system, the systems measured alternately (the order flips each "
                        + "run) with the idle one paused (SIGSTOP), on the same machine at the same time.\n\n");
        md.append("**Machine:** ").append(c.machine().cores()).append(" cores (").append(c.machine().cpu())
                .append("), ").append(c.machine().memory()).append(", ").append(c.machine().os())
                .append("; YCSB client JVM: ").append(c.machine().clientJava())
                .append(". All server processes and the YCSB client share these cores.\n\n");
        md.append("**Systems:**\n\n");
        c.systems().forEach((k, v) -> md.append("- ").append(name(k)).append(": ").append(v).append("\n"));
        md.append("\n**Workload:** YCSB 0.17.0's own client (`site.ycsb.Client`) with each binding in its own JVM; ")
                .append(Stats.format(c.records())).append(" records of 10 fields of 100 bytes (zipfian keys), ")
                .append(c.threads()).append(" client threads; each run warms up for ").append(c.warmupSeconds())
                .append(" s, then measures ").append(c.durationSeconds()).append(" s. Latency is YCSB's HdrHistogram, "
                        + "from each operation's intended start (`measurement.interval=intended`), so an open-loop "
                        + "run is free of coordinated omission. Server CPU is user + system time of the server "
                        + "processes (from /proc) over the measured part, divided by the operations in it.\n\n");

        if (!c.baselines().isEmpty()) {
            md.append("### Physical baselines (same run)\n\n| baseline | figure | how |\n|---|---|---|\n");
            for (Baseline b : c.baselines()) {
                md.append("| ").append(b.name()).append(" | ").append(b.figure()).append(" | ").append(b.detail())
                        .append(" |\n");
            }
            md.append("\n");
        }

        md.append("### Peak throughput (closed loop)\n\n");
        md.append("| workload | ").append(dyn).append(" ops/s | Cassandra ops/s | ratio | ").append(dyn)
                .append(" server CPU ms/op | Cassandra server CPU ms/op | CPU ratio |\n|---|---|---|---|---|---|---|\n");
        for (String w : c.workloads()) {
            double d = throughput(DYNAMO, w, "peak");
            double k = throughput(CASSANDRA, w, "peak");
            double dc = cpuPerOp(DYNAMO, w, "peak");
            double kc = cpuPerOp(CASSANDRA, w, "peak");
            md.append("| ").append(w).append(" | ").append(Stats.format(d)).append(" | ").append(Stats.format(k))
                    .append(" | ").append(Stats.ratio(d / k)).append(" | ").append(Stats.ms(dc)).append(" | ")
                    .append(Stats.ms(kc)).append(" | ").append(Stats.ratio(dc / kc)).append(" |\n");
        }
        md.append("\n![Peak throughput per workload](").append(imagePrefix).append("compare-throughput.png)\n\n");

        latencyTable(md, "peak", "### Latency at peak throughput (ms)\n\n");
        if (hasMode("half")) {
            md.append("### Tail at half of Cassandra's peak (open loop, ms)\n\n");
            md.append("Each system is offered the same rate: half of Cassandra's median peak on that workload.\n\n");
            md.append("| workload | offered ops/s | op | ").append(dyn).append(" p50 | p99 | p99.9 | Cassandra p50 | p99 "
                    + "| p99.9 | p99.9 ").append(dyn).append(" ÷ Cassandra | ").append(dyn)
                    .append(" p99.9 ÷ own p50 |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (String w : c.workloads()) {
                double offered = runs(CASSANDRA, w, "half").stream().mapToDouble(RunResult::offeredOps).max()
                        .orElse(Double.NaN);
                for (String op : operations(w, "half")) {
                    double d50 = op(DYNAMO, w, "half", op, OpStats::p50Ms);
                    double d999 = op(DYNAMO, w, "half", op, OpStats::p999Ms);
                    double k999 = op(CASSANDRA, w, "half", op, OpStats::p999Ms);
                    md.append("| ").append(w).append(" | ").append(Stats.format(offered)).append(" | ").append(op)
                            .append(" | ").append(Stats.ms(d50)).append(" | ")
                            .append(Stats.ms(op(DYNAMO, w, "half", op, OpStats::p99Ms))).append(" | ")
                            .append(Stats.ms(d999)).append(" | ")
                            .append(Stats.ms(op(CASSANDRA, w, "half", op, OpStats::p50Ms))).append(" | ")
                            .append(Stats.ms(op(CASSANDRA, w, "half", op, OpStats::p99Ms))).append(" | ")
                            .append(Stats.ms(k999)).append(" | ").append(Stats.ratio(d999 / k999)).append(" | ")
                            .append(Stats.ratio(d999 / d50)).append(" |\n");
                }
            }
            if (c.workloads().stream().anyMatch(w -> operations(w, "half").contains("READ-MODIFY-WRITE"))) {
                md.append("\nIn an open loop YCSB times every operation from its intended start, including the READ and "
                        + "UPDATE inside a READ-MODIFY-WRITE. So in workload f, where every update belongs to a "
                        + "read-modify-write, the UPDATE row repeats the READ-MODIFY-WRITE row.\n");
            }
            md.append("\n![Latency percentiles at half of Cassandra's peak](").append(imagePrefix)
                    .append("compare-latency-half.png)\n\n");
        }
        md.append("![Latency percentiles at peak](").append(imagePrefix).append("compare-latency-peak.png)\n\n");

        md.append("### Targets\n\n");
        for (String line : verdicts()) {
            md.append("- ").append(line).append("\n");
        }
        md.append("\n### Every run\n\n| workload | mode | run | system | offered ops/s | ops/s | failed | measured s "
                + "| server CPU ms/op | p50 / p99 / p99.9 per op (ms) |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (RunResult r : c.results()) {
            StringBuilder ops = new StringBuilder();
            for (OpStats o : r.operations()) {
                if (ops.length() > 0) {
                    ops.append("; ");
                }
                ops.append(o.operation()).append(" ").append(Stats.ms(o.p50Ms())).append(" / ")
                        .append(Stats.ms(o.p99Ms())).append(" / ").append(Stats.ms(o.p999Ms()));
            }
            md.append("| ").append(r.workload()).append(" | ").append(r.mode()).append(" | ").append(r.run())
                    .append(" | ").append(name(r.system())).append(" | ")
                    .append(r.offeredOps() > 0 ? Stats.format(r.offeredOps()) : "closed loop").append(" | ")
                    .append(Stats.format(r.throughput())).append(" | ").append(r.failedOps()).append(" | ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", r.seconds())).append(" | ")
                    .append(Stats.ms(r.serverCpuMsPerOp())).append(" | ").append(ops).append(" |\n");
        }
        md.append("\nThe raw figures of every run are in `").append(imagePrefix).append("compare.json`.\n");
        return md.toString();
    }

    private void latencyTable(StringBuilder md, String mode, String title) {
        md.append(title);
        md.append("| workload | op | Dynamo p50 | p99 | p99.9 | Cassandra p50 | p99 | p99.9 | p50 ratio | p99.9 ratio |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String w : c.workloads()) {
            for (String op : operations(w, mode)) {
                double d50 = op(DYNAMO, w, mode, op, OpStats::p50Ms);
                double d999 = op(DYNAMO, w, mode, op, OpStats::p999Ms);
                double k50 = op(CASSANDRA, w, mode, op, OpStats::p50Ms);
                double k999 = op(CASSANDRA, w, mode, op, OpStats::p999Ms);
                md.append("| ").append(w).append(" | ").append(op).append(" | ").append(Stats.ms(d50)).append(" | ")
                        .append(Stats.ms(op(DYNAMO, w, mode, op, OpStats::p99Ms))).append(" | ")
                        .append(Stats.ms(d999)).append(" | ").append(Stats.ms(k50)).append(" | ")
                        .append(Stats.ms(op(CASSANDRA, w, mode, op, OpStats::p99Ms))).append(" | ")
                        .append(Stats.ms(k999)).append(" | ").append(Stats.ratio(d50 / k50)).append(" | ")
                        .append(Stats.ratio(d999 / k999)).append(" |\n");
            }
        }
        md.append("\n");
    }

    /** The targets, each met, missed, or not measured in this run. */
    public List<String> verdicts() {
        List<String> out = new ArrayList<>();
        for (String w : List.of("a", "b")) {
            if (!c.workloads().contains(w)) {
                out.add("Throughput and CPU on workload " + w + ": not measured in this run.");
                continue;
            }
            double ratio = throughput(DYNAMO, w, "peak") / throughput(CASSANDRA, w, "peak");
            out.add("Throughput, workload " + w + ": Dynamo at " + Stats.ratio(ratio)
                    + " Cassandra's (target: at least 3x): " + verdict(ratio >= 3, ratio));
            double cpu = cpuPerOp(DYNAMO, w, "peak") / cpuPerOp(CASSANDRA, w, "peak");
            out.add("Server CPU per operation, workload " + w + ": Dynamo at " + Stats.ratio(cpu)
                    + " Cassandra's (target: less than a third, 0.33x): " + verdict(cpu < 1.0 / 3, cpu));
        }
        if (!hasMode("half")) {
            out.add("Tail at half of Cassandra's peak: not measured in this run (--no-half-load).");
            return out;
        }
        for (String w : c.workloads()) {
            for (String op : operations(w, "half")) {
                double d50 = op(DYNAMO, w, "half", op, OpStats::p50Ms);
                double d999 = op(DYNAMO, w, "half", op, OpStats::p999Ms);
                double k999 = op(CASSANDRA, w, "half", op, OpStats::p999Ms);
                out.add("Tail, workload " + w + " " + op + ": Dynamo p99.9 " + Stats.ms(d999) + " ms vs Cassandra's "
                        + Stats.ms(k999) + " ms (target: no worse): " + verdict(d999 <= k999, d999 / k999)
                        + "; Dynamo p99.9 = " + Stats.ratio(d999 / d50) + " its p50 (target: within 10x): "
                        + verdict(d999 <= 10 * d50, d999 / d50));
            }
        }
        return out;
    }

    private static String verdict(boolean met, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "**not measured**";
        }
        return met ? "**met**" : "**missed**";
    }

    static String name(String key) {
        return switch (key) {
            case DYNAMO -> "Dynamo";
            case CASSANDRA -> "Cassandra";
            default -> key;
        };
    }
}

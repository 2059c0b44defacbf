package io.dynamo.cli.bench.compare;

import java.util.List;
import java.util.Map;

/** What a comparison measured: plain records, written as JSON next to the report. */
public final class Results {

    private Results() {
    }

    /** One operation's measured latency (milliseconds, from intended starts) in one run. */
    public record OpStats(String operation, long count, long failed, double p50Ms, double p99Ms, double p999Ms,
            double maxMs) {
    }

    /**
     * One measured YCSB run of one system. {@code mode} is {@code peak} (closed loop) or
     * {@code half} (open loop at {@code offeredOps}, half of Cassandra's median peak).
     * {@code serverCpuMsPerOp} is -1 when CPU time could not be read.
     */
    public record RunResult(String system, String workload, String mode, int run, double offeredOps,
            double throughput, long okOps, long failedOps, double seconds, double serverCpuMsPerOp,
            List<OpStats> operations) {

        public OpStats op(String name) {
            return operations.stream().filter(o -> o.operation().equals(name)).findFirst().orElse(null);
        }
    }

    /** A same-run physical baseline: what it is, its figure, and how it was measured. */
    public record Baseline(String name, String figure, String detail) {
    }

    /** The machine the run was on. */
    public record Machine(int cores, String cpu, String memory, String os, String clientJava, String date) {
    }

    /** The whole comparison. */
    public record Comparison(String command, Machine machine, Map<String, String> systems, int runs, long records,
            int threads, long warmupSeconds, long durationSeconds, List<String> workloads, List<Baseline> baselines,
            List<RunResult> results) {
    }
}

package io.dynamo.bench.load;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run measured, with what is needed to repeat it: the spec (seed included), the
 * exact command line and target, and whether the run was open or closed loop. Rendered by
 * {@link ReportFormat} as a text table or JSON.
 *
 * @param spec the workload
 * @param info the command line and what it ran against
 * @param startedAt when the run began (wall clock, for the record)
 * @param insertTag the run tag in the keys of this run's inserts ({@link Keys#inserted})
 * @param load the load phase, or null when it was skipped
 * @param warmupSeconds the warm-up that actually ran (shorter if the run was stopped in it)
 * @param measuredSeconds the measured part's length, from its start to the last worker's end
 * @param operations one report per operation of the mix (weight above 0), in {@link Operation} order
 * @param total all operations together
 * @param counters what the operations saw besides latency
 * @param unissued open loop only: operations of the timetable intended before the end but not
 *     issued because the threads were too far behind; 0 in a closed loop
 * @param stoppedEarly whether the run was stopped ({@link LoadGenerator#stop()}) before its end
 */
public record BenchReport(WorkloadSpec spec, RunInfo info, Instant startedAt, String insertTag, LoadReport load,
        double warmupSeconds, double measuredSeconds, List<OperationReport> operations, OperationReport total,
        Counters counters, long unissued, boolean stoppedEarly) {

    public BenchReport {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(insertTag, "insertTag");
        operations = List.copyOf(operations);
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(counters, "counters");
    }

    /** The report of the operation labelled {@code label} ({@code read}, {@code update}, ...). */
    public Optional<OperationReport> operation(String label) {
        return operations.stream().filter(o -> o.operation().equals(label)).findFirst();
    }

    /** {@code closed} or {@code open}. */
    public String loop() {
        return spec.openLoop() ? "open" : "closed";
    }
}

package io.dynamo.bench.load;

import java.util.Locale;

/**
 * One progress report, sent about once a second while a phase runs: the figures of the interval
 * since the previous report, and the phase's totals so far.
 *
 * @param phase the phase
 * @param elapsedSeconds seconds since the phase began (for the run phase: since the warm-up began)
 * @param intervalSeconds the length of the interval
 * @param intervalOperations operations completed in the interval (errors not included)
 * @param intervalErrors operations that failed in the interval
 * @param totalOperations operations completed in the phase so far: during the warm-up the
 *     warm-up's; during the run the measured ones
 * @param totalErrors errors in the phase so far (as {@code totalOperations})
 * @param intervalP99Millis the 99th percentile latency of the interval's operations; NaN when none
 */
public record Progress(Phase phase, double elapsedSeconds, double intervalSeconds, long intervalOperations,
        long intervalErrors, long totalOperations, long totalErrors, double intervalP99Millis) {

    /** Operations per second in the interval. */
    public double operationsPerSecond() {
        return intervalSeconds > 0 ? intervalOperations / intervalSeconds : 0;
    }

    /**
     * The progress line {@code dynamo bench} prints:
     * {@code [  12 s] 4,321 ops/s  total 51,234  errors 0  p99 2.10 ms}, with {@code load} or
     * {@code warm-up} after the time in those phases.
     */
    public String line() {
        String phaseLabel = phase == Phase.RUN ? "" : phase.label() + "  ";
        String p99 = Double.isNaN(intervalP99Millis) ? "-" : String.format(Locale.ROOT, "%.2f ms", intervalP99Millis);
        return String.format(Locale.ROOT, "[%4d s] %s%,.0f ops/s  total %,d  errors %,d  p99 %s",
                Math.round(elapsedSeconds), phaseLabel, operationsPerSecond(), totalOperations, totalErrors, p99);
    }
}

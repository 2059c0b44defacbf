package io.dynamo.bench.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The figures of one operation (or of all of them together) over the measured part of a run.
 * Latencies come from an HdrHistogram of microseconds (3 significant digits) and are given in
 * milliseconds; they are NaN when the operation never succeeded.
 *
 * @param operation the operation's label ({@code read}, {@code update}, ...; {@code total}; {@code load})
 * @param count operations that succeeded
 * @param errors operations that failed (not in {@code count} nor in the latencies)
 * @param errorsByType failed operations by the client exception's simple class name, most first
 * @param errorExamples the message of the first error of each type
 * @param operationsPerSecond {@code count} over the measured seconds
 * @param histogram the latencies of the successful operations, in microseconds (a copy is kept)
 */
public record OperationReport(String operation, long count, long errors, Map<String, Long> errorsByType,
        Map<String, String> errorExamples, double operationsPerSecond, Histogram histogram) {

    public OperationReport {
        Objects.requireNonNull(operation, "operation");
        errorsByType = Collections.unmodifiableMap(new LinkedHashMap<>(errorsByType));
        errorExamples = Collections.unmodifiableMap(new TreeMap<>(errorExamples));
        histogram = Objects.requireNonNull(histogram, "histogram").copy();
    }

    /** A copy of the latency histogram (microseconds). */
    @Override
    public Histogram histogram() {
        return histogram.copy();
    }

    /** The latency at {@code percentile} (0 to 100), in milliseconds; NaN without operations. */
    public double percentileMillis(double percentile) {
        return count == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double p50Millis() {
        return percentileMillis(50);
    }

    public double p99Millis() {
        return percentileMillis(99);
    }

    public double p999Millis() {
        return percentileMillis(99.9);
    }

    public double maxMillis() {
        return count == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
    }

    public double meanMillis() {
        return count == 0 ? Double.NaN : histogram.getMean() / 1000.0;
    }

    /** This report's figures under another label (for the total row). */
    OperationReport named(String label) {
        return new OperationReport(label, count, errors, errorsByType, errorExamples, operationsPerSecond, histogram);
    }
}

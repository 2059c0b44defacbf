package io.dynamo.bench.baseline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.bench.report.Json;
import io.dynamo.bench.report.Text;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The percentiles of a set of latencies, in microseconds, taken from an HdrHistogram. Every
 * figure is NaN when the histogram is empty. Percentiles are HdrHistogram's
 * {@code getValueAtPercentile} (the highest value equivalent to the percentile's bucket), so they
 * carry the histogram's precision (3 significant digits in this module).
 *
 * @param count values recorded
 * @param minMicros the smallest
 * @param meanMicros the mean
 * @param p50Micros the median
 * @param p90Micros the 90th percentile
 * @param p99Micros the 99th percentile
 * @param p999Micros the 99.9th percentile
 * @param maxMicros the largest
 */
public record LatencySummary(long count, double minMicros, double meanMicros, double p50Micros, double p90Micros,
        double p99Micros, double p999Micros, double maxMicros) {

    /** The empty summary: count 0, every figure NaN. */
    public static final LatencySummary EMPTY = new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN);

    /** The summary of a histogram whose values are nanoseconds. */
    public static LatencySummary fromNanos(Histogram h) {
        return of(h, TimeUnit.NANOSECONDS);
    }

    /** The summary of a histogram whose values are microseconds. */
    public static LatencySummary fromMicros(Histogram h) {
        return of(h, TimeUnit.MICROSECONDS);
    }

    /** The summary of a histogram whose values are in {@code unit}. */
    public static LatencySummary of(Histogram h, TimeUnit unit) {
        long count = h.getTotalCount();
        if (count == 0) {
            return EMPTY;
        }
        double scale = unit.toNanos(1) / 1000.0;
        return new LatencySummary(count, h.getMinValue() * scale, h.getMean() * scale,
                h.getValueAtPercentile(50) * scale, h.getValueAtPercentile(90) * scale,
                h.getValueAtPercentile(99) * scale, h.getValueAtPercentile(99.9) * scale, h.getMaxValue() * scale);
    }

    /** A histogram of nanoseconds from 1 ns to 60 s at 3 significant digits (values above are clamped by callers). */
    public static Histogram nanosHistogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }

    /** A histogram of microseconds from 1 µs to 60 s at 3 significant digits. */
    public static Histogram microsHistogram() {
        return new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    }

    public double p50Millis() {
        return p50Micros / 1000;
    }

    public double p99Millis() {
        return p99Micros / 1000;
    }

    public double p999Millis() {
        return p999Micros / 1000;
    }

    public double maxMillis() {
        return maxMicros / 1000;
    }

    /** The 99.9th percentile over the median (NaN when empty). */
    public double p999OverP50() {
        return p50Micros > 0 ? p999Micros / p50Micros : Double.NaN;
    }

    /** {@code n 50,000, mean 41.2, p50 40.1, p99 60.3, p99.9 110.0, max 512.0 us}. */
    public String line() {
        return "n " + Text.n(count) + ", mean " + Text.us(meanMicros) + ", p50 " + Text.us(p50Micros) + ", p90 "
                + Text.us(p90Micros) + ", p99 " + Text.us(p99Micros) + ", p99.9 " + Text.us(p999Micros) + ", max "
                + Text.us(maxMicros) + " us";
    }

    /** Every field, in microseconds ({@code _us}; null when empty). */
    public ObjectNode json() {
        ObjectNode o = Json.object();
        o.put("count", count);
        Json.put(o, "min_us", minMicros);
        Json.put(o, "mean_us", meanMicros);
        Json.put(o, "p50_us", p50Micros);
        Json.put(o, "p90_us", p90Micros);
        Json.put(o, "p99_us", p99Micros);
        Json.put(o, "p99_9_us", p999Micros);
        Json.put(o, "max_us", maxMicros);
        return o;
    }
}

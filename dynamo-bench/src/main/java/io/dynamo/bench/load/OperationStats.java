package io.dynamo.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The latencies and errors of one operation during a run. Worker threads record into an HdrHistogram
 * {@link Recorder} (wait-free); the reporting thread takes its interval histogram every second
 * and adds it to the accumulated one. Latencies are in microseconds, from 1 µs to 60 s at 3
 * significant digits; a slower operation is recorded as 60 s and counted in {@link #clamped()}.
 */
final class OperationStats {

    /** The highest latency tracked, in microseconds: 60 s. */
    static final long HIGHEST_MICROS = 60_000_000L;
    static final int SIGNIFICANT_DIGITS = 3;

    private final String name;
    private final Recorder recorder = new Recorder(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    private final Histogram accumulated = new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    private Histogram recycled;
    private final LongAdder errors = new LongAdder();
    private final LongAdder clamped = new LongAdder();
    private final ConcurrentHashMap<String, ErrorKind> errorKinds = new ConcurrentHashMap<>();
    private long errorsAtLastDrain;

    private static final class ErrorKind {
        final LongAdder count = new LongAdder();
        final String example;

        ErrorKind(String example) {
            this.example = example;
        }
    }

    /** What one interval added. */
    record Interval(Histogram histogram, long errors) {
    }

    OperationStats(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Records one successful operation that took {@code nanos}. */
    void record(long nanos) {
        long micros = Math.max(0, (nanos + 500) / 1000);
        if (micros > HIGHEST_MICROS) {
            clamped.increment();
            micros = HIGHEST_MICROS;
        }
        recorder.recordValue(micros);
    }

    /** Counts one failed operation, by the exception's simple class name. */
    void error(Throwable e) {
        errors.increment();
        String type = e.getClass().getSimpleName();
        errorKinds.computeIfAbsent(type, t -> new ErrorKind(String.valueOf(e.getMessage()))).count.increment();
    }

    long errors() {
        return errors.sum();
    }

    long clamped() {
        return clamped.sum();
    }

    /**
     * Takes what was recorded since the last call and adds it to the accumulated histogram. The
     * returned histogram is reused by the next call: read it before then.
     */
    synchronized Interval drain() {
        recycled = recorder.getIntervalHistogram(recycled);
        accumulated.add(recycled);
        long e = errors.sum();
        long delta = e - errorsAtLastDrain;
        errorsAtLastDrain = e;
        return new Interval(recycled, delta);
    }

    /** A copy of everything drained so far. */
    synchronized Histogram accumulated() {
        return accumulated.copy();
    }

    /** Errors by exception type, most frequent first (then by name). */
    Map<String, Long> errorsByType() {
        Map<String, Long> sorted = new TreeMap<>();
        errorKinds.forEach((k, v) -> sorted.put(k, v.count.sum()));
        Map<String, Long> out = new LinkedHashMap<>();
        sorted.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The message of the first error of each type. */
    Map<String, String> errorExamples() {
        Map<String, String> out = new TreeMap<>();
        errorKinds.forEach((k, v) -> out.put(k, v.example));
        return out;
    }

    /** The report of what was drained so far, over {@code seconds} of measured time. */
    OperationReport report(double seconds) {
        Histogram h = accumulated();
        long count = h.getTotalCount();
        return new OperationReport(name, count, errors(), errorsByType(), errorExamples(),
                seconds > 0 ? count / seconds : 0, h);
    }
}

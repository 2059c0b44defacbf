package io.dynamo.cli.bench.compare;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Reads the interval histograms YCSB wrote ({@code OP.hdr}, one interval a second) and adds up
 * those that start at or after a moment (the warm-up's end), per operation. Values are
 * microseconds, as YCSB records them.
 */
public final class HdrIntervals {

    /** The measured part of one operation's log. */
    public record Measured(String operation, Histogram histogram, long firstStartMillis, long lastEndMillis) {
    }

    /** How early an interval may start and still count (the status line is seen just after the tick). */
    static final long TOLERANCE_MILLIS = 300;

    private HdrIntervals() {
    }

    /** Every operation's measured histogram in {@code dir}, by operation name, in name order. */
    public static Map<String, Measured> read(Path dir, long fromEpochMillis) {
        Map<String, Measured> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".hdr")).toList()) {
                String name = f.getFileName().toString();
                String op = name.substring(0, name.length() - ".hdr".length());
                out.put(op, readOne(op, f, fromEpochMillis));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read YCSB's histograms in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    static Measured readOne(String op, Path file, long fromEpochMillis) throws FileNotFoundException {
        Histogram sum = new Histogram(3);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        HistogramLogReader reader = new HistogramLogReader(file.toFile());
        try {
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                if (h.getStartTimeStamp() + TOLERANCE_MILLIS < fromEpochMillis) {
                    continue;
                }
                if (h instanceof Histogram hist) {
                    sum.add(hist);
                } else {
                    throw new IllegalStateException(file + " holds double histograms, not YCSB's");
                }
                first = Math.min(first, h.getStartTimeStamp());
                last = Math.max(last, h.getEndTimeStamp());
            }
        } finally {
            reader.close();
        }
        return new Measured(op, sum, first == Long.MAX_VALUE ? 0 : first, last == Long.MIN_VALUE ? 0 : last);
    }
}

package io.dynamo.bench.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Number formats and aligned tables for the benchmark results' text forms (Locale.ROOT throughout). */
public final class Text {

    private Text() {
    }

    /** {@code 12,345}. */
    public static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** {@code 12,345.6}, or {@code -} for NaN. */
    public static String rate(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.1f", v);
    }

    /** {@code 41.2} (microseconds), or {@code -}. */
    public static String us(double micros) {
        return Double.isNaN(micros) ? "-" : String.format(Locale.ROOT, "%,.1f", micros);
    }

    /** {@code 1.234} (milliseconds), or {@code -}. */
    public static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%,.3f", millis);
    }

    /** {@code 4.1x}, or {@code -}. */
    public static String times(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** {@code 99.9871%}, or {@code -}. */
    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.4f%%", 100 * fraction);
    }

    /** {@code 12.3} seconds. */
    public static String seconds(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.1f", s);
    }

    /** Elapsed seconds: {@code 0.123 s} under 10 s, else {@code 12.3 s}; {@code -} for NaN. */
    public static String elapsed(double s) {
        if (Double.isNaN(s)) {
            return "-";
        }
        return String.format(Locale.ROOT, s < 10 ? "%.3f s" : "%,.1f s", s);
    }

    /** A duration as the options take it: {@code 30s}, {@code 250ms}; {@code none} for null. */
    public static String duration(Duration d) {
        if (d == null) {
            return "none";
        }
        if (d.toNanosPart() == 0 && d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        if (d.toNanosPart() % 1_000_000 == 0) {
            return d.toMillis() + "ms";
        }
        return d.toString();
    }

    /**
     * Appends an aligned table: the first column left-aligned, the others right-aligned, two
     * spaces apart, trailing spaces stripped.
     */
    public static void table(StringBuilder b, List<String> header, List<String[]> rows) {
        List<String[]> all = new ArrayList<>();
        all.add(header.toArray(String[]::new));
        all.addAll(rows);
        int columns = header.size();
        int[] width = new int[columns];
        for (String[] row : all) {
            for (int i = 0; i < columns && i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : all) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = i < row.length ? row[i] : "";
                String pad = " ".repeat(width[i] - cell.length());
                if (i == 0) {
                    l.append(cell).append(pad);
                } else {
                    l.append("  ").append(pad).append(cell);
                }
            }
            b.append(l.toString().stripTrailing()).append('\n');
        }
    }
}

package io.dynamo.cli.bench.compare;

import java.util.Arrays;
import java.util.Locale;

/** Medians and number formats for the reports. */
final class Stats {

    private Stats() {
    }

    /** The median (the mean of the middle two for an even count); NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** Throughput and counts: "1,234". */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** Milliseconds with sensible precision: "0.412", "3.21", "45.1", "1,203". */
    static String ms(double value) {
        if (Double.isNaN(value) || value < 0) {
            return "n/a";
        }
        if (value < 1) {
            return String.format(Locale.ROOT, "%.3f", value);
        }
        if (value < 10) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (value < 100) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** A ratio: "3.41x". */
    static String ratio(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2fx" : "%.1fx", value);
    }
}

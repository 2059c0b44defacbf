package io.dynamo.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;

/**
 * A measured figure judged against its target, as one line of a report:
 * {@code GET p50 = 4.1x loopback RTT (target: within 6x): met}.
 *
 * @param measure what is judged ({@code GET p50})
 * @param value the measured number (NaN when it could not be measured)
 * @param comparison {@code <=} (the value must be at most the limit) or {@code >=}
 * @param limit the target's number
 * @param measured the value as the line shows it ({@code 4.1x loopback RTT})
 * @param target the target as the line shows it ({@code within 6x})
 * @param status met, missed, or not judged (no value)
 */
public record Verdict(String measure, double value, String comparison, double limit, String measured, String target,
        Status status) {

    /** How a figure stands against its target. */
    public enum Status {
        MET("met"),
        MISSED("MISSED"),
        NOT_JUDGED("not judged");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Verdict {
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(comparison, "comparison");
        if (!comparison.equals("<=") && !comparison.equals(">=")) {
            throw new IllegalArgumentException("comparison must be <= or >=, was " + comparison);
        }
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
    }

    /** Met when {@code value <= limit}; not judged when the value is NaN. */
    public static Verdict atMost(String measure, double value, double limit, String measured, String target) {
        return new Verdict(measure, value, "<=", limit, measured, target, status(value, value <= limit));
    }

    /** Met when {@code value >= limit}; not judged when the value is NaN. */
    public static Verdict atLeast(String measure, double value, double limit, String measured, String target) {
        return new Verdict(measure, value, ">=", limit, measured, target, status(value, value >= limit));
    }

    private static Status status(double value, boolean ok) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Status.NOT_JUDGED;
        }
        return ok ? Status.MET : Status.MISSED;
    }

    public boolean met() {
        return status == Status.MET;
    }

    /** {@code GET p50 = 4.1x loopback RTT (target: within 6x): met}. */
    public String line() {
        return measure + " = " + measured + " (target: " + target + "): " + status.label();
    }

    /** The verdict as JSON: every field, and the line. */
    public ObjectNode json() {
        ObjectNode o = Json.object();
        o.put("measure", measure);
        Json.put(o, "value", value);
        o.put("comparison", comparison);
        Json.put(o, "limit", limit);
        o.put("measured", measured);
        o.put("target", target);
        o.put("status", status.name().toLowerCase(Locale.ROOT));
        o.put("line", line());
        return o;
    }
}

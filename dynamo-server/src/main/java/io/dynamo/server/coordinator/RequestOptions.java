package io.dynamo.server.coordinator;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Per-request overrides of a namespace's R and W, and the request's timeout. Resolved against
 * the namespace's properties with {@link #readQuorum} and {@link #writeQuorum}, which reject a
 * value outside 1..N with a message naming it.
 *
 * @param r read quorum for this request, if overridden
 * @param w write quorum for this request, if overridden
 * @param timeout how long the coordinator waits for the quorum
 */
public record RequestOptions(OptionalInt r, OptionalInt w, Duration timeout) {

    /** The default timeout of a request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The longest timeout a request may ask for. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    public static final RequestOptions DEFAULTS = new RequestOptions(OptionalInt.empty(), OptionalInt.empty(),
            DEFAULT_TIMEOUT);

    public RequestOptions {
        if (r == null || w == null) {
            throw new IllegalArgumentException("r and w must be given (empty for the namespace default)");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be between 1 ms and " + MAX_TIMEOUT.toMillis() + " ms, was "
                    + (timeout == null ? "null" : timeout.toMillis() + " ms"));
        }
    }

    /**
     * Options from query-style parameters: {@code r}, {@code w} and {@code timeout_ms}. Unknown
     * names and values that are not whole numbers are rejected.
     */
    public static RequestOptions parse(Map<String, String> parameters) {
        OptionalInt r = OptionalInt.empty();
        OptionalInt w = OptionalInt.empty();
        Duration timeout = DEFAULT_TIMEOUT;
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            switch (p.getKey()) {
                case "r" -> r = OptionalInt.of(whole("r", p.getValue()));
                case "w" -> w = OptionalInt.of(whole("w", p.getValue()));
                case "timeout_ms" -> timeout = Duration.ofMillis(whole("timeout_ms", p.getValue()));
                default -> throw new IllegalArgumentException("unknown request option '" + p.getKey()
                        + "'; known: r, w, timeout_ms");
            }
        }
        return new RequestOptions(r, w, timeout);
    }

    /** R for this request in a namespace with {@code properties}. */
    public int readQuorum(NamespaceProperties properties) {
        return quorum("r", r, properties.r(), properties.n());
    }

    /** W for this request in a namespace with {@code properties}. */
    public int writeQuorum(NamespaceProperties properties) {
        return quorum("w", w, properties.w(), properties.n());
    }

    private static int quorum(String name, OptionalInt requested, int fallback, int n) {
        int value = requested.orElse(fallback);
        if (value < 1 || value > n) {
            throw new IllegalArgumentException(name + " must be between 1 and the namespace's n (" + n + "), was " + value);
        }
        return value;
    }

    private static int whole(String name, String text) {
        try {
            return Integer.parseInt(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + text + "'");
        }
    }
}

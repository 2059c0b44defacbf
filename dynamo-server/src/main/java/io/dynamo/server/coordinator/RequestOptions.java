package io.dynamo.server.coordinator;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Per-request overrides of a namespace's R, W and DW, and the request's timeout. Resolved
 * against the namespace's properties with {@link #readQuorum}, {@link #writeQuorum} and
 * {@link #durableQuorum}, which reject a value out of range with a message naming it.
 *
 * @param r read quorum for this request, if overridden
 * @param w write quorum for this request, if overridden
 * @param dw how many of the write's acknowledgements must be durable, if overridden
 * @param timeout how long the coordinator waits for the quorum
 */
public record RequestOptions(OptionalInt r, OptionalInt w, OptionalInt dw, Duration timeout) {

    /** The default timeout of a request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The longest timeout a request may ask for. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    public static final RequestOptions DEFAULTS = new RequestOptions(OptionalInt.empty(), OptionalInt.empty(),
            OptionalInt.empty(), DEFAULT_TIMEOUT);

    public RequestOptions {
        if (r == null || w == null || dw == null) {
            throw new IllegalArgumentException("r, w and dw must be given (empty for the bucket's default)");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be between 1 ms and " + MAX_TIMEOUT.toMillis() + " ms, was "
                    + (timeout == null ? "null" : timeout.toMillis() + " ms"));
        }
    }

    /**
     * Options from query-style parameters: {@code r}, {@code w}, {@code dw} and
     * {@code timeout_ms}. Unknown names and values that are not whole numbers are rejected.
     */
    public static RequestOptions parse(Map<String, String> parameters) {
        OptionalInt r = OptionalInt.empty();
        OptionalInt w = OptionalInt.empty();
        OptionalInt dw = OptionalInt.empty();
        Duration timeout = DEFAULT_TIMEOUT;
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            switch (p.getKey()) {
                case "r" -> r = OptionalInt.of(whole("r", p.getValue()));
                case "w" -> w = OptionalInt.of(whole("w", p.getValue()));
                case "dw" -> dw = OptionalInt.of(whole("dw", p.getValue()));
                case "timeout_ms" -> timeout = Duration.ofMillis(whole("timeout_ms", p.getValue()));
                default -> throw new IllegalArgumentException("unknown request option '" + p.getKey()
                        + "'; known: r, w, dw, timeout_ms");
            }
        }
        return new RequestOptions(r, w, dw, timeout);
    }

    /** R for this request in a namespace with {@code properties}. */
    public int readQuorum(NamespaceProperties properties) {
        return quorum("r", r, properties.r(), properties.n());
    }

    /** W for this request in a namespace with {@code properties}. */
    public int writeQuorum(NamespaceProperties properties) {
        return quorum("w", w, properties.w(), properties.n());
    }

    /**
     * DW for this request's write quorum {@code w}: the override, or the namespace's DW capped at
     * {@code w}. An override above {@code w} is rejected.
     */
    public int durableQuorum(NamespaceProperties properties, int w) {
        if (dw.isPresent()) {
            int value = dw.getAsInt();
            if (value < 0 || value > w) {
                throw new IllegalArgumentException("dw must be between 0 and the request's w (" + w + "), was " + value);
            }
            return value;
        }
        return Math.min(properties.dw(), w);
    }

    private static int quorum(String name, OptionalInt requested, int fallback, int n) {
        int value = requested.orElse(fallback);
        if (value < 1 || value > n) {
            throw new IllegalArgumentException(name + " must be between 1 and the bucket's n (" + n + "), was " + value);
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

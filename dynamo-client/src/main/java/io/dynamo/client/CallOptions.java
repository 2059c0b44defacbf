package io.dynamo.client;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Per-call options: quorums overriding the namespace's, the timeout, whether a write returns the
 * written siblings, and an optional {@link AttemptObserver} that sees which node each attempt goes
 * to. Immutable; each setter returns a copy:
 * {@code CallOptions.defaults().w(3).timeout(Duration.ofSeconds(2))}.
 */
public final class CallOptions {

    private static final CallOptions DEFAULTS = new CallOptions(OptionalInt.empty(), OptionalInt.empty(),
            OptionalInt.empty(), null, false, null);

    private final OptionalInt r;
    private final OptionalInt w;
    private final OptionalInt dw;
    private final Duration timeout;
    private final boolean returnBody;
    private final AttemptObserver observer;

    private CallOptions(OptionalInt r, OptionalInt w, OptionalInt dw, Duration timeout, boolean returnBody,
            AttemptObserver observer) {
        this.r = r;
        this.w = w;
        this.dw = dw;
        this.timeout = timeout;
        this.returnBody = returnBody;
        this.observer = observer;
    }

    /** The namespace's quorums and the client's request timeout. */
    public static CallOptions defaults() {
        return DEFAULTS;
    }

    /** The read quorum R for a get (1 to the namespace's N; checked by the node). */
    public CallOptions r(int value) {
        return new CallOptions(OptionalInt.of(value), w, dw, timeout, returnBody, observer);
    }

    /** The write quorum W for a put or delete (1 to the namespace's N; checked by the node). */
    public CallOptions w(int value) {
        return new CallOptions(r, OptionalInt.of(value), dw, timeout, returnBody, observer);
    }

    /** How many of a write's W acknowledgements must be durable (0 to W; checked by the node). */
    public CallOptions dw(int value) {
        return new CallOptions(r, w, OptionalInt.of(value), timeout, returnBody, observer);
    }

    /**
     * How long the node may take to reach the quorum (1 ms to 5 minutes); the client waits a
     * little longer for the answer. Default: the client's request timeout.
     */
    public CallOptions timeout(Duration value) {
        Objects.requireNonNull(value, "timeout");
        if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("timeout must be between 1 ms and 5 minutes, was " + value);
        }
        return new CallOptions(r, w, dw, value, returnBody, observer);
    }

    /** Whether a put returns the siblings of the state it wrote ({@link PutResult#siblings()}). */
    public CallOptions returnBody(boolean value) {
        return new CallOptions(r, w, dw, timeout, value, observer);
    }

    /**
     * Reports each attempt of the call to {@code value} (which node the client tried); null for
     * none, the default. For an {@code update} it sees the attempts of its get and of its write.
     */
    public CallOptions observer(AttemptObserver value) {
        return new CallOptions(r, w, dw, timeout, returnBody, value);
    }

    public OptionalInt r() {
        return r;
    }

    public OptionalInt w() {
        return w;
    }

    public OptionalInt dw() {
        return dw;
    }

    /** The timeout, or null for the client's default. */
    public Duration timeout() {
        return timeout;
    }

    public boolean returnBody() {
        return returnBody;
    }

    /** The observer of the call's attempts, or null. */
    public AttemptObserver observer() {
        return observer;
    }

    @Override
    public String toString() {
        return "CallOptions[r=" + r + ", w=" + w + ", dw=" + dw + ", timeout=" + timeout + ", returnBody="
                + returnBody + (observer == null ? "" : ", observer=" + observer) + "]";
    }
}

package io.dynamo.core.versioning;

/**
 * How two causal states relate. Deliberately not {@link Comparable}: causal order is partial, and
 * "neither happened before the other" ({@link #CONCURRENT}) is an ordinary answer, distinct from
 * {@link #EQUAL}.
 *
 * <p>Results read as "{@code a.compare(b)} says a occurred ... b".
 */
public enum Occurred {
    /** The receiver happened before the argument: the argument knows everything it knows, and more. */
    BEFORE,
    /** The receiver happened after the argument. */
    AFTER,
    /** Both hold exactly the same causal knowledge. */
    EQUAL,
    /** Each knows something the other does not. */
    CONCURRENT;

    /** The answer with the roles swapped: {@code b.compare(a) == a.compare(b).inverse()}. */
    public Occurred inverse() {
        return switch (this) {
            case BEFORE -> AFTER;
            case AFTER -> BEFORE;
            case EQUAL, CONCURRENT -> this;
        };
    }

    /** {@code true} for {@link #BEFORE} and {@link #EQUAL}: the argument descends from the receiver. */
    public boolean isBeforeOrEqual() {
        return this == BEFORE || this == EQUAL;
    }

    /** {@code true} for {@link #AFTER} and {@link #EQUAL}: the receiver descends from the argument. */
    public boolean isAfterOrEqual() {
        return this == AFTER || this == EQUAL;
    }
}

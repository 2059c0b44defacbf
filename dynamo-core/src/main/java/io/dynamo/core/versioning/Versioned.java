package io.dynamo.core.versioning;

import java.util.Objects;

/**
 * A value together with the dot of the write that created it.
 *
 * @param dot the write event that produced {@code value}
 * @param value the value; never {@code null} (a delete stores a tombstone value of the caller's choosing)
 * @param <V> the value type
 */
public record Versioned<V>(Dot dot, V value) {

    public Versioned {
        Objects.requireNonNull(dot, "dot");
        Objects.requireNonNull(value, "value");
    }
}

package io.dynamo.core.versioning;

import java.util.Comparator;
import java.util.Objects;

/**
 * One write event: the {@code counter}-th write coordinated by {@code actor}. A dot names exactly
 * one value, everywhere and forever; that is what lets replicas tell values apart without
 * comparing their bytes.
 *
 * <p>Ordered by actor, then counter.
 *
 * @param actor who coordinated the write
 * @param counter 1 for the actor's first write, then 2, 3, ...
 */
public record Dot(ActorId actor, long counter) implements Comparable<Dot> {

    private static final Comparator<Dot> ORDER =
            Comparator.comparing(Dot::actor).thenComparingLong(Dot::counter);

    public Dot {
        Objects.requireNonNull(actor, "actor");
        if (counter < 1) {
            throw new IllegalArgumentException("dot counter must be at least 1, got " + counter);
        }
    }

    @Override
    public int compareTo(Dot other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return actor + ":" + counter;
    }
}

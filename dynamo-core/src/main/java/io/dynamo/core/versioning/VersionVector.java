package io.dynamo.core.versioning;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable version vector: for each actor, the highest counter known. Under the invariant
 * described in {@link Siblings}, an entry {@code a -> n} means "every write {@code a:1 .. a:n}
 * is known", so the vector is an exact summary of a set of dots.
 *
 * <p>This is also the <em>context</em> handed to clients with a read and returned with their next
 * write (paper §4.4); {@link ContextCodec} turns it into opaque bytes.
 *
 * <p>Entries with counter 0 are never stored, so two vectors that know the same dots are
 * {@link #equals equal}. Actors are kept in {@link ActorId} order.
 */
public final class VersionVector {

    private static final VersionVector EMPTY = new VersionVector(new ActorId[0], new long[0]);

    private final ActorId[] actors;   // strictly increasing
    private final long[] counters;    // parallel to actors, every entry >= 1

    private VersionVector(ActorId[] actors, long[] counters) {
        this.actors = actors;
        this.counters = counters;
    }

    /** The vector that knows nothing. */
    public static VersionVector empty() {
        return EMPTY;
    }

    /**
     * A vector with the given counters. Entries whose counter is 0 are dropped.
     *
     * @throws IllegalArgumentException if a counter is negative
     */
    public static VersionVector of(Map<ActorId, Long> counters) {
        TreeMap<ActorId, Long> sorted = new TreeMap<>();
        for (Map.Entry<ActorId, Long> e : counters.entrySet()) {
            ActorId actor = Objects.requireNonNull(e.getKey(), "actor");
            long counter = Objects.requireNonNull(e.getValue(), "counter");
            if (counter < 0) {
                throw new IllegalArgumentException("negative counter " + counter + " for " + actor);
            }
            if (counter > 0) {
                sorted.put(actor, counter);
            }
        }
        ActorId[] a = new ActorId[sorted.size()];
        long[] c = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<ActorId, Long> e : sorted.entrySet()) {
            a[i] = e.getKey();
            c[i] = e.getValue();
            i++;
        }
        return new VersionVector(a, c);
    }

    /** The smallest vector that covers {@code dot} and everything before it from the same actor. */
    public static VersionVector of(Dot dot) {
        return new VersionVector(new ActorId[] {dot.actor()}, new long[] {dot.counter()});
    }

    /** Builds from already sorted, validated arrays; used by the codec. */
    static VersionVector ofSorted(ActorId[] actors, long[] counters) {
        return actors.length == 0 ? EMPTY : new VersionVector(actors, counters);
    }

    /** The highest counter known for {@code actor}, 0 if none. */
    public long counter(ActorId actor) {
        int i = Arrays.binarySearch(actors, actor);
        return i >= 0 ? counters[i] : 0;
    }

    /** Whether this vector knows the write {@code dot}. */
    public boolean covers(Dot dot) {
        return counter(dot.actor()) >= dot.counter();
    }

    /** The pointwise maximum: everything either vector knows. */
    public VersionVector merge(VersionVector other) {
        if (other.actors.length == 0 || other == this) {
            return this;
        }
        if (actors.length == 0) {
            return other;
        }
        ActorId[] a = new ActorId[actors.length + other.actors.length];
        long[] c = new long[a.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < actors.length || j < other.actors.length) {
            int cmp = i == actors.length ? 1
                    : j == other.actors.length ? -1
                    : actors[i].compareTo(other.actors[j]);
            if (cmp < 0) {
                a[k] = actors[i];
                c[k++] = counters[i++];
            } else if (cmp > 0) {
                a[k] = other.actors[j];
                c[k++] = other.counters[j++];
            } else {
                a[k] = actors[i];
                c[k++] = Math.max(counters[i++], other.counters[j++]);
            }
        }
        return new VersionVector(Arrays.copyOf(a, k), Arrays.copyOf(c, k));
    }

    /** This vector, also covering {@code dot} (and so every earlier dot of its actor). */
    public VersionVector merge(Dot dot) {
        if (covers(dot)) {
            return this;
        }
        return merge(of(dot));
    }

    /**
     * How this vector relates to {@code other}: {@link Occurred#BEFORE} if {@code other} knows
     * everything this one does and more, and so on.
     */
    public Occurred compare(VersionVector other) {
        boolean thisBigger = false;
        boolean otherBigger = false;
        int i = 0;
        int j = 0;
        while (i < actors.length || j < other.actors.length) {
            int cmp = i == actors.length ? 1
                    : j == other.actors.length ? -1
                    : actors[i].compareTo(other.actors[j]);
            if (cmp < 0) {
                thisBigger = true;
                i++;
            } else if (cmp > 0) {
                otherBigger = true;
                j++;
            } else {
                if (counters[i] > other.counters[j]) {
                    thisBigger = true;
                } else if (counters[i] < other.counters[j]) {
                    otherBigger = true;
                }
                i++;
                j++;
            }
            if (thisBigger && otherBigger) {
                return Occurred.CONCURRENT;
            }
        }
        if (thisBigger) {
            return Occurred.AFTER;
        }
        return otherBigger ? Occurred.BEFORE : Occurred.EQUAL;
    }

    /** Whether this vector knows every dot {@code other} knows. */
    public boolean descendsFrom(VersionVector other) {
        return compare(other).isAfterOrEqual();
    }

    /** The entries, in actor order. */
    public SortedMap<ActorId, Long> toMap() {
        TreeMap<ActorId, Long> map = new TreeMap<>();
        for (int i = 0; i < actors.length; i++) {
            map.put(actors[i], counters[i]);
        }
        return Collections.unmodifiableSortedMap(map);
    }

    /** Number of actors with a non-zero counter. */
    public int size() {
        return actors.length;
    }

    public boolean isEmpty() {
        return actors.length == 0;
    }

    /** The {@code i}-th actor in actor order. */
    ActorId actorAt(int i) {
        return actors[i];
    }

    /** The counter of the {@code i}-th actor in actor order. */
    long counterAt(int i) {
        return counters[i];
    }

    /** Position of {@code actor} in actor order, or a negative number if absent. */
    int indexOf(ActorId actor) {
        return Arrays.binarySearch(actors, actor);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector v
                && Arrays.equals(actors, v.actors)
                && Arrays.equals(counters, v.counters);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(actors) + Arrays.hashCode(counters);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < actors.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(actors[i]).append('=').append(counters[i]);
        }
        return sb.append('}').toString();
    }
}

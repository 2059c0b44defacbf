package io.dynamo.core.versioning;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The stored state of one key: a causal context plus the values no known write has superseded
 * (the siblings), each tagged with the dot of the write that created it. This is a dotted
 * version vector set (Almeida et al., "Scalable and Accurate Causality Tracking for Eventually
 * Consistent Stores", DAIS 2014), the structure Riak 2.0 adopted to end sibling explosion.
 * Immutable; every operation returns a new set.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #update} is a client write, applied by the coordinator to its own local state
 *       first: it drops exactly the values whose dots the client's context covers, and adds the
 *       new value under a fresh dot. Values the client did not see stay, as siblings.</li>
 *   <li>{@link #sync} merges two replicas' states. It is commutative, associative and idempotent,
 *       so replicas that exchange states in any order converge.</li>
 *   <li>{@link #compare} orders states by causal knowledge; {@code a.compare(b)} is
 *       {@link Occurred#BEFORE} or {@link Occurred#EQUAL} exactly when {@code a.sync(b).equals(b)}
 *       (ignoring value equality, which is never consulted: dots identify values).</li>
 * </ul>
 *
 * <h2>Why a plain version vector is an exact context</h2>
 * The paper's vector clocks (§4.4) cannot tell two writes through the same coordinator apart
 * when their clients held the same old context, so the store either drops one or keeps both with
 * a clock that claims to descend from the other; Riak kept both and every later write added a
 * sibling ("sibling explosion"). Here every write gets its own dot, and the context needs only
 * one counter per actor because of this invariant:
 *
 * <blockquote>For every actor {@code a}, the dots of {@code a} known to any state are exactly
 * {@code a:1 .. a:n}, where {@code n = context().counter(a)}.</blockquote>
 *
 * It holds because (1) only actor {@code a} issues dots for {@code a}, and it issues the next one
 * from the highest counter it knows, after merging the client's context, and stores the result
 * locally before anyone else can learn of it; so {@code a}'s own state always knows the prefix
 * {@code 1..n} and nothing beyond it exists; (2) every other state learns of {@code a}'s dots
 * only by merging contexts that came, directly or through clients, from {@code a}'s state, and
 * the union of prefixes is a prefix. So "{@code a -> n}" can safely mean "knows every write
 * {@code a:1..a:n}", and {@code covers(dot)} is exact.
 *
 * <p>What breaks it is an actor issuing a counter a second time: a node whose data directory was
 * wiped restarts at counter 1, and its new writes carry dots that old contexts on other replicas
 * already cover, so {@link #sync} discards them as seen (Riak issue KV679). The rule that
 * prevents it: a node with an empty data directory takes a new incarnation, and so a new
 * {@link ActorId}. As a second line of defence {@link #update} issues the next counter above
 * both the local and the client's knowledge of the coordinator.
 *
 * <p>Values are kept in dot order, so equal states are {@link #equals equal} however they were
 * reached. Deletes are ordinary updates whose value is a tombstone, so that the deletion itself
 * has a dot, replicates, and compares like any write.
 *
 * @param <V> the value type; value equality is never used for causality
 */
public final class Siblings<V> {

    private static final Comparator<Versioned<?>> BY_DOT = Comparator.comparing(Versioned::dot);
    private static final Siblings<?> EMPTY = new Siblings<>(VersionVector.empty(), List.of());

    private final VersionVector context;
    private final List<Versioned<V>> values; // sorted by dot, distinct dots, all covered by context

    private Siblings(VersionVector context, List<Versioned<V>> values) {
        this.context = context;
        this.values = values;
    }

    /** The state of a key nobody has written. */
    @SuppressWarnings("unchecked")
    public static <V> Siblings<V> empty() {
        return (Siblings<V>) EMPTY;
    }

    /**
     * A state with the given context and values; for codecs and tests.
     *
     * @throws IllegalArgumentException if two values share a dot or a value's dot is not covered
     *     by {@code context}
     */
    static <V> Siblings<V> of(VersionVector context, Collection<Versioned<V>> values) {
        Objects.requireNonNull(context, "context");
        List<Versioned<V>> sorted = new ArrayList<>(values);
        sorted.sort(BY_DOT);
        for (int i = 0; i < sorted.size(); i++) {
            Dot dot = sorted.get(i).dot();
            if (!context.covers(dot)) {
                throw new IllegalArgumentException("value dot " + dot + " not covered by " + context);
            }
            if (i > 0 && sorted.get(i - 1).dot().equals(dot)) {
                throw new IllegalArgumentException("two values share the dot " + dot);
            }
        }
        return new Siblings<>(context, List.copyOf(sorted));
    }

    /**
     * A client write of {@code value} through {@code coordinator}, holding {@code clientContext}
     * (the context of the client's last read, or {@link VersionVector#empty()} for a blind write).
     *
     * <p>Drops exactly the values whose dots {@code clientContext} covers; issues the dot
     * {@code coordinator : max(this, clientContext counter of coordinator) + 1}; the new context is
     * {@code context ⊔ clientContext ⊔ newDot}. Must be applied to the coordinator's own local
     * state, and stored, before the result is sent to other replicas (see the class invariant).
     */
    public Siblings<V> update(VersionVector clientContext, V value, ActorId coordinator) {
        return update(clientContext, value, coordinator, 1);
    }

    /**
     * {@link #update(VersionVector, Object, ActorId)} with a counter of at least {@code minCounter}:
     * a replica that may have forgotten dots it issued for this key (its state was purged after
     * a delete, or dropped) passes one more than the highest counter it ever issued for any key,
     * as the storage engines do,
     * so that the new dot can never be one it issued before. Counters with gaps are fine: a
     * context covers a dot when its counter for the actor is at least the dot's.
     */
    public Siblings<V> update(VersionVector clientContext, V value, ActorId coordinator, long minCounter) {
        Objects.requireNonNull(clientContext, "clientContext");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(coordinator, "coordinator");
        if (minCounter < 1) {
            throw new IllegalArgumentException("minCounter must be at least 1, was " + minCounter);
        }
        long known = Math.max(context.counter(coordinator), clientContext.counter(coordinator));
        if (known == Long.MAX_VALUE) {
            throw new IllegalStateException("counter of " + coordinator + " exhausted");
        }
        Dot dot = new Dot(coordinator, Math.max(known + 1, minCounter));
        List<Versioned<V>> next = new ArrayList<>(values.size() + 1);
        for (Versioned<V> v : values) {
            if (!clientContext.covers(v.dot())) {
                next.add(v);
            }
        }
        next.add(new Versioned<>(dot, value));
        next.sort(BY_DOT);
        return new Siblings<>(context.merge(clientContext).merge(dot), List.copyOf(next));
    }

    /**
     * Drops the values whose dots {@code obsolete} covers and learns {@code obsolete}, so those
     * values do not come back when a replica that still holds them syncs with this one. Adds no
     * dot: prefer a tombstone {@link #update} for client deletes, which replicates as a write.
     */
    public Siblings<V> discard(VersionVector obsolete) {
        Objects.requireNonNull(obsolete, "obsolete");
        List<Versioned<V>> next = new ArrayList<>(values.size());
        for (Versioned<V> v : values) {
            if (!obsolete.covers(v.dot())) {
                next.add(v);
            }
        }
        VersionVector merged = context.merge(obsolete);
        if (next.size() == values.size() && merged.equals(context)) {
            return this;
        }
        return new Siblings<>(merged, List.copyOf(next));
    }

    /**
     * The state that knows what both know: contexts merged; a value survives if both hold it, or
     * if the side that lacks it has never seen its dot. Commutative, associative, idempotent.
     */
    public Siblings<V> sync(Siblings<V> other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            return this;
        }
        List<Versioned<V>> a = values;
        List<Versioned<V>> b = other.values;
        List<Versioned<V>> next = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            int cmp = i == a.size() ? 1
                    : j == b.size() ? -1
                    : a.get(i).dot().compareTo(b.get(j).dot());
            if (cmp == 0) {
                next.add(a.get(i));
                i++;
                j++;
            } else if (cmp < 0) {
                Versioned<V> v = a.get(i++);
                if (!other.context.covers(v.dot())) {
                    next.add(v);
                }
            } else {
                Versioned<V> v = b.get(j++);
                if (!context.covers(v.dot())) {
                    next.add(v);
                }
            }
        }
        return new Siblings<>(context.merge(other.context), List.copyOf(next));
    }

    /**
     * How this state relates to {@code other} in causal knowledge. This state is before-or-equal
     * {@code other} when {@code other}'s context covers this one's, and every value of
     * {@code other} whose dot this state knows is still held here (otherwise this state knows the
     * value was superseded, which {@code other} does not). For states built only by
     * {@link #update} and {@link #sync} that is the comparison of the contexts.
     */
    public Occurred compare(Siblings<V> other) {
        Occurred contexts = context.compare(other.context);
        boolean thisBeforeOrEqual = contexts.isBeforeOrEqual() && knownValuesHeld(other.values, this);
        boolean otherBeforeOrEqual = contexts.isAfterOrEqual() && knownValuesHeld(values, other);
        if (thisBeforeOrEqual && otherBeforeOrEqual) {
            return Occurred.EQUAL;
        }
        if (thisBeforeOrEqual) {
            return Occurred.BEFORE;
        }
        return otherBeforeOrEqual ? Occurred.AFTER : Occurred.CONCURRENT;
    }

    /** Whether every value in {@code values} whose dot {@code state} knows is held by {@code state}. */
    private static <V> boolean knownValuesHeld(List<Versioned<V>> values, Siblings<V> state) {
        int j = 0;
        for (Versioned<V> v : values) {
            if (!state.context.covers(v.dot())) {
                continue;
            }
            while (j < state.values.size() && state.values.get(j).dot().compareTo(v.dot()) < 0) {
                j++;
            }
            if (j == state.values.size() || !state.values.get(j).dot().equals(v.dot())) {
                return false;
            }
        }
        return true;
    }

    /** The causal context: every write this state knows of, superseded or not. */
    public VersionVector context() {
        return context;
    }

    /** The current values, in dot order; several when writes were concurrent. */
    public List<Versioned<V>> values() {
        return values;
    }

    /** Whether no value is held. The context may still be non-empty (everything was discarded). */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Number of values held. */
    public int size() {
        return values.size();
    }

    /**
     * A 64-bit digest of the causal state (context and the dots of the held values), independent
     * of how the state was reached and of the value bytes. Equal on every node for
     * {@link #compare EQUAL} states; anti-entropy XORs it into Merkle tree leaves.
     */
    public long versionDigest() {
        return VersionDigest.of(this, null);
    }

    /**
     * Like {@link #versionDigest()}, also mixing in {@code valueHash} of each value, for callers
     * that want value corruption to show up as a difference too. {@code valueHash} must be a
     * deterministic function of the value's bytes, identical on every node.
     */
    public long versionDigest(ToLongFunction<? super V> valueHash) {
        return VersionDigest.of(this, Objects.requireNonNull(valueHash, "valueHash"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Siblings<?> s && context.equals(s.context) && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return 31 * context.hashCode() + values.hashCode();
    }

    @Override
    public String toString() {
        return "Siblings" + values + " @ " + context;
    }
}

package io.dynamo.core.quorum;

import io.dynamo.core.versioning.Occurred;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.Versioned;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Counts the replies to one read and decides its answer; pure, no I/O and no time (the split of
 * Riak's {@code riak_kv_get_fsm} from its accumulator {@code riak_kv_get_core}). The get state
 * machine feeds replies in with {@link #add}, answers the client once {@link #isDone()}, keeps
 * feeding late replies, and finally writes the merged state back to {@link #repairTargets()}
 * (read repair, paper §5).
 *
 * <p>Counting: a {@code Found} reply (tombstones included) counts toward R; a {@code NotFound}
 * counts only if {@link Options#notFoundOk()}; a {@code Failed} never does. The read is done when
 * R is reached, or when the replicas yet to answer could no longer reach it. Only the first reply
 * from each replica counts, and at most {@code n} distinct replicas.
 *
 * <p>Not thread-safe: one tally belongs to one request, on one thread.
 *
 * @param <R> the replica id type (needs {@code equals}/{@code hashCode})
 * @param <V> the value type
 */
public final class ReadTally<R, V> {

    /**
     * Read options.
     *
     * @param notFoundOk whether a replica answering "not found" counts toward R (Riak's
     *     {@code notfound_ok}, default {@code true}: fast negative answers, at the risk of
     *     answering "not found" while a later replica holds the key)
     */
    public record Options(boolean notFoundOk) {
        public static final Options DEFAULTS = new Options(true);
    }

    private final int n;
    private final int r;
    private final Predicate<? super V> isTombstone;
    private final Options options;
    private final Map<R, ReadReply<V>> replies = new LinkedHashMap<>();
    private Siblings<V> merged = Siblings.empty();
    private int found;
    private int notFound;

    private ReadTally(int n, int r, Predicate<? super V> isTombstone, Options options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        if (r < 1 || r > n) {
            throw new IllegalArgumentException("r must be in 1.." + n + " (n), got " + r);
        }
        this.n = n;
        this.r = r;
        this.isTombstone = Objects.requireNonNull(isTombstone, "isTombstone");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A tally with default {@link Options}. */
    public static <R, V> ReadTally<R, V> create(int n, int r, Predicate<? super V> isTombstone) {
        return new ReadTally<>(n, r, isTombstone, Options.DEFAULTS);
    }

    public static <R, V> ReadTally<R, V> create(int n, int r, Predicate<? super V> isTombstone, Options options) {
        return new ReadTally<>(n, r, isTombstone, options);
    }

    /**
     * Records {@code reply} from {@code replica}.
     *
     * @return {@code false} if ignored: a second reply from the same replica, or a reply from an
     *     {@code n+1}-th distinct replica
     */
    public boolean add(R replica, ReadReply<V> reply) {
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(reply, "reply");
        if (replies.containsKey(replica) || replies.size() == n) {
            return false;
        }
        replies.put(replica, reply);
        switch (reply) {
            case ReadReply.Found<V> f -> {
                found++;
                merged = merged.sync(f.siblings());
            }
            case ReadReply.NotFound<V> ignored -> notFound++;
            case ReadReply.Failed<V> ignored -> { }
        }
        return true;
    }

    /** Whether the read can be answered: R reached, or no longer reachable. */
    public boolean isDone() {
        int ok = successes();
        return ok >= r || ok + (n - replies.size()) < r;
    }

    /** Whether every one of the n replicas has replied. */
    public boolean allReplied() {
        return replies.size() == n;
    }

    /**
     * The answer from the replies received so far.
     *
     * <p>R reached: {@code Found} if the merged state holds a live value, else {@code NotFound}
     * with the tombstones' context. R unreachable: {@code NotFound} if no replica failed and no
     * live value was seen (only not-found answers and tombstones, with {@code notFoundOk} off),
     * otherwise {@code Insufficient}.
     *
     * @throws IllegalStateException if not {@link #isDone()}
     */
    public ReadOutcome<R, V> outcome() {
        if (!isDone()) {
            throw new IllegalStateException("read not done: " + this);
        }
        boolean live = hasLiveValue();
        int ok = successes();
        if (ok >= r) {
            return live ? new ReadOutcome.Found<>(merged) : new ReadOutcome.NotFound<>(merged.context());
        }
        Map<R, String> failures = failures();
        if (failures.isEmpty() && !live) {
            return new ReadOutcome.NotFound<>(merged.context());
        }
        return new ReadOutcome.Insufficient<>(r, ok, failures);
    }

    /** The sync of every state received so far; empty if none. */
    public Siblings<V> merged() {
        return merged;
    }

    /**
     * Replicas whose state is stale relative to {@link #merged()}: those that answered
     * "not found" while some replica holds state for the key (tombstones included, so deletes
     * spread too), and those whose state is not {@link Occurred#EQUAL}
     * to the merged one. Failed replicas are not listed: their state is unknown. In reply order.
     */
    public Set<R> repairTargets() {
        Set<R> targets = new LinkedHashSet<>();
        boolean dataExists = !merged.context().isEmpty();
        for (Map.Entry<R, ReadReply<V>> e : replies.entrySet()) {
            boolean stale = switch (e.getValue()) {
                case ReadReply.Found<V> f -> f.siblings().compare(merged) != Occurred.EQUAL;
                case ReadReply.NotFound<V> ignored -> dataExists;
                case ReadReply.Failed<V> ignored -> false;
            };
            if (stale) {
                targets.add(e.getKey());
            }
        }
        return targets;
    }

    private int successes() {
        return found + (options.notFoundOk() ? notFound : 0);
    }

    private boolean hasLiveValue() {
        for (Versioned<V> v : merged.values()) {
            if (!isTombstone.test(v.value())) {
                return true;
            }
        }
        return false;
    }

    private Map<R, String> failures() {
        Map<R, String> failures = new LinkedHashMap<>();
        replies.forEach((replica, reply) -> {
            if (reply instanceof ReadReply.Failed<V> f) {
                failures.put(replica, f.reason());
            }
        });
        return failures;
    }

    @Override
    public String toString() {
        return "ReadTally{n=" + n + ", r=" + r + ", found=" + found + ", notFound=" + notFound
                + ", replies=" + replies.size() + ", notFoundOk=" + options.notFoundOk() + "}";
    }
}

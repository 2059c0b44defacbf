package io.dynamo.core.quorum;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Counts the replies to one write and decides its answer; pure, no I/O and no time (Riak's
 * {@code riak_kv_put_core} split from the put state machine). The coordinator's own local write
 * is added as a reply like any replica's.
 *
 * <p>Counting: every {@code Ack} counts toward W, fallbacks included (sloppy quorum, paper §4.6);
 * a durable {@code Ack} also counts toward DW. The write is done when both W and DW are reached,
 * or when the replicas yet to answer could no longer reach one of them. Only the first reply from
 * each replica counts, and at most {@code n} distinct replicas.
 *
 * <p>Not thread-safe: one tally belongs to one request, on one thread.
 *
 * @param <R> the replica id type (needs {@code equals}/{@code hashCode})
 */
public final class WriteTally<R> {

    private final int n;
    private final int w;
    private final int dw;
    private final Map<R, WriteReply<R>> replies = new LinkedHashMap<>();
    private int acks;
    private int durable;

    private WriteTally(int n, int w, int dw) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        if (w < 1 || w > n) {
            throw new IllegalArgumentException("w must be in 1.." + n + " (n), got " + w);
        }
        if (dw < 0 || dw > w) {
            throw new IllegalArgumentException("dw must be in 0.." + w + " (w), got " + dw);
        }
        this.n = n;
        this.w = w;
        this.dw = dw;
    }

    public static <R> WriteTally<R> create(int n, int w, int dw) {
        return new WriteTally<>(n, w, dw);
    }

    /**
     * Records {@code reply} from {@code replica}.
     *
     * @return {@code false} if ignored: a second reply from the same replica, or a reply from an
     *     {@code n+1}-th distinct replica
     */
    public boolean add(R replica, WriteReply<R> reply) {
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(reply, "reply");
        if (replies.containsKey(replica) || replies.size() == n) {
            return false;
        }
        replies.put(replica, reply);
        if (reply instanceof WriteReply.Ack<R> ack) {
            acks++;
            if (ack.durable()) {
                durable++;
            }
        }
        return true;
    }

    /** Whether the write can be answered: W and DW reached, or one of them no longer reachable. */
    public boolean isDone() {
        int remaining = n - replies.size();
        return succeeded() || acks + remaining < w || durable + remaining < dw;
    }

    /** Whether every one of the n replicas has replied. */
    public boolean allReplied() {
        return replies.size() == n;
    }

    /**
     * The answer from the replies received so far.
     *
     * @throws IllegalStateException if not {@link #isDone()}
     */
    public WriteOutcome<R> outcome() {
        if (!isDone()) {
            throw new IllegalStateException("write not done: " + this);
        }
        if (succeeded()) {
            Set<R> acknowledged = new LinkedHashSet<>();
            Map<R, R> fallbacks = new LinkedHashMap<>();
            replies.forEach((replica, reply) -> {
                if (reply instanceof WriteReply.Ack<R> ack) {
                    acknowledged.add(replica);
                    if (ack.fallbackFor() != null) {
                        fallbacks.put(replica, ack.fallbackFor());
                    }
                }
            });
            return new WriteOutcome.Success<>(new WriteOutcome.Receipt<>(acknowledged, fallbacks, durable));
        }
        Map<R, String> failures = new LinkedHashMap<>();
        replies.forEach((replica, reply) -> {
            if (reply instanceof WriteReply.Failed<R> f) {
                failures.put(replica, f.reason());
            }
        });
        return new WriteOutcome.Insufficient<>(w, acks, dw, durable, failures);
    }

    private boolean succeeded() {
        return acks >= w && durable >= dw;
    }

    @Override
    public String toString() {
        return "WriteTally{n=" + n + ", w=" + w + ", dw=" + dw + ", acks=" + acks
                + ", durable=" + durable + ", replies=" + replies.size() + "}";
    }
}

package io.dynamo.server.transport;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.Scheduler;
import io.dynamo.server.membership.FailureDetector;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Matches replies to the requests this node sent. Each request gets an id unique to this node
 * (a random nonce per start in the high bits, a counter below), a callback, and a timer;
 * the callback hears exactly once: the first reply from the node it was sent to, or the timeout.
 * Replies that match nothing (late, duplicated, from the wrong node, or meant for an earlier
 * incarnation) are ignored. Replies and timeouts also feed the {@link FailureDetector}.
 *
 * <p>Not thread-safe: owned by the node's thread.
 */
public final class Requests {

    /** What a request's sender hears: one call, whichever happens first. */
    public interface Callback {
        void onReply(Message reply);

        void onTimeout();

        /**
         * The transport refused the request at once ({@code why}: overloaded or unreachable); no
         * reply will come. Called on the node's thread after {@link #send} has returned. By
         * default the same as a timeout.
         */
        default void onRefused(Transport.Sent why, String reason) {
            onTimeout();
        }
    }

    private static final int COUNTER_BITS = 40;

    /** The largest id nonce: ids are the nonce in the high 23 bits, then a 40-bit counter. */
    public static final long MAX_NONCE = (1L << (63 - COUNTER_BITS)) - 1;

    private final Transport transport;
    private final Scheduler scheduler;
    private final FailureDetector detector;
    private final long idBase;
    private final Map<Long, Pending> pending = new HashMap<>();
    private long counter;

    /**
     * @param nonce 1..{@link #MAX_NONCE}, drawn at random for each start of the node, so that ids
     *     of one run do not match replies meant for an earlier one
     */
    public Requests(Transport transport, Scheduler scheduler, FailureDetector detector, long nonce) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.detector = Objects.requireNonNull(detector, "detector");
        if (nonce < 1 || nonce > MAX_NONCE) {
            throw new IllegalArgumentException("request id nonce out of range: " + nonce);
        }
        this.idBase = nonce << COUNTER_BITS;
    }

    /** A fresh id, for messages that expect no reply (read repair) or are tracked elsewhere. */
    public long nextId() {
        counter++;
        if (counter >= 1L << COUNTER_BITS) {
            counter = 1;
        }
        return idBase | counter;
    }

    /**
     * Sends the request {@code build} makes from a fresh id to {@code to}, and calls back on its
     * reply or after {@code timeout}. Returns the id.
     */
    public long send(NodeId to, LongFunction<Message> build, Duration timeout, Callback callback) {
        return send(to, build, timeout, callback, true);
    }

    /**
     * As {@link #send(NodeId, LongFunction, Duration, Callback)}, but a timeout or refusal does not
     * mark {@code to} unreachable: for requests that only observe (an operator's status poll), which
     * must not steer the data path. A reply still counts as proof that {@code to} answers.
     */
    public long sendObserving(NodeId to, LongFunction<Message> build, Duration timeout, Callback callback) {
        return send(to, build, timeout, callback, false);
    }

    private long send(NodeId to, LongFunction<Message> build, Duration timeout, Callback callback,
            boolean timeoutsMarkUnreachable) {
        long id = nextId();
        Message request = build.apply(id);
        Pending p = register(id, to, timeout, callback, timeoutsMarkUnreachable);
        Transport.Sent sent = transport.send(to, request);
        if (sent != Transport.Sent.QUEUED) {
            pending.remove(id);
            p.timer.cancel();
            if (sent == Transport.Sent.UNREACHABLE && timeoutsMarkUnreachable) {
                detector.onTimeout(to, sent.reason(to)); // as good as a timeout: route around it
            }
            scheduler.execute(() -> p.callback.onRefused(sent, sent.reason(to)));
        }
        return id;
    }

    /**
     * Waits, under the id of a request already answered once, for a further reply from
     * {@code from}: for protocols that answer in two steps (a forwarded put is first accepted,
     * then answered). The callback hears the reply, the timeout or a lost connection, as for
     * {@link #send}.
     */
    public void await(NodeId from, long id, Duration timeout, Callback callback) {
        if (pending.containsKey(id)) {
            throw new IllegalStateException("request " + id + " is still waiting for its first reply");
        }
        register(id, from, timeout, callback, true);
    }

    private Pending register(long id, NodeId to, Duration timeout, Callback callback, boolean timeoutsMarkUnreachable) {
        Pending p = new Pending(to, callback, timeoutsMarkUnreachable);
        pending.put(id, p);
        p.timer = scheduler.schedule(timeout, () -> {
            if (pending.remove(id) != null) {
                if (timeoutsMarkUnreachable) {
                    detector.onTimeout(to, "no answer within " + timeout.toMillis() + " ms");
                }
                p.callback.onTimeout();
            }
        });
        return p;
    }

    /**
     * The connection to {@code peer} is gone (the transport saw it close, or could not open it):
     * every request still waiting for {@code peer} fails at once, instead of at its timeout, and
     * {@code peer} is routed around until it answers again. The callbacks hear
     * {@link Transport.Sent#LOST} when the request may have arrived and taken effect (the
     * connection was open), {@link Transport.Sent#UNREACHABLE} when it certainly did not.
     */
    public void connectionLost(NodeId peer, String reason, boolean maybeDelivered) {
        java.util.List<Long> lost = new java.util.ArrayList<>();
        boolean marks = false;
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (e.getValue().to.equals(peer)) {
                lost.add(e.getKey());
            }
        }
        java.util.Collections.sort(lost); // send order, so that callbacks run in a repeatable order
        java.util.List<Pending> failed = new java.util.ArrayList<>(lost.size());
        for (long id : lost) {
            Pending p = pending.remove(id);
            p.timer.cancel();
            marks |= p.timeoutsMarkUnreachable;
            failed.add(p);
        }
        if (marks || failed.isEmpty()) {
            detector.onTimeout(peer, reason);
        }
        Transport.Sent why = maybeDelivered ? Transport.Sent.LOST : Transport.Sent.UNREACHABLE;
        for (Pending p : failed) {
            p.callback.onRefused(why, reason);
        }
    }

    /** Hands {@code reply} to its request's callback; false if it matched none. */
    public boolean onReply(NodeId from, Message reply) {
        Pending p = pending.get(reply.requestId());
        if (p == null || !p.to.equals(from)) {
            return false;
        }
        pending.remove(reply.requestId());
        p.timer.cancel();
        detector.onReply(from);
        p.callback.onReply(reply);
        return true;
    }

    /** Requests waiting for a reply. */
    public int pending() {
        return pending.size();
    }

    private static final class Pending {
        final NodeId to;
        final Callback callback;
        final boolean timeoutsMarkUnreachable;
        Scheduler.Cancellable timer;

        Pending(NodeId to, Callback callback, boolean timeoutsMarkUnreachable) {
            this.to = to;
            this.callback = callback;
            this.timeoutsMarkUnreachable = timeoutsMarkUnreachable;
        }
    }
}

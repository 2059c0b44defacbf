package io.dynamo.server.transport;

import io.dynamo.core.ring.NodeId;
import java.util.function.LongConsumer;

/**
 * Sends messages to other nodes and hands inbound ones to the node. Delivery is best effort:
 * messages may be delayed, dropped, duplicated or reordered, and the node's state machines are
 * written for that (request ids, timeouts, idempotent replica writes). {@link #send} never
 * blocks; inbound messages are delivered on the node's own thread, one at a time.
 *
 * <p>Two implementations side by side: the simulated network (one thread, virtual time, faults
 * on demand) and the Netty transport; one contract suite runs against both.
 */
public interface Transport {

    /** The node this transport belongs to. */
    NodeId self();

    /**
     * Sends {@code message} to {@code to}; returns at once. {@link Sent#QUEUED} means handed on,
     * delivery still not guaranteed; the others mean this node refused it at once, so the sender
     * need not wait for a timeout to know it will get no answer.
     */
    Sent send(NodeId to, Message message);

    /** What became of a message given to {@link #send}. */
    enum Sent {
        /** Handed on for delivery (which may still fail). */
        QUEUED,
        /** Refused: the bounded queue to the peer is full (this node sends faster than the link takes). */
        OVERLOADED,
        /** Refused: the peer cannot be reached now (no address, or reconnecting after a failure). */
        UNREACHABLE,
        /**
         * Not a refusal at send time but what became of a request later: it was handed on, and the
         * connection closed before its answer came, so it may or may not have arrived (as told by
         * {@link Transport#onConnectionLost}).
         */
        LOST;

        /** Why a refused message was not sent, for a request's failure reasons. */
        public String reason(NodeId to) {
            return switch (this) {
                case QUEUED -> "queued for " + to;
                case OVERLOADED -> "overloaded: the outbound queue to " + to + " is full";
                case UNREACHABLE -> "not sent: " + to + " cannot be reached now";
                case LOST -> "the connection to " + to + " closed before it answered";
            };
        }
    }

    /** Where inbound messages go; set once, before the first message can arrive. */
    void setHandler(Handler handler);

    /**
     * Tells {@code sink}, on the node's thread, how many nanoseconds each inbound message waited
     * between arriving and reaching the handler: the node's queue, which admission control
     * watches. A transport that cannot tell reports nothing (the default).
     */
    default void reportQueueWaits(LongConsumer sink) {
    }

    /**
     * Tells {@code listener}, on the node's thread, that the connection to a peer closed or could
     * not be opened (a crashed process's sockets close at once): requests sent to that peer and
     * not yet answered may never be, so they can fail now instead of at their timeout. A transport
     * that cannot tell (or a network that loses a host without a word) reports nothing, and
     * timeouts do the work (the default).
     */
    default void onConnectionLost(ConnectionListener listener) {
    }

    /** Hears of lost connections; see {@link #onConnectionLost}. */
    @FunctionalInterface
    interface ConnectionListener {
        /**
         * @param maybeDelivered whether messages sent to {@code peer} may have arrived (the
         *     connection was open and closed), or certainly did not (it could not be opened)
         */
        void connectionLost(NodeId peer, String reason, boolean maybeDelivered);
    }

    /** Receives inbound messages on the node's thread. */
    @FunctionalInterface
    interface Handler {
        void onMessage(NodeId from, Message message);
    }
}

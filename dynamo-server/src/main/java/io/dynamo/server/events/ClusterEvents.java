package io.dynamo.server.events;

/**
 * What an operator wants to read in a node's log about the cluster, one line per event with its
 * reason: a peer seen unreachable or back, members joining, leaving and replaced, ring changes,
 * transfers started and finished, hints delivered or refused. Node logic reports here and never
 * logs itself, so the simulator stays quiet and deterministic: the server process writes these
 * at INFO (logger {@code io.dynamo.events}), the simulator into its trace.
 *
 * <p>Called on the node's thread; an implementation must not block.
 */
@FunctionalInterface
public interface ClusterEvents {

    /** What kind of event, as the log line's first word. */
    enum Kind {
        /** This node's failure detector routes around a peer (a request timed out, a connection was lost). */
        PEER_DOWN,
        /** A peer this node routed around answered again. */
        PEER_UP,
        /** Gossip heartbeats from a peer stopped (phi-accrual suspicion), or resumed. */
        PEER_SUSPECTED,
        PEER_TRUSTED,
        /** A member was added, changed status (joining, up, leaving, left) or is being replaced. */
        MEMBERSHIP,
        /** A ring change was planned, or took effect. */
        RING,
        /** This node started receiving a partition, or received it whole. */
        TRANSFER_STARTED,
        TRANSFER_FINISHED,
        /** This node handed every hint it held for an owner over to it. */
        HINTS_DELIVERED,
        /** An owner refused a hint for good (it would pass the sibling limit); the hint is kept aside. */
        HINT_REFUSED;

        /** The kind as it appears in the log, e.g. {@code peer_down}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    void event(Kind kind, String message);

    /** Reports nothing. */
    ClusterEvents NONE = (kind, message) -> { };
}

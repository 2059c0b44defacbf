package io.dynamo.server.transport;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.core.versioning.Versioned;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything nodes say to each other, as immutable records in request/reply pairs. A reply
 * carries the id of its request; ids are unique per sending node, so (sender, id) identifies a
 * request and a duplicated or late reply is recognised and ignored.
 */
public sealed interface Message {

    /** The id a reply refers back to; requests choose it, replies copy it. */
    long requestId();

    /** Sent by a coordinator to a replica: merge this state for the key. */
    record ReplicaWrite(long requestId, int partition, StoredKey key, Siblings<Content> state, Durability durability,
            NodeId hintFor) implements Message {
        public ReplicaWrite {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(durability, "durability");
        }

        /** Whether the receiver stands in for {@link #hintFor()} and must keep a hint. */
        public boolean isHinted() {
            return hintFor != null;
        }
    }

    /** A replica's answer to {@link ReplicaWrite}: stored (and how durably), or why not. */
    record ReplicaWriteReply(long requestId, boolean ok, boolean durable, String error) implements Message {
        public static ReplicaWriteReply stored(long requestId, boolean durable) {
            return new ReplicaWriteReply(requestId, true, durable, null);
        }

        public static ReplicaWriteReply failed(long requestId, String error) {
            return new ReplicaWriteReply(requestId, false, false, Objects.requireNonNull(error, "error"));
        }
    }

    /**
     * Sent by a coordinator to a replica: what do you hold for the key? When {@code hintFor} is
     * set the receiver is a fallback standing in for that owner and answers from its hint.
     */
    record ReplicaRead(long requestId, int partition, StoredKey key, NodeId hintFor) implements Message {
        public ReplicaRead {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * A replica's answer to {@link ReplicaRead}: its state (empty when it holds nothing), or an
     * error when it could not read.
     */
    record ReplicaReadReply(long requestId, Siblings<Content> state, String error) implements Message {
        public static ReplicaReadReply of(long requestId, Siblings<Content> state) {
            return new ReplicaReadReply(requestId, Objects.requireNonNull(state, "state"), null);
        }

        public static ReplicaReadReply failed(long requestId, String error) {
            return new ReplicaReadReply(requestId, null, Objects.requireNonNull(error, "error"));
        }

        public boolean ok() {
            return error == null;
        }
    }

    /** A fallback delivering a hint to the node it was meant for. */
    record HintDelivery(long requestId, int partition, StoredKey key, Siblings<Content> state) implements Message {
        public HintDelivery {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * The owner's answer to {@link HintDelivery}; only {@code ok} lets the fallback delete the
     * hint. {@code rejected} means the owner will never accept it (the merge would break a limit,
     * such as the sibling count): retrying is pointless, and the fallback keeps it aside. A
     * positive {@code retryAfterMillis} means "not now": the owner is shedding background work,
     * and the fallback sends it nothing more for that long, then one hint at a time until
     * deliveries succeed again.
     */
    record HintDeliveryReply(long requestId, boolean ok, boolean rejected, long retryAfterMillis)
            implements Message {
        public HintDeliveryReply(long requestId, boolean ok, boolean rejected) {
            this(requestId, ok, rejected, 0);
        }

        public boolean busy() {
            return retryAfterMillis > 0;
        }
    }

    /**
     * A put (or delete: a tombstone value) forwarded by a node that is not among the key's top N
     * to one that is, to coordinate it (paper section 5). The receiver answers with
     * {@link CoordinatePutReply} when its write quorum is decided.
     *
     * @param w the write quorum asked for, 0 for the namespace's default
     * @param dw the durable acknowledgements asked for, -1 for the namespace's default
     * @param timeoutMillis how long the coordinator may take
     */
    record CoordinatePut(long requestId, String namespace, byte[] key, VersionVector context, Content value, int w,
            int dw, long timeoutMillis) implements Message {
        public CoordinatePut {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The coordinator's first answer to {@link CoordinatePut}, under its request id: it has taken
     * the write on and will answer with {@link CoordinatePutReply}. A forwarder that hears neither
     * within its replica timeout forwards to the key's next reachable owner instead.
     */
    record CoordinatePutAccepted(long requestId) implements Message {
    }

    /**
     * The coordinator's answer to {@link CoordinatePut}: on success the live siblings and the
     * context of the state it wrote, and the write receipt; otherwise the error, as
     * {@link PutError}.
     */
    record CoordinatePutReply(long requestId, List<Versioned<Content>> values, VersionVector context,
            List<NodeId> acknowledged, Map<NodeId, NodeId> fallbacks, int durable, PutError error) implements Message {
        public static CoordinatePutReply failed(long requestId, PutError error) {
            return new CoordinatePutReply(requestId, List.of(), null, List.of(), Map.of(), 0,
                    Objects.requireNonNull(error, "error"));
        }

        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Why a forwarded put failed, in a form that crosses the network.
     *
     * @param kind {@code insufficient}, {@code overloaded}, {@code invalid}, {@code unavailable}
     * @param requiredW acknowledgements required, for {@code insufficient}; the limit, for
     *     {@code overloaded}
     * @param achievedW acknowledgements reached, for {@code insufficient}
     * @param failures why each failed replica failed, for {@code insufficient}
     */
    record PutError(String kind, String message, int requiredW, int achievedW, int requiredDW, int achievedDW,
            Map<NodeId, String> failures) {
        public PutError {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
            failures = failures == null ? Map.of() : Map.copyOf(failures);
        }
    }

    /**
     * Sent by a delete's coordinator to every node before it purges a tombstone: what do you
     * hold for the key, as data and as hints for any of its {@code owners}?
     */
    record PurgeCheck(long requestId, int partition, StoredKey key, List<NodeId> owners) implements Message {
        public PurgeCheck {
            Objects.requireNonNull(key, "key");
            owners = List.copyOf(owners);
        }
    }

    /** The answer to {@link PurgeCheck}: the node's data state for the key, and whether it holds a hint for it. */
    record PurgeCheckReply(long requestId, Siblings<Content> state, boolean holdsHint, String error) implements Message {
        public boolean ok() {
            return error == null;
        }
    }

    /** Sent to each owner: remove the key if its state is still exactly {@code expected} (the tombstone). */
    record Purge(long requestId, int partition, StoredKey key, Siblings<Content> expected) implements Message {
        public Purge {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expected, "expected");
        }
    }

    /** The answer to {@link Purge}: whether the owner removed the key. */
    record PurgeReply(long requestId, boolean removed) implements Message {
    }

    /** Anti-entropy: the hashes of {@code nodes} at {@code level} of the receiver's tree for the partition. */
    record TreeLevelRequest(long requestId, int partition, int level, int[] nodes) implements Message {
        public TreeLevelRequest {
            nodes = nodes.clone();
        }
    }

    /** The answer to {@link TreeLevelRequest}: one hash per node asked for, or an error. */
    record TreeLevelReply(long requestId, long[] hashes, String error) implements Message {
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Anti-entropy: the entries the receiver holds in {@code segments} of the partition's tree,
     * whole segments in order, stopping before the segment that would take the reply over
     * {@code maxEntries} (at least one segment is always served).
     */
    record SegmentRequest(long requestId, int partition, int[] segments, int maxEntries) implements Message {
        public SegmentRequest {
            segments = segments.clone();
        }
    }

    /**
     * A new owner's request for the next chunk of a partition it is taking over: up to
     * {@code limit} entries in key order strictly after {@code after} (null: from the start).
     */
    record TransferChunkRequest(long requestId, int partition, io.dynamo.core.storage.StoredKey after, int limit)
            implements Message {
    }

    /**
     * The answer to {@link TransferChunkRequest}: the entries, whether they are the partition's
     * last, or an error (the source is busy, or its storage failed).
     */
    record TransferChunkReply(long requestId, List<io.dynamo.core.storage.StoredEntry> entries, boolean last,
            String error) implements Message {
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * The answer to {@link SegmentRequest}: the keys and their states of the first {@code served}
     * segments asked for, or an error.
     */
    record SegmentReply(long requestId, List<io.dynamo.core.storage.StoredEntry> entries, int served, String error)
            implements Message {
        public boolean ok() {
            return error == null;
        }
    }

    /** One gossip exchange, push half: the sender's cluster state. */
    record GossipPush(long requestId, io.dynamo.core.membership.ClusterState state) implements Message {
        public GossipPush {
            Objects.requireNonNull(state, "state");
        }
    }

    /** The pull half: the receiver's state after merging the push, for the sender to merge. */
    record GossipPull(long requestId, io.dynamo.core.membership.ClusterState state) implements Message {
        public GossipPull {
            Objects.requireNonNull(state, "state");
        }
    }

    /** A liveness probe for a peer marked unreachable. */
    record Ping(long requestId) implements Message {
    }

    /** The answer to {@link Ping}. */
    record Pong(long requestId) implements Message {
    }

    /**
     * A request for the receiver's own view of itself (the dashboard's per-node figures), with
     * traffic samples newer than {@code trafficSinceMillis}.
     */
    record StatusRequest(long requestId, long trafficSinceMillis) implements Message {
    }

    /** The answer to {@link StatusRequest}: a UTF-8 JSON object, opaque to the node logic. */
    record StatusReply(long requestId, byte[] json) implements Message {
        public StatusReply {
            java.util.Objects.requireNonNull(json, "json");
        }
    }
}

package io.dynamo.server.transport;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.Siblings;
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

    /** Sent by a coordinator to a replica: what do you hold for the key? */
    record ReplicaRead(long requestId, int partition, StoredKey key) implements Message {
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

    /** The owner's answer to {@link HintDelivery}; only {@code ok} lets the fallback delete the hint. */
    record HintDeliveryReply(long requestId, boolean ok) implements Message {
    }

    /** A liveness probe for a peer marked unreachable. */
    record Ping(long requestId) implements Message {
    }

    /** The answer to {@link Ping}. */
    record Pong(long requestId) implements Message {
    }
}

package io.dynamo.core.storage;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.versioning.Siblings;

/**
 * A write held by a fallback for a node that was unreachable (paper section 4.6): the state to
 * deliver, the node it is for, and a sequence number that grows each time the hint changes, so
 * that delivery deletes exactly what it delivered and never a newer write that arrived meanwhile.
 */
public record Hint(NodeId target, int partition, StoredKey key, Siblings<Content> state, long sequence) {
}

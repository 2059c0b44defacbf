package io.dynamo.server.coordinator;

import io.dynamo.core.quorum.WriteOutcome;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.versioning.VersionVector;
import java.util.Objects;

/**
 * What a successful put or delete answers.
 *
 * @param context the context of the state the coordinator wrote: a client that writes the key
 *     again with it supersedes its own write (and whatever the coordinator had merged with it)
 * @param receipt which replicas acknowledged, which of them were fallbacks holding a hint, and
 *     how many acknowledgements were durable
 */
public record PutResult(VersionVector context, WriteOutcome.Receipt<NodeId> receipt) {
    public PutResult {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(receipt, "receipt");
    }
}

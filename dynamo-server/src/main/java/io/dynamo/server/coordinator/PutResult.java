package io.dynamo.server.coordinator;

import io.dynamo.core.quorum.WriteOutcome;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.core.versioning.VersionVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a successful put or delete answers.
 *
 * @param values the live siblings of the state the coordinator wrote: the new value, and any
 *     value written concurrently that the client's context did not cover (Riak's
 *     {@code return_body}); empty after a delete that left nothing live
 * @param context the context of that state. It covers every one of {@code values}, so a client
 *     that writes again with it supersedes them all: it must merge them first, exactly as after
 *     a get, or it discards writes it never saw
 * @param receipt which replicas acknowledged, which of them were fallbacks holding a hint, and
 *     how many acknowledgements were durable
 */
public record PutResult(List<Versioned<Content>> values, VersionVector context, WriteOutcome.Receipt<NodeId> receipt) {

    public PutResult {
        values = List.copyOf(values);
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(receipt, "receipt");
    }

    /** The result for {@code written}, the coordinator's state after the write. */
    static PutResult of(Siblings<Content> written, WriteOutcome.Receipt<NodeId> receipt) {
        List<Versioned<Content>> live = new ArrayList<>();
        for (Versioned<Content> v : written.values()) {
            if (!v.value().isTombstone()) {
                live.add(v);
            }
        }
        return new PutResult(live, written.context(), receipt);
    }

    /** Whether the key holds concurrent values after this write: the client should merge them. */
    public boolean hasSiblings() {
        return values.size() > 1;
    }
}

package io.dynamo.core.storage;

import io.dynamo.core.versioning.Siblings;
import java.util.concurrent.CompletableFuture;

/**
 * What a write left stored for its key, available at once, and a future that completes when the
 * write is on stable storage (at once for a buffered write; after the group commit for a durable
 * one) or completes exceptionally with a {@link StorageException}. Callers on an event loop must
 * not block on it: they chain their acknowledgement onto it.
 *
 * @param state the key's state after the merge
 * @param changed whether the write changed the stored state (false when it was already known)
 * @param durable completes when the write is durable as requested
 */
public record WriteResult(Siblings<Content> state, boolean changed, CompletableFuture<Void> durable) {
}

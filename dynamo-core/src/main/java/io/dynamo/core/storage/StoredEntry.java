package io.dynamo.core.storage;

import io.dynamo.core.versioning.Siblings;

/** A key and its stored state, as iteration returns them. */
public record StoredEntry(StoredKey key, Siblings<Content> state) {
}

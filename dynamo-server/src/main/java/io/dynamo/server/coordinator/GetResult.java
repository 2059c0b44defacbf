package io.dynamo.server.coordinator;

import io.dynamo.core.storage.Content;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.core.versioning.VersionVector;
import java.util.List;
import java.util.Objects;

/**
 * What a get answers: every live sibling (one, unless writes were concurrent) and one context
 * that covers them all and any tombstone seen. Writing back with that context supersedes every
 * sibling. A key with no live value has no values, and the context of its tombstones (empty if
 * it never existed), so that a write after a delete does not become the delete's sibling.
 */
public record GetResult(List<Versioned<Content>> values, VersionVector context) {

    public GetResult {
        values = List.copyOf(values);
        Objects.requireNonNull(context, "context");
    }

    public boolean isFound() {
        return !values.isEmpty();
    }

    /** The sibling values, without their dots. */
    public List<Content> contents() {
        return values.stream().map(Versioned::value).toList();
    }
}

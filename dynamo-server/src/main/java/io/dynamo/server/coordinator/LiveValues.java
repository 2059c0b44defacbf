package io.dynamo.server.coordinator;

import io.dynamo.core.storage.Content;
import io.dynamo.core.versioning.Versioned;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The values a client is shown of a key's state: the live ones (tombstones hidden), each distinct
 * value once. Two siblings whose contents are equal, bytes, content type and timestamp alike,
 * are one write made twice: a forwarded put retried on the next owner after the first lost its
 * connection, or a client's retry of a write whose outcome it did not learn. Both dots stay in
 * the stored state and in the context, so the client's next write supersedes both; it is only
 * not asked to merge a value with itself.
 */
final class LiveValues {

    private LiveValues() {
    }

    static List<Versioned<Content>> of(List<Versioned<Content>> values) {
        List<Versioned<Content>> live = new ArrayList<>(values.size());
        Set<Content> seen = new HashSet<>();
        for (Versioned<Content> v : values) {
            if (!v.value().isTombstone() && seen.add(v.value())) {
                live.add(v);
            }
        }
        return live;
    }
}

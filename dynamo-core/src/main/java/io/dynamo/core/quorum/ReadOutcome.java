package io.dynamo.core.quorum;

import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a read answers, once its {@link ReadTally} is done.
 *
 * @param <R> the replica id type
 * @param <V> the value type
 */
public sealed interface ReadOutcome<R, V> {

    /**
     * At least one live value exists. {@code merged} is the sync of every state received; it may
     * hold tombstones next to live siblings, and its context covers them all, so a write with that
     * context supersedes every one of them.
     */
    record Found<R, V>(Siblings<V> merged) implements ReadOutcome<R, V> {
        public Found {
            Objects.requireNonNull(merged, "merged");
        }
    }

    /**
     * The key has no live value. {@code context} is the merged context of any tombstones seen
     * (empty if none): a client that writes with it supersedes the delete instead of becoming
     * its sibling.
     */
    record NotFound<R, V>(VersionVector context) implements ReadOutcome<R, V> {
        public NotFound {
            Objects.requireNonNull(context, "context");
        }
    }

    /** Fewer than R replicas answered usefully, and some failed. */
    record Insufficient<R, V>(int required, int achieved, Map<R, String> failures)
            implements ReadOutcome<R, V> {
        public Insufficient {
            failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        }
    }
}

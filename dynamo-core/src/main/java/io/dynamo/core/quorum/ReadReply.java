package io.dynamo.core.quorum;

import io.dynamo.core.versioning.Siblings;
import java.util.Objects;

/**
 * One replica's answer to a read.
 *
 * @param <V> the value type
 */
public sealed interface ReadReply<V> {

    /** The replica holds state for the key (possibly only tombstones). */
    record Found<V>(Siblings<V> siblings) implements ReadReply<V> {
        public Found {
            Objects.requireNonNull(siblings, "siblings");
        }
    }

    /** The replica holds nothing for the key. */
    record NotFound<V>() implements ReadReply<V> {
    }

    /** The replica could not answer (error, timeout, unreachable). */
    record Failed<V>(String reason) implements ReadReply<V> {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static <V> ReadReply<V> found(Siblings<V> siblings) {
        return new Found<>(siblings);
    }

    static <V> ReadReply<V> notFound() {
        return new NotFound<>();
    }

    static <V> ReadReply<V> failed(String reason) {
        return new Failed<>(reason);
    }
}

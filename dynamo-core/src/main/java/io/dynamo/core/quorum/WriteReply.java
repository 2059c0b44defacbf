package io.dynamo.core.quorum;

import java.util.Objects;

/**
 * One replica's answer to a write. The coordinator's own local write is a reply like any other.
 *
 * @param <R> the replica id type
 */
public sealed interface WriteReply<R> {

    /**
     * The replica stored the write.
     *
     * @param durable whether it is on durable storage (counts toward DW as well as W)
     * @param fallbackFor the intended owner this replica stands in for (hinted handoff, paper
     *     §4.6), or {@code null} if the replica is itself one of the key's owners
     */
    record Ack<R>(boolean durable, R fallbackFor) implements WriteReply<R> {
    }

    /** The replica did not store the write (error, timeout, unreachable). */
    record Failed<R>(String reason) implements WriteReply<R> {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** An acknowledgement from one of the key's owners. */
    static <R> WriteReply<R> ack(boolean durable) {
        return new Ack<>(durable, null);
    }

    /** An acknowledgement from a fallback holding the write as a hint for {@code owner}. */
    static <R> WriteReply<R> fallbackAck(boolean durable, R owner) {
        return new Ack<>(durable, Objects.requireNonNull(owner, "owner"));
    }

    static <R> WriteReply<R> failed(String reason) {
        return new Failed<>(reason);
    }
}

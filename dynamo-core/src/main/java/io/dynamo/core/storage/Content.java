package io.dynamo.core.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sibling's payload: the value bytes with their content type and the coordinator's
 * timestamp, or a tombstone (a delete, which is a write like any other so that it replicates and
 * is ordered causally). The timestamp is for people and for the lossy {@code lww} mode, never for
 * causality.
 */
public final class Content {

    private final byte[] value;
    private final String contentType;
    private final long timestampMillis;
    private final boolean tombstone;

    private Content(byte[] value, String contentType, long timestampMillis, boolean tombstone) {
        this.value = Objects.requireNonNull(value, "value");
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.timestampMillis = timestampMillis;
        this.tombstone = tombstone;
    }

    public static Content of(byte[] value, String contentType, long timestampMillis) {
        return new Content(value.clone(), contentType, timestampMillis, false);
    }

    public static Content tombstone(long timestampMillis) {
        return new Content(new byte[0], "", timestampMillis, true);
    }

    /** A copy of the value bytes (empty for a tombstone). */
    public byte[] value() {
        return value.clone();
    }

    public int size() {
        return value.length;
    }

    public String contentType() {
        return contentType;
    }

    public long timestampMillis() {
        return timestampMillis;
    }

    public boolean isTombstone() {
        return tombstone;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Content c && tombstone == c.tombstone && timestampMillis == c.timestampMillis
                && contentType.equals(c.contentType) && Arrays.equals(value, c.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), contentType, timestampMillis, tombstone);
    }

    @Override
    public String toString() {
        return tombstone ? "Content{tombstone @" + timestampMillis + "}"
                : "Content{" + value.length + " bytes " + contentType + " @" + timestampMillis + "}";
    }
}

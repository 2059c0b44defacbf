package io.dynamo.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** One value of a key: its bytes, media type, and when its write was accepted. Immutable. */
public final class Sibling {

    private final byte[] value;
    private final String contentType;
    private final long timestampMillis;

    public Sibling(byte[] value, String contentType, long timestampMillis) {
        this.value = Objects.requireNonNull(value, "value").clone();
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.timestampMillis = timestampMillis;
    }

    /** A copy of the value's bytes. */
    public byte[] value() {
        return value.clone();
    }

    /** The value decoded as UTF-8. */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The media type it was written with. */
    public String contentType() {
        return contentType;
    }

    /**
     * When the coordinator of its write accepted it, in milliseconds since the epoch, by that
     * node's clock: for information (or a last-writer-wins resolver that accepts clock skew), not
     * for causal order.
     */
    public long timestampMillis() {
        return timestampMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sibling s && timestampMillis == s.timestampMillis && contentType.equals(s.contentType)
                && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), contentType, timestampMillis);
    }

    @Override
    public String toString() {
        return "Sibling[" + value.length + " bytes, " + contentType + ", at " + timestampMillis + "]";
    }
}

package io.dynamo.core.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One sibling's payload: the value bytes with their content type and the coordinator's
 * timestamp, or a tombstone (a delete, which is a write like any other so that it replicates and
 * is ordered causally). The timestamp is for people and for the lossy {@code lww} mode, never for
 * causality.
 */
public final class Content {

    private static final byte[] EMPTY = new byte[0];

    /** The value is {@code length} bytes of {@code bytes} from {@code offset}, never changed. */
    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final String contentType;
    private final long timestampMillis;
    private final boolean tombstone;

    private Content(byte[] bytes, int offset, int length, String contentType, long timestampMillis,
            boolean tombstone) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.timestampMillis = timestampMillis;
        this.tombstone = tombstone;
    }

    /** A value holding a copy of {@code value}. */
    public static Content of(byte[] value, String contentType, long timestampMillis) {
        return new Content(value.clone(), 0, value.length, contentType, timestampMillis, false);
    }

    /**
     * A value over {@code length} bytes of {@code bytes} at {@code offset}, without copying them:
     * the caller hands the range over and must never change it afterwards. For decoders that
     * read many values out of one record (a stored sibling set, a message), so that each byte is
     * copied once, when it leaves the process or the record.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
     */
    public static Content wrap(byte[] bytes, int offset, int length, String contentType, long timestampMillis) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return new Content(bytes, offset, length, contentType, timestampMillis, false);
    }

    public static Content tombstone(long timestampMillis) {
        return new Content(EMPTY, 0, 0, "", timestampMillis, true);
    }

    /** A copy of the value bytes (empty for a tombstone). */
    public byte[] value() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** Copies the value bytes into {@code dst} at {@code dstOffset}; {@link #size()} bytes. */
    public void copyValueTo(byte[] dst, int dstOffset) {
        System.arraycopy(bytes, offset, dst, dstOffset, length);
    }

    /** A read-only view of the value bytes, without copying them. */
    public ByteBuffer valueBuffer() {
        return ByteBuffer.wrap(bytes, offset, length).slice().asReadOnlyBuffer();
    }

    public int size() {
        return length;
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
                && contentType.equals(c.contentType)
                && Arrays.equals(bytes, offset, offset + length, c.bytes, c.offset, c.offset + c.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + bytes[i];
        }
        return Objects.hash(h, contentType, timestampMillis, tombstone);
    }

    @Override
    public String toString() {
        return tombstone ? "Content{tombstone @" + timestampMillis + "}"
                : "Content{" + length + " bytes " + contentType + " @" + timestampMillis + "}";
    }
}

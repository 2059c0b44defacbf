package io.dynamo.core.storage;

import io.dynamo.core.versioning.SiblingsCodec;
import io.dynamo.core.versioning.ValueFormat;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The binary form of one {@link Content}, written and read in place: the value bytes are copied
 * once each way. It is the value format of every stored sibling set (the RocksDB engine's data
 * and hint records) and of the sibling sets and values in node-to-node messages, so one codec
 * defines a value wherever it travels. Layout, integers big-endian:
 *
 * <pre>
 * u8        flags: 0 for a value, 1 (bit 0) for a tombstone; anything else is rejected
 * i64       timestamp, milliseconds
 * u32       content type length in bytes (0 for a tombstone)
 * bytes     content type, UTF-8
 * bytes     value bytes: the rest of the range (none for a tombstone)
 * </pre>
 *
 * The layout carries no version byte of its own: it is versioned with the record or message
 * around it (RocksDB record format 1, {@link SiblingsCodec#FORMAT_VERSION} 1) and must never
 * change in place. {@link #decode(byte[], int, int)} throws {@link IllegalArgumentException} for
 * any range {@link #encode(Content, byte[], int)} could not have produced, and the returned value
 * shares the input array, which the caller hands over.
 */
public final class ContentFormat implements ValueFormat<Content> {

    /** The one instance; the format has no state. */
    public static final ContentFormat INSTANCE = new ContentFormat();

    private static final SiblingsCodec<Content> SIBLINGS = SiblingsCodec.of(INSTANCE);

    /** Flags, timestamp and content type length. */
    private static final int FIXED = 1 + 8 + 4;
    private static final int TOMBSTONE = 1;

    private ContentFormat() {
    }

    /** The codec of whole sibling sets of contents in this format; shared, immutable. */
    public static SiblingsCodec<Content> siblingsCodec() {
        return SIBLINGS;
    }

    @Override
    public int encodedLength(Content c) {
        return FIXED + typeLength(c.contentType()) + c.size();
    }

    @Override
    public void encode(Content c, byte[] dst, int offset) {
        String type = c.contentType();
        int typeLength = typeLength(type);
        dst[offset] = (byte) (c.isTombstone() ? TOMBSTONE : 0);
        putLong(dst, offset + 1, c.timestampMillis());
        putInt(dst, offset + 9, typeLength);
        int pos = offset + FIXED;
        if (typeLength == type.length()) {
            for (int i = 0; i < typeLength; i++) {
                dst[pos + i] = (byte) type.charAt(i);
            }
        } else {
            byte[] utf8 = type.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(utf8, 0, dst, pos, utf8.length);
        }
        c.copyValueTo(dst, pos + typeLength);
    }

    /** The encoding of {@code c} in an array of its own. */
    public byte[] encode(Content c) {
        byte[] out = new byte[encodedLength(c)];
        encode(c, out, 0);
        return out;
    }

    /**
     * Decodes a whole array; the value shares {@code bytes}.
     *
     * @throws IllegalArgumentException for bytes {@link #encode(Content)} could not have produced
     */
    public Content decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes the content in {@code length} bytes of {@code src} at {@code offset}; the value
     * shares {@code src}.
     *
     * @throws IllegalArgumentException for bytes {@link #encode(Content, byte[], int)} could not
     *     have produced
     * @throws IndexOutOfBoundsException if the range is not inside {@code src}
     */
    @Override
    public Content decode(byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        if (length < FIXED) {
            throw new IllegalArgumentException("content of " + length + " bytes is too short");
        }
        int flags = src[offset];
        long timestamp = getLong(src, offset + 1);
        int typeLength = getInt(src, offset + 9);
        int typeAt = offset + FIXED;
        int rest = length - FIXED;
        if (typeLength < 0 || typeLength > rest) {
            throw new IllegalArgumentException("content type length " + typeLength + " out of range");
        }
        int valueAt = typeAt + typeLength;
        int valueLength = rest - typeLength;
        if (flags == TOMBSTONE) {
            if (typeLength != 0 || valueLength != 0) {
                throw new IllegalArgumentException("tombstone with a value");
            }
            return Content.tombstone(timestamp);
        }
        if (flags != 0) {
            throw new IllegalArgumentException("unknown content flags " + flags);
        }
        // ASCII, the usual case, is valid UTF-8 and decodes to the same string without a decoder.
        String type = isAscii(src, typeAt, typeLength)
                ? new String(src, typeAt, typeLength, StandardCharsets.US_ASCII)
                : strictUtf8(src, typeAt, typeLength);
        return Content.wrap(src, valueAt, valueLength, type, timestamp);
    }

    /** The UTF-8 length of {@code type}, computed without encoding it when it is ASCII. */
    private static int typeLength(String type) {
        for (int i = 0; i < type.length(); i++) {
            if (type.charAt(i) >= 0x80) {
                return type.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return type.length();
    }

    private static String strictUtf8(byte[] bytes, int from, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("content type is not UTF-8", e);
        }
    }

    private static boolean isAscii(byte[] bytes, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }

    private static long getLong(byte[] b, int off) {
        return ((long) getInt(b, off) << 32) | (getInt(b, off + 4) & 0xFFFFFFFFL);
    }
}

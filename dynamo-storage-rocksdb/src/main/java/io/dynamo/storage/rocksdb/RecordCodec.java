package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.versioning.CorruptVersionException;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.SiblingsCodec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The checksummed envelope around every value this engine stores, and the encodings inside it.
 *
 * <pre>
 * envelope   = u8 format (1) | u32 CRC32C | payload
 *              CRC32C covers the RocksDB key, then the format byte, then the payload, so a value
 *              moved under another key fails its check too
 * data       = u64 versionDigest | SiblingsCodec encoding of the key's state
 * hint       = u64 sequence | u32 partition | SiblingsCodec encoding of the hinted state
 * metadata   = the opaque bytes
 * content    = u8 flags (bit 0: tombstone) | i64 timestamp millis | u32 content type length
 *              | content type (UTF-8) | value bytes (the rest)
 * </pre>
 *
 * A value that fails its checksum, has an unknown format, or does not decode is reported as
 * {@link StorageException.Kind#CORRUPTION} and never returned.
 */
final class RecordCodec {

    static final int FORMAT = 1;
    static final int HEADER_BYTES = 5;

    private static final int TOMBSTONE = 1;

    static final SiblingsCodec<Content> SIBLINGS = SiblingsCodec.of(RecordCodec::encodeContent,
            RecordCodec::decodeContent);

    private RecordCodec() {
    }

    /** Wraps {@code payload} in the envelope for {@code key}. */
    static byte[] seal(byte[] key, byte[] payload) {
        byte[] out = new byte[HEADER_BYTES + payload.length];
        out[0] = FORMAT;
        System.arraycopy(payload, 0, out, HEADER_BYTES, payload.length);
        KeyCodec.putInt(out, 1, crc(key, out));
        return out;
    }

    /** The payload of an envelope stored under {@code key}, after checking it. */
    static byte[] open(byte[] key, byte[] stored, Object what) {
        check(key, stored, what);
        return Arrays.copyOfRange(stored, HEADER_BYTES, stored.length);
    }

    /** Throws {@link StorageException.Kind#CORRUPTION} unless the envelope is intact. */
    static void check(byte[] key, byte[] stored, Object what) {
        if (stored.length < HEADER_BYTES) {
            throw corrupt(what, "record of " + stored.length + " bytes is shorter than its header", null);
        }
        if (stored[0] != FORMAT) {
            throw corrupt(what, "unknown record format " + (stored[0] & 0xFF), null);
        }
        if (KeyCodec.getInt(stored, 1) != crc(key, stored)) {
            throw corrupt(what, "record checksum mismatch", null);
        }
    }

    private static int crc(byte[] key, byte[] envelope) {
        CRC32C crc = new CRC32C();
        crc.update(key);
        crc.update(envelope, 0, 1);
        crc.update(envelope, HEADER_BYTES, envelope.length - HEADER_BYTES);
        return (int) crc.getValue();
    }

    // ---- data records

    static byte[] encodeData(byte[] key, Siblings<Content> state) {
        return encodeData(key, state, state.versionDigest());
    }

    /**
     * The record of {@code state}, whose {@link Siblings#versionDigest()} the caller already has
     * (the engine needs it for the Merkle tree too); the envelope is built in place, without an
     * intermediate payload array.
     */
    static byte[] encodeData(byte[] key, Siblings<Content> state, long versionDigest) {
        byte[] siblings = SIBLINGS.encode(state);
        byte[] out = new byte[HEADER_BYTES + 8 + siblings.length];
        out[0] = FORMAT;
        KeyCodec.putLong(out, HEADER_BYTES, versionDigest);
        System.arraycopy(siblings, 0, out, HEADER_BYTES + 8, siblings.length);
        KeyCodec.putInt(out, 1, crc(key, out));
        return out;
    }

    /** The version digest of a checked data record, without decoding the state. */
    static long dataDigest(byte[] key, byte[] stored, Object what) {
        check(key, stored, what);
        if (stored.length < HEADER_BYTES + 8) {
            throw corrupt(what, "data record too short for its digest", null);
        }
        return KeyCodec.getLong(stored, HEADER_BYTES);
    }

    /** A checked data record: the state and the digest stored with it. */
    record Data(Siblings<Content> state, long digest) {
    }

    static Data decodeData(byte[] key, byte[] stored, Object what) {
        long digest = dataDigest(key, stored, what);
        return new Data(decodeSiblings(Arrays.copyOfRange(stored, HEADER_BYTES + 8, stored.length), what), digest);
    }

    static Siblings<Content> decodeSiblings(byte[] bytes, Object what) {
        try {
            return SIBLINGS.decode(bytes);
        } catch (CorruptVersionException e) {
            throw corrupt(what, e.getMessage(), e);
        }
    }

    // ---- hint records

    record HintPayload(long sequence, int partition, Siblings<Content> state) {
    }

    static byte[] encodeHint(byte[] key, long sequence, int partition, Siblings<Content> state) {
        byte[] siblings = SIBLINGS.encode(state);
        byte[] payload = new byte[12 + siblings.length];
        KeyCodec.putLong(payload, 0, sequence);
        KeyCodec.putInt(payload, 8, partition);
        System.arraycopy(siblings, 0, payload, 12, siblings.length);
        return seal(key, payload);
    }

    static HintPayload decodeHint(byte[] key, byte[] stored, Object what) {
        byte[] payload = open(key, stored, what);
        if (payload.length < 12) {
            throw corrupt(what, "hint record too short", null);
        }
        return new HintPayload(KeyCodec.getLong(payload, 0), KeyCodec.getInt(payload, 8),
                decodeSiblings(Arrays.copyOfRange(payload, 12, payload.length), what));
    }

    // ---- content

    static byte[] encodeContent(Content c) {
        byte[] type = c.contentType().getBytes(StandardCharsets.UTF_8);
        byte[] value = c.value();
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 4 + type.length + value.length);
        out.put((byte) (c.isTombstone() ? TOMBSTONE : 0));
        out.putLong(c.timestampMillis());
        out.putInt(type.length);
        out.put(type);
        out.put(value);
        return out.array();
    }

    /** Decodes a content; throws {@link IllegalArgumentException} for bytes encode could not produce. */
    static Content decodeContent(byte[] bytes) {
        if (bytes.length < 13) {
            throw new IllegalArgumentException("content of " + bytes.length + " bytes is too short");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int flags = in.get();
        long timestamp = in.getLong();
        int typeLength = in.getInt();
        if (typeLength < 0 || typeLength > in.remaining()) {
            throw new IllegalArgumentException("content type length " + typeLength + " out of range");
        }
        // ASCII, the usual case, is valid UTF-8 and decodes to the same string without a decoder.
        String type = isAscii(bytes, in.position(), typeLength)
                ? new String(bytes, in.position(), typeLength, StandardCharsets.US_ASCII)
                : strictUtf8(bytes, in.position(), typeLength);
        in.position(in.position() + typeLength);
        byte[] value = new byte[in.remaining()];
        in.get(value);
        if (flags == TOMBSTONE) {
            if (typeLength != 0 || value.length != 0) {
                throw new IllegalArgumentException("tombstone with a value");
            }
            return Content.tombstone(timestamp);
        }
        if (flags != 0) {
            throw new IllegalArgumentException("unknown content flags " + flags);
        }
        return Content.of(value, type, timestamp);
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

    static StorageException corrupt(Object what, String detail, Throwable cause) {
        return new StorageException(StorageException.Kind.CORRUPTION, "corrupt record (" + what + "): " + detail, cause);
    }
}

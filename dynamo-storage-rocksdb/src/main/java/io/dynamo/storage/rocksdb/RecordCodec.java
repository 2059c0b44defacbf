package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.ContentFormat;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.versioning.CorruptVersionException;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.SiblingsCodec;
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
 *              | content type (UTF-8) | value bytes (the rest), as {@link ContentFormat} defines it
 * </pre>
 *
 * A value that fails its checksum, has an unknown format, or does not decode is reported as
 * {@link StorageException.Kind#CORRUPTION} and never returned.
 */
final class RecordCodec {

    static final int FORMAT = 1;
    static final int HEADER_BYTES = 5;

    /** Sibling sets of contents in the shared {@link ContentFormat}, the same as on the wire. */
    static final SiblingsCodec<Content> SIBLINGS = ContentFormat.siblingsCodec();

    /** Offset of the sibling set in a data record: envelope header, then the version digest. */
    private static final int DATA_PREFIX = HEADER_BYTES + 8;
    /** Offset of the sibling set in a hint record: envelope header, sequence and partition. */
    private static final int HINT_PREFIX = HEADER_BYTES + 12;

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
        byte[] out = SIBLINGS.encode(state, DATA_PREFIX);
        out[0] = FORMAT;
        KeyCodec.putLong(out, HEADER_BYTES, versionDigest);
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

    /**
     * Decodes a data record. The values of the returned state share {@code stored}, which the
     * caller hands over and must not change afterwards.
     */
    static Data decodeData(byte[] key, byte[] stored, Object what) {
        long digest = dataDigest(key, stored, what);
        return new Data(decodeSiblings(stored, DATA_PREFIX, what), digest);
    }

    static Siblings<Content> decodeSiblings(byte[] bytes, int offset, Object what) {
        try {
            return SIBLINGS.decode(bytes, offset, bytes.length - offset);
        } catch (CorruptVersionException e) {
            throw corrupt(what, e.getMessage(), e);
        }
    }

    // ---- hint records

    record HintPayload(long sequence, int partition, Siblings<Content> state) {
    }

    static byte[] encodeHint(byte[] key, long sequence, int partition, Siblings<Content> state) {
        byte[] out = SIBLINGS.encode(state, HINT_PREFIX);
        out[0] = FORMAT;
        KeyCodec.putLong(out, HEADER_BYTES, sequence);
        KeyCodec.putInt(out, HEADER_BYTES + 8, partition);
        KeyCodec.putInt(out, 1, crc(key, out));
        return out;
    }

    /** Decodes a hint record; as with {@link #decodeData}, the state shares {@code stored}. */
    static HintPayload decodeHint(byte[] key, byte[] stored, Object what) {
        check(key, stored, what);
        if (stored.length < HINT_PREFIX) {
            throw corrupt(what, "hint record too short", null);
        }
        return new HintPayload(KeyCodec.getLong(stored, HEADER_BYTES), KeyCodec.getInt(stored, HEADER_BYTES + 8),
                decodeSiblings(stored, HINT_PREFIX, what));
    }

    // ---- content

    /** The encoding of {@code c} in the {@link ContentFormat} layout. */
    static byte[] encodeContent(Content c) {
        return ContentFormat.INSTANCE.encode(c);
    }

    /** Decodes a content; throws {@link IllegalArgumentException} for bytes encode could not produce. */
    static Content decodeContent(byte[] bytes) {
        return ContentFormat.INSTANCE.decode(bytes);
    }

    /**
     * Decodes the content in {@code length} bytes of {@code src} at {@code offset}; the value
     * shares {@code src}. Throws {@link IllegalArgumentException} for bytes encode could not produce.
     */
    static Content decodeContent(byte[] src, int offset, int length) {
        return ContentFormat.INSTANCE.decode(src, offset, length);
    }

    static StorageException corrupt(Object what, String detail, Throwable cause) {
        return new StorageException(StorageException.Kind.CORRUPTION, "corrupt record (" + what + "): " + detail, cause);
    }
}

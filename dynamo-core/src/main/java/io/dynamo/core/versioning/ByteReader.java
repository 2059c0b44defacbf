package io.dynamo.core.versioning;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the codecs' primitive encodings from untrusted bytes. Every read checks the bytes that
 * remain first; every count is checked against what the remaining bytes could hold before
 * anything is allocated for it. Failures are {@link Malformed}, never another exception.
 */
final class ByteReader {

    private final byte[] bytes;
    private int pos;

    ByteReader(byte[] bytes) {
        this.bytes = bytes;
    }

    int remaining() {
        return bytes.length - pos;
    }

    int u8() throws Malformed {
        if (pos >= bytes.length) {
            throw new Malformed("truncated at byte " + pos);
        }
        return bytes[pos++] & 0xff;
    }

    /**
     * An unsigned LEB128 varint in {@code [0, 2^63)}, in its shortest form (at most 9 bytes, no
     * trailing zero groups).
     */
    long uvarint() throws Malformed {
        int start = pos;
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = u8();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw new Malformed("non-minimal varint at byte " + start);
                }
                return value;
            }
        }
        throw new Malformed("varint longer than 63 bits at byte " + start);
    }

    /** A varint count of items, each of which takes at least {@code minBytesEach} bytes. */
    int count(int minBytesEach, String what) throws Malformed {
        long n = uvarint();
        if (n > remaining() / minBytesEach) {
            throw new Malformed(what + " count " + n + " exceeds what the remaining "
                    + remaining() + " bytes can hold");
        }
        return (int) n;
    }

    long fixed64() throws Malformed {
        if (remaining() < 8) {
            throw new Malformed("truncated 64-bit number at byte " + pos);
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[pos++] & 0xff);
        }
        return v;
    }

    byte[] bytes(int n) throws Malformed {
        if (n < 0 || n > remaining()) {
            throw new Malformed("length " + n + " exceeds the remaining " + remaining() + " bytes");
        }
        byte[] out = new byte[n];
        System.arraycopy(bytes, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** {@code n} bytes of well-formed UTF-8. */
    String utf8(int n) throws Malformed {
        byte[] raw = bytes(n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("malformed UTF-8 before byte " + pos);
        }
    }

    void expectEnd() throws Malformed {
        if (pos != bytes.length) {
            throw new Malformed((bytes.length - pos) + " trailing bytes after byte " + pos);
        }
    }
}

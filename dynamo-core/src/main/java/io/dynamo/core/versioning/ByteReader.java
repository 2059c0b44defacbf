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
    private final int start;
    private final int end;
    private int pos;

    ByteReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /** Reads {@code length} bytes of {@code bytes} from {@code offset}; positions in messages count from there. */
    ByteReader(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
    }

    int remaining() {
        return end - pos;
    }

    /** The array position of the next byte. */
    int position() {
        return pos;
    }

    /** The backing array, for reading a range in place after {@link #skip}. */
    byte[] array() {
        return bytes;
    }

    /** Steps over {@code n} bytes, after checking they are there. */
    void skip(int n) throws Malformed {
        if (n < 0 || n > remaining()) {
            throw new Malformed("length " + n + " exceeds the remaining " + remaining() + " bytes");
        }
        pos += n;
    }

    int u8() throws Malformed {
        if (pos >= end) {
            throw new Malformed("truncated at byte " + (pos - start));
        }
        return bytes[pos++] & 0xff;
    }

    /**
     * An unsigned LEB128 varint in {@code [0, 2^63)}, in its shortest form (at most 9 bytes, no
     * trailing zero groups).
     */
    long uvarint() throws Malformed {
        int at = pos - start;
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = u8();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw new Malformed("non-minimal varint at byte " + at);
                }
                return value;
            }
        }
        throw new Malformed("varint longer than 63 bits at byte " + at);
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
            throw new Malformed("truncated 64-bit number at byte " + (pos - start));
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
        int from = pos;
        skip(n);
        if (isAscii(bytes, from, n)) {
            // ASCII, the usual case, is valid UTF-8 and decodes to the same string without a decoder.
            return new String(bytes, from, n, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("malformed UTF-8 before byte " + (pos - start));
        }
    }

    private static boolean isAscii(byte[] bytes, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    void expectEnd() throws Malformed {
        if (pos != end) {
            throw new Malformed((end - pos) + " trailing bytes after byte " + (pos - start));
        }
    }
}

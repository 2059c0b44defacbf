package io.dynamo.core.versioning;

import java.util.Arrays;

/** Writes the codecs' primitive encodings into a growing array. */
final class ByteWriter {

    private byte[] buf = new byte[64];
    private int size;

    void u8(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** Unsigned LEB128; {@code value} must be non-negative. */
    void uvarint(long value) {
        ensure(10);
        while ((value & ~0x7fL) != 0) {
            buf[size++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        buf[size++] = (byte) value;
    }

    void fixed64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }

    void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    int size() {
        return size;
    }

    /** Copies what was written to {@code dst} at {@code offset}. */
    void copyTo(byte[] dst, int offset) {
        System.arraycopy(buf, 0, dst, offset, size);
    }

    /** The number of bytes {@link #uvarint} writes for {@code value}. */
    static int uvarintLength(long value) {
        int n = 1;
        while ((value & ~0x7fL) != 0) {
            n++;
            value >>>= 7;
        }
        return n;
    }

    /** Writes {@code value} as {@link #uvarint} does, into {@code dst}; returns the next position. */
    static int putUvarint(byte[] dst, int pos, long value) {
        while ((value & ~0x7fL) != 0) {
            dst[pos++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        dst[pos++] = (byte) value;
        return pos;
    }

    private void ensure(int extra) {
        if (buf.length - size < extra) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }
}

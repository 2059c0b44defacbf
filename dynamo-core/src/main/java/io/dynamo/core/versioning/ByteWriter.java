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

    private void ensure(int extra) {
        if (buf.length - size < extra) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }
}

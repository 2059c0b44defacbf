package io.dynamo.core.ring;

import java.util.HexFormat;

/**
 * A position on the 128-bit ring, as an unsigned number {@code hi * 2^64 + lo}. Ordered as
 * unsigned integers, so the ring runs clockwise from {@link #MIN} to {@link #MAX} and wraps.
 */
public record Token(long hi, long lo) implements Comparable<Token> {

    public static final Token MIN = new Token(0L, 0L);
    public static final Token MAX = new Token(-1L, -1L);

    /** The token whose 16 big-endian bytes are {@code bytes[offset..offset+16)}. */
    public static Token fromBytes(byte[] bytes, int offset) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (bytes[offset + i] & 0xFF);
            lo = (lo << 8) | (bytes[offset + 8 + i] & 0xFF);
        }
        return new Token(hi, lo);
    }

    /** The first token of partition {@code partition} when the ring is cut into 2^bits equal parts. */
    static Token partitionStart(int partition, int bits) {
        return new Token(bits == 0 ? 0L : ((long) partition) << (64 - bits), 0L);
    }

    @Override
    public int compareTo(Token other) {
        int c = Long.compareUnsigned(hi, other.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    /** {@code (this - from) mod 2^128} as a fraction of the whole ring, in [0, 1). */
    public double fractionSince(Token from) {
        long dLo = lo - from.lo;
        long borrow = Long.compareUnsigned(lo, from.lo) < 0 ? 1 : 0;
        long dHi = hi - from.hi - borrow;
        return (unsignedToDouble(dHi) + unsignedToDouble(dLo) / 0x1p64) / 0x1p64;
    }

    private static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1L);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(hi) + hex.toHexDigits(lo);
    }
}

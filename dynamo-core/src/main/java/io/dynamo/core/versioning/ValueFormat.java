package io.dynamo.core.versioning;

/**
 * How a {@link SiblingsCodec} writes and reads one value, in place: the codec asks for the
 * encoded length first, so that a whole sibling set (and any header the caller reserves in front
 * of it) is written into one exact-size array, and decodes each value from its range of the input
 * without copying it first.
 *
 * @param <V> the value type
 */
public interface ValueFormat<V> {

    /** The number of bytes {@link #encode} writes for {@code value}. */
    int encodedLength(V value);

    /** Writes exactly {@link #encodedLength(Object) encodedLength(value)} bytes at {@code offset}. */
    void encode(V value, byte[] dst, int offset);

    /**
     * Reads a value from {@code length} bytes of {@code src} at {@code offset}; throws a
     * {@link RuntimeException} for bytes it does not accept and never returns {@code null}. The
     * value may keep a reference to that range instead of copying it: a caller that passes an
     * array to {@link SiblingsCodec#decode(byte[], int, int)} hands it over and must not change it
     * afterwards.
     */
    V decode(byte[] src, int offset, int length);
}

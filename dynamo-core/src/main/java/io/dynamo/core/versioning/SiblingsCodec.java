package io.dynamo.core.versioning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Encodes a whole {@link Siblings} set, for storage and for node-to-node messages. Values go
 * through a caller-supplied encoder and decoder. Layout (varints as in {@link ContextCodec}):
 *
 * <pre>
 * u8        format version, {@value #FORMAT_VERSION}
 * ...       context body, exactly as in ContextCodec after its version byte
 * varint    value count
 *   varint    index of the dot's actor in the context's actor list   } per value, strictly
 *   varint    dot counter, 1..that actor's counter                    } increasing by dot
 *   varint    value length in bytes
 *   bytes     value, as the value encoder wrote it
 * </pre>
 *
 * <p>Error contract: {@link #decode} throws {@link CorruptVersionException} for any input that
 * {@link #encode} could not have produced, and also when the value decoder throws a
 * {@link RuntimeException} (kept in the cause chain). It never throws another exception for bad
 * input and never allocates more than the input's length can justify.
 *
 * @param <V> the value type
 */
public final class SiblingsCodec<V> {

    /** The format version this codec writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final int MIN_VALUE_BYTES = 3;

    private final ValueFormat<V> format;

    private SiblingsCodec(ValueFormat<V> format) {
        this.format = Objects.requireNonNull(format, "format");
    }

    /**
     * A codec whose values are written by {@code valueEncoder} and read back by
     * {@code valueDecoder}. The decoder receives a private copy of the value's bytes; it should
     * throw a {@link RuntimeException} for bytes it does not accept and must not return
     * {@code null}. This form encodes each value into an array of its own first; a
     * {@link ValueFormat} ({@link #of(ValueFormat)}) writes values in place.
     */
    public static <V> SiblingsCodec<V> of(Function<? super V, byte[]> valueEncoder,
                                          Function<byte[], ? extends V> valueDecoder) {
        return new SiblingsCodec<>(new ArrayFormat<>(valueEncoder, valueDecoder));
    }

    /** A codec that writes and reads values in place through {@code format}. */
    public static <V> SiblingsCodec<V> of(ValueFormat<V> format) {
        return new SiblingsCodec<>(format);
    }

    public byte[] encode(Siblings<V> siblings) {
        return encode(siblings, 0);
    }

    /**
     * The encoding of {@code siblings} at offset {@code headroom} of an exact-size array whose
     * first {@code headroom} bytes are left zero for the caller's own header: one allocation for
     * the whole record, and no copy of the values beyond the one the value format makes.
     */
    public byte[] encode(Siblings<V> siblings, int headroom) {
        if (headroom < 0) {
            throw new IllegalArgumentException("headroom " + headroom + " is negative");
        }
        ByteWriter head = new ByteWriter();
        head.u8(FORMAT_VERSION);
        VersionVector context = siblings.context();
        ContextFormat.write(head, context);
        head.uvarint(siblings.size());
        List<Versioned<V>> values = siblings.values();
        int n = values.size();
        // An array-based format hands back each value's bytes; an in-place one only its length.
        ArrayFormat<V> arrays = format instanceof ArrayFormat<V> af ? af : null;
        byte[][] encoded = arrays == null ? null : new byte[n][];
        int[] actor = new int[n];
        int[] length = new int[n];
        long total = (long) headroom + head.size();
        for (int i = 0; i < n; i++) {
            Versioned<V> v = values.get(i);
            actor[i] = context.indexOf(v.dot().actor());
            if (arrays != null) {
                encoded[i] = arrays.toBytes(v.value());
                length[i] = encoded[i].length;
            } else {
                length[i] = format.encodedLength(v.value());
                if (length[i] < 0) {
                    throw new IllegalStateException("value format gave a negative length: " + length[i]);
                }
            }
            total += ByteWriter.uvarintLength(actor[i]) + ByteWriter.uvarintLength(v.dot().counter())
                    + ByteWriter.uvarintLength(length[i]) + length[i];
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("sibling set of " + total + " bytes is too large to encode");
        }
        byte[] out = new byte[(int) total];
        head.copyTo(out, headroom);
        int pos = headroom + head.size();
        for (int i = 0; i < n; i++) {
            Versioned<V> v = values.get(i);
            pos = ByteWriter.putUvarint(out, pos, actor[i]);
            pos = ByteWriter.putUvarint(out, pos, v.dot().counter());
            pos = ByteWriter.putUvarint(out, pos, length[i]);
            if (encoded != null) {
                System.arraycopy(encoded[i], 0, out, pos, length[i]);
            } else {
                format.encode(v.value(), out, pos);
            }
            pos += length[i];
        }
        return out;
    }

    /** The format behind {@link #of(Function, Function)}: values as arrays of their own. */
    private record ArrayFormat<V>(Function<? super V, byte[]> encoder, Function<byte[], ? extends V> decoder)
            implements ValueFormat<V> {

        ArrayFormat {
            Objects.requireNonNull(encoder, "valueEncoder");
            Objects.requireNonNull(decoder, "valueDecoder");
        }

        byte[] toBytes(V value) {
            return Objects.requireNonNull(encoder.apply(value), "value encoder returned null");
        }

        @Override
        public int encodedLength(V value) {
            return toBytes(value).length;
        }

        @Override
        public void encode(V value, byte[] dst, int offset) {
            byte[] b = toBytes(value);
            System.arraycopy(b, 0, dst, offset, b.length);
        }

        @Override
        public V decode(byte[] src, int offset, int length) {
            return decoder.apply(Arrays.copyOfRange(src, offset, offset + length));
        }
    }

    /**
     * @throws CorruptVersionException if {@code bytes} is not a valid encoding (also when it is
     *     {@code null})
     */
    public Siblings<V> decode(byte[] bytes) {
        if (bytes == null) {
            throw new CorruptVersionException("sibling set bytes are missing");
        }
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes the {@code length} bytes of {@code bytes} at {@code offset}. With a
     * {@link ValueFormat} that keeps references into its input, the decoded values share
     * {@code bytes}: the caller hands the array over and must not change it afterwards.
     *
     * @throws CorruptVersionException if the range is not a valid encoding (also when
     *     {@code bytes} is {@code null})
     * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
     */
    public Siblings<V> decode(byte[] bytes, int offset, int length) {
        if (bytes == null) {
            throw new CorruptVersionException("sibling set bytes are missing");
        }
        Objects.checkFromIndexSize(offset, length, bytes.length);
        try {
            return read(new ByteReader(bytes, offset, length));
        } catch (Malformed e) {
            throw new CorruptVersionException("corrupt sibling set: " + e.getMessage(), e);
        }
    }

    private Siblings<V> read(ByteReader in) throws Malformed {
        int version = in.u8();
        if (version != FORMAT_VERSION) {
            throw new Malformed("unknown sibling set format version " + version);
        }
        VersionVector context = ContextFormat.read(in);
        int count = in.count(MIN_VALUE_BYTES, "value");
        List<Versioned<V>> values = new ArrayList<>(count);
        long previousActor = -1;
        long previousCounter = 0;
        for (int i = 0; i < count; i++) {
            long actor = in.uvarint();
            long counter = in.uvarint();
            if (actor >= context.size()) {
                throw new Malformed("value " + i + " names actor " + actor + " of " + context.size());
            }
            if (counter < 1 || counter > context.counterAt((int) actor)) {
                throw new Malformed("value " + i + " has a dot its context does not cover");
            }
            if (actor < previousActor || (actor == previousActor && counter <= previousCounter)) {
                throw new Malformed("values not in strictly increasing dot order at value " + i);
            }
            long len = in.uvarint();
            if (len > in.remaining()) {
                throw new Malformed("value " + i + " length " + len + " exceeds the remaining "
                        + in.remaining() + " bytes");
            }
            int at = in.position();
            in.skip((int) len);
            V value = decodeValue(in.array(), at, (int) len, i);
            values.add(new Versioned<>(new Dot(context.actorAt((int) actor), counter), value));
            previousActor = actor;
            previousCounter = counter;
        }
        in.expectEnd();
        return Siblings.of(context, values);
    }

    private V decodeValue(byte[] src, int offset, int length, int index) throws Malformed {
        V value;
        try {
            value = format.decode(src, offset, length);
        } catch (RuntimeException e) {
            throw new Malformed("value " + index + " rejected by the value decoder: " + e, e);
        }
        if (value == null) {
            throw new Malformed("value " + index + " decoded to null");
        }
        return value;
    }
}

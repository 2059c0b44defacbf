package io.dynamo.core.versioning;

import java.util.ArrayList;
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

    private final Function<? super V, byte[]> valueEncoder;
    private final Function<byte[], ? extends V> valueDecoder;

    private SiblingsCodec(Function<? super V, byte[]> valueEncoder, Function<byte[], ? extends V> valueDecoder) {
        this.valueEncoder = Objects.requireNonNull(valueEncoder, "valueEncoder");
        this.valueDecoder = Objects.requireNonNull(valueDecoder, "valueDecoder");
    }

    /**
     * A codec whose values are written by {@code valueEncoder} and read back by
     * {@code valueDecoder}. The decoder receives a private copy of the value's bytes; it should
     * throw a {@link RuntimeException} for bytes it does not accept and must not return
     * {@code null}.
     */
    public static <V> SiblingsCodec<V> of(Function<? super V, byte[]> valueEncoder,
                                          Function<byte[], ? extends V> valueDecoder) {
        return new SiblingsCodec<>(valueEncoder, valueDecoder);
    }

    public byte[] encode(Siblings<V> siblings) {
        ByteWriter out = new ByteWriter();
        out.u8(FORMAT_VERSION);
        VersionVector context = siblings.context();
        ContextFormat.write(out, context);
        out.uvarint(siblings.size());
        for (Versioned<V> v : siblings.values()) {
            byte[] value = Objects.requireNonNull(valueEncoder.apply(v.value()), "value encoder returned null");
            out.uvarint(context.indexOf(v.dot().actor()));
            out.uvarint(v.dot().counter());
            out.uvarint(value.length);
            out.bytes(value);
        }
        return out.toByteArray();
    }

    /**
     * @throws CorruptVersionException if {@code bytes} is not a valid encoding (also when it is
     *     {@code null})
     */
    public Siblings<V> decode(byte[] bytes) {
        if (bytes == null) {
            throw new CorruptVersionException("sibling set bytes are missing");
        }
        try {
            return read(new ByteReader(bytes));
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
            byte[] raw = in.bytes((int) len);
            V value = decodeValue(raw, i);
            values.add(new Versioned<>(new Dot(context.actorAt((int) actor), counter), value));
            previousActor = actor;
            previousCounter = counter;
        }
        in.expectEnd();
        return Siblings.of(context, values);
    }

    private V decodeValue(byte[] raw, int index) throws Malformed {
        V value;
        try {
            value = valueDecoder.apply(raw);
        } catch (RuntimeException e) {
            throw new Malformed("value " + index + " rejected by the value decoder: " + e, e);
        }
        if (value == null) {
            throw new Malformed("value " + index + " decoded to null");
        }
        return value;
    }
}

package io.dynamo.core.versioning;

/**
 * Encodes a {@link VersionVector} as the compact, versioned bytes handed to clients as an opaque
 * context (Base64 is applied at the API edge, not here). Layout, all varints unsigned LEB128 in
 * shortest form:
 *
 * <pre>
 * u8        format version, {@value #FORMAT_VERSION}
 * varint    node name count
 *   varint    name length in bytes (1..255)       } per name, strictly increasing
 *   bytes     name, UTF-8                         } in String order
 * varint    actor count
 *   varint    index into the name table           } per actor, strictly increasing
 *   8 bytes   incarnation, big-endian signed      } by (name, incarnation);
 *   varint    counter, at least 1                 } every name used
 * </pre>
 *
 * <p>Error contract: {@link #decode} accepts exactly the byte strings {@link #encode} produces
 * and throws {@link InvalidContextException} for anything else (truncated, trailing bytes,
 * unknown version, non-minimal or over-long varints, out-of-range indexes or counters,
 * non-canonical order, malformed UTF-8). It never throws another exception and never allocates
 * more than the input's length can justify.
 */
public final class ContextCodec {

    /** The format version this codec writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private ContextCodec() {
    }

    public static byte[] encode(VersionVector context) {
        ByteWriter out = new ByteWriter();
        out.u8(FORMAT_VERSION);
        ContextFormat.write(out, context);
        return out.toByteArray();
    }

    /**
     * @throws InvalidContextException if {@code bytes} is not a valid encoding (also when it is
     *     {@code null})
     */
    public static VersionVector decode(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidContextException("invalid context: missing");
        }
        try {
            ByteReader in = new ByteReader(bytes);
            int version = in.u8();
            if (version != FORMAT_VERSION) {
                throw new Malformed("unknown context format version " + version);
            }
            VersionVector vv = ContextFormat.read(in);
            in.expectEnd();
            return vv;
        } catch (Malformed e) {
            throw new InvalidContextException("invalid context: " + e.getMessage(), e);
        }
    }
}

package io.dynamo.core.merkle;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The binary form of a tree, used both to send a whole tree to a peer and to persist it beside a
 * partition's data. Only the segments are written; the interior levels follow from them and are
 * recomputed on decode. All integers are big-endian.
 *
 * <pre>
 * offset  size      field
 * 0       1         format version, 1
 * 1       1         log2(width), 1..10
 * 2       1         depth, 1..20 (log2(width) * depth at most 20)
 * 3       1         segment encoding: 0 dense, 1 sparse
 * 4       4         n, the number of segment records
 * 8       n * 8     dense:  every segment hash in order (n = width^depth)
 *         n * 12    sparse: (u32 segment index, i64 hash) for the non-zero segments only,
 *                           indices strictly ascending, hashes non-zero
 * end-4   4         CRC-32C of every byte before it
 * </pre>
 *
 * <p>The encoder writes whichever of dense and sparse is shorter, so an empty tree takes 12
 * bytes. The decoder rejects anything else, including trailing bytes, with {@link
 * MerkleFormatException}, and never allocates more than the input's length justifies, except the
 * tree itself, which is at most 2^20 segments (8 MiB).
 */
public final class TreeCodec {

    /** The format version this codec writes. */
    public static final byte FORMAT_VERSION = 1;

    private static final byte DENSE = 0;
    private static final byte SPARSE = 1;
    private static final int HEADER_BYTES = 8;
    private static final int CHECKSUM_BYTES = 4;
    private static final int DENSE_RECORD_BYTES = 8;
    private static final int SPARSE_RECORD_BYTES = 12;

    private TreeCodec() {
    }

    /** The bytes of {@code tree}'s current hashes. */
    public static byte[] encode(TreeView tree) {
        Objects.requireNonNull(tree, "tree");
        TreeShape shape = tree.shape();
        long[] segments = tree.levels[shape.depth()];
        int nonZero = 0;
        for (long hash : segments) {
            if (hash != 0) {
                nonZero++;
            }
        }
        boolean sparse = (long) nonZero * SPARSE_RECORD_BYTES < (long) segments.length * DENSE_RECORD_BYTES;
        int records = sparse ? nonZero : segments.length;
        int recordBytes = sparse ? SPARSE_RECORD_BYTES : DENSE_RECORD_BYTES;
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + records * recordBytes + CHECKSUM_BYTES);
        out.put(FORMAT_VERSION)
                .put((byte) shape.widthBits())
                .put((byte) shape.depth())
                .put(sparse ? SPARSE : DENSE)
                .putInt(records);
        for (int segment = 0; segment < segments.length; segment++) {
            if (!sparse) {
                out.putLong(segments[segment]);
            } else if (segments[segment] != 0) {
                out.putInt(segment).putLong(segments[segment]);
            }
        }
        out.putInt(checksum(out.array(), out.position()));
        return out.array();
    }

    /**
     * The tree encoded in {@code bytes}.
     *
     * @throws MerkleFormatException if {@code bytes} is not exactly one tree in a known format
     */
    public static TreeSnapshot decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < HEADER_BYTES + CHECKSUM_BYTES) {
            throw new MerkleFormatException("a tree takes at least "
                    + (HEADER_BYTES + CHECKSUM_BYTES) + " bytes, got " + bytes.length);
        }
        if (bytes[0] != FORMAT_VERSION) {
            throw new MerkleFormatException("unsupported tree format version " + (bytes[0] & 0xff)
                    + ", this codec reads version " + FORMAT_VERSION);
        }
        int bodyEnd = bytes.length - CHECKSUM_BYTES;
        int stored = ByteBuffer.wrap(bytes, bodyEnd, CHECKSUM_BYTES).getInt();
        int computed = checksum(bytes, bodyEnd);
        if (stored != computed) {
            throw new MerkleFormatException("checksum mismatch: stored " + Integer.toHexString(stored)
                    + ", computed " + Integer.toHexString(computed));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bodyEnd - 1);
        TreeShape shape = readShape(in.get() & 0xff, in.get() & 0xff);
        int encoding = in.get() & 0xff;
        long records = Integer.toUnsignedLong(in.getInt());
        long[] segments = switch (encoding) {
            case DENSE -> readDense(in, shape, records);
            case SPARSE -> readSparse(in, shape, records);
            default -> throw new MerkleFormatException("unknown segment encoding " + encoding + " at offset 3");
        };
        if (in.hasRemaining()) {
            throw new MerkleFormatException(in.remaining() + " unexpected bytes after the last segment");
        }
        return TreeSnapshot.ofSegments(shape, segments);
    }

    private static TreeShape readShape(int widthBits, int depth) {
        if (widthBits < 1 || widthBits > Integer.numberOfTrailingZeros(TreeShape.MAX_WIDTH)) {
            throw new MerkleFormatException("log2(width) at offset 1 must be in [1, "
                    + Integer.numberOfTrailingZeros(TreeShape.MAX_WIDTH) + "], was " + widthBits);
        }
        try {
            return new TreeShape(1 << widthBits, depth);
        } catch (IllegalArgumentException e) {
            throw new MerkleFormatException("invalid tree shape: " + e.getMessage(), e);
        }
    }

    private static long[] readDense(ByteBuffer in, TreeShape shape, long records) {
        if (records != shape.segments()) {
            throw new MerkleFormatException("a dense tree of shape " + shape + " has "
                    + shape.segments() + " segments, header says " + records);
        }
        requireRemaining(in, records, DENSE_RECORD_BYTES);
        long[] segments = new long[shape.segments()];
        for (int segment = 0; segment < segments.length; segment++) {
            segments[segment] = in.getLong();
        }
        return segments;
    }

    private static long[] readSparse(ByteBuffer in, TreeShape shape, long records) {
        if (records > shape.segments()) {
            throw new MerkleFormatException("a tree of shape " + shape + " has "
                    + shape.segments() + " segments, header says " + records + " are non-zero");
        }
        requireRemaining(in, records, SPARSE_RECORD_BYTES);
        long[] segments = new long[shape.segments()];
        int previous = -1;
        for (long record = 0; record < records; record++) {
            int offset = in.position();
            int segment = in.getInt();
            long hash = in.getLong();
            if (segment <= previous || segment >= segments.length) {
                throw new MerkleFormatException("segment index " + Integer.toUnsignedString(segment)
                        + " at offset " + offset + " is out of order or beyond " + (segments.length - 1));
            }
            if (hash == 0) {
                throw new MerkleFormatException("sparse segment " + segment + " at offset " + offset
                        + " has hash zero; zero segments are left out");
            }
            segments[segment] = hash;
            previous = segment;
        }
        return segments;
    }

    private static void requireRemaining(ByteBuffer in, long records, int recordBytes) {
        if (records * recordBytes > in.remaining()) {
            throw new MerkleFormatException("header says " + records + " segment records of "
                    + recordBytes + " bytes, only " + in.remaining() + " bytes remain");
        }
    }

    private static int checksum(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}

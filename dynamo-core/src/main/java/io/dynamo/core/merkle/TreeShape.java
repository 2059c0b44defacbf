package io.dynamo.core.merkle;

/**
 * The shape of a Merkle tree: every interior node has {@code width} children and the leaves
 * (segments) sit {@code depth} levels below the root, so there are {@code width^depth} segments.
 * Level 0 is the root; level {@code depth} holds the segments.
 *
 * <p><b>Key hash to segment.</b> A segment is the top {@link #segmentBits()} bits of the 64-bit
 * key hash read as an unsigned number, so segment {@code s} covers the contiguous unsigned range
 * {@link #firstKeyHash(int) firstKeyHash(s)} .. {@link #lastKeyHash(int) lastKeyHash(s)}, and a
 * storage engine ordered by key hash can read one segment with one range scan. The caller must
 * therefore supply key hashes whose top bits are uniform across the keys of one partition: not
 * the ring position itself, whose top bits are fixed within a partition.
 *
 * <p>The default, 16 wide and 3 deep (4,096 segments, about 35 KiB of hashes), suits a node that
 * keeps hundreds of partition replicas (Q=1024 partitions over 5 nodes with N=3 gives about 600,
 * so about 21 MiB of trees): at 10^6 keys a differing segment holds about 250 keys (a few KiB of
 * digests to exchange), and a single differing key costs 3 rounds of 16 hashes to find.
 *
 * @param width children per interior node: a power of two in [2, 1024]
 * @param depth levels below the root, at least 1; {@code width^depth} is at most 2^20
 */
public record TreeShape(int width, int depth) {

    /** 16 wide, 3 deep: 4,096 segments. */
    public static final TreeShape DEFAULT = new TreeShape(16, 3);

    /** The largest number of segments a tree may have, as a power of two (8 MiB of leaves). */
    public static final int MAX_SEGMENT_BITS = 20;

    static final int MAX_WIDTH = 1024;

    public TreeShape {
        if (width < 2 || width > MAX_WIDTH || Integer.bitCount(width) != 1) {
            throw new IllegalArgumentException(
                    "merkle.width must be a power of two between 2 and " + MAX_WIDTH + ", was " + width);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("merkle.depth must be at least 1, was " + depth);
        }
        long bits = (long) Integer.numberOfTrailingZeros(width) * depth;
        if (bits > MAX_SEGMENT_BITS) {
            throw new IllegalArgumentException("merkle.width^merkle.depth must be at most 2^"
                    + MAX_SEGMENT_BITS + " segments, was " + width + "^" + depth + " = 2^" + bits);
        }
    }

    /** log2 of {@link #width()}. */
    public int widthBits() {
        return Integer.numberOfTrailingZeros(width);
    }

    /** log2 of {@link #segments()}: how many top bits of a key hash name its segment. */
    public int segmentBits() {
        return widthBits() * depth;
    }

    /** The number of leaves, {@code width^depth}. */
    public int segments() {
        return 1 << segmentBits();
    }

    /** The number of nodes at {@code level}, {@code width^level}; level 0 is the root. */
    public int nodesAt(int level) {
        checkLevel(level);
        return 1 << (widthBits() * level);
    }

    /** The segment that holds {@code keyHash}: its top {@link #segmentBits()} bits. */
    public int segmentOf(long keyHash) {
        return (int) (keyHash >>> (Long.SIZE - segmentBits()));
    }

    /** The smallest key hash (unsigned) that falls in {@code segment}. */
    public long firstKeyHash(int segment) {
        checkIndex(depth, segment);
        return (long) segment << (Long.SIZE - segmentBits());
    }

    /** The largest key hash (unsigned) that falls in {@code segment}. */
    public long lastKeyHash(int segment) {
        return firstKeyHash(segment) | (-1L >>> segmentBits());
    }

    void checkLevel(int level) {
        if (level < 0 || level > depth) {
            throw new IllegalArgumentException("level must be in [0, " + depth + "], was " + level);
        }
    }

    void checkIndex(int level, int index) {
        int count = nodesAt(level);
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(
                    "node index at level " + level + " must be in [0, " + count + "), was " + index);
        }
    }
}

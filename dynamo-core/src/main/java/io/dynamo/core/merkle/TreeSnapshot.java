package io.dynamo.core.merkle;

import java.util.Arrays;

/**
 * An immutable copy of a tree's hashes, taken with {@link MerkleTree#snapshot()} or decoded with
 * {@link TreeCodec#decode(byte[])}. It never changes, so it may be read from any thread, kept for
 * the length of an exchange while the live tree moves on, or encoded for persistence.
 *
 * <p>Two snapshots are equal when they have the same shape and the same hash at every node.
 */
public final class TreeSnapshot extends TreeView {

    TreeSnapshot(TreeShape shape, long[][] levels) {
        super(shape, levels);
    }

    /** A snapshot whose segments are {@code segments} (owned by the snapshot from now on). */
    static TreeSnapshot ofSegments(TreeShape shape, long[] segments) {
        long[][] levels = emptyLevels(shape);
        levels[shape.depth()] = segments;
        recomputeInterior(shape, levels);
        return new TreeSnapshot(shape, levels);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TreeSnapshot that
                && shape.equals(that.shape)
                && Arrays.deepEquals(levels, that.levels);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + Long.hashCode(root());
    }

    @Override
    public String toString() {
        return "TreeSnapshot[" + shape.width() + "x" + shape.depth() + ", root=" + Long.toHexString(root()) + "]";
    }
}

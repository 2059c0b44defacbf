package io.dynamo.core.merkle;

import java.util.Arrays;
import java.util.Objects;

/**
 * Read access to a Merkle tree's node hashes, shared by the mutable {@link MerkleTree} and its
 * immutable {@link TreeSnapshot}. A node's hash is the XOR of its children's hashes; a segment's
 * hash is the XOR of the {@link EntryHash contributions} of the keys in it, so the root is the
 * XOR of every entry and an empty tree hashes to zero everywhere.
 *
 * <p>The two halves of one exchange step live here: the replica that is asked answers with
 * {@link #levelHashes(int, int[])}; the replica that asked compares the answer against its own
 * tree with {@link #differingNodes(int, int[], long[])}. {@link Descent} strings the steps
 * together; {@link #diff(TreeView)} runs the whole descent between two local trees.
 */
public abstract sealed class TreeView permits MerkleTree, TreeSnapshot {

    final TreeShape shape;
    /** {@code levels[l]} holds the {@code width^l} node hashes of level {@code l}. */
    final long[][] levels;

    TreeView(TreeShape shape, long[][] levels) {
        this.shape = shape;
        this.levels = levels;
    }

    static long[][] emptyLevels(TreeShape shape) {
        long[][] levels = new long[shape.depth() + 1][];
        for (int level = 0; level <= shape.depth(); level++) {
            levels[level] = new long[shape.nodesAt(level)];
        }
        return levels;
    }

    static long[][] copyLevels(long[][] levels) {
        long[][] copy = new long[levels.length][];
        for (int level = 0; level < levels.length; level++) {
            copy[level] = levels[level].clone();
        }
        return copy;
    }

    /** Recomputes every interior level from the segments, bottom up. */
    static void recomputeInterior(TreeShape shape, long[][] levels) {
        int width = shape.width();
        for (int level = shape.depth() - 1; level >= 0; level--) {
            long[] parents = levels[level];
            long[] children = levels[level + 1];
            for (int parent = 0; parent < parents.length; parent++) {
                long hash = 0;
                int first = parent * width;
                for (int child = first; child < first + width; child++) {
                    hash ^= children[child];
                }
                parents[parent] = hash;
            }
        }
    }

    public final TreeShape shape() {
        return shape;
    }

    /** The root hash: equal roots mean (up to a 2^-64 chance) equal contents. */
    public final long root() {
        return levels[0][0];
    }

    /** The hash of node {@code index} at {@code level} (level 0 is the root). */
    public final long nodeHash(int level, int index) {
        shape.checkLevel(level);
        shape.checkIndex(level, index);
        return levels[level][index];
    }

    /** The hash of a leaf segment, {@code nodeHash(depth, segment)}. */
    public final long segmentHash(int segment) {
        return nodeHash(shape.depth(), segment);
    }

    /**
     * The answering half of an exchange step: the hashes of {@code nodes} at {@code level}, in the
     * same order.
     *
     * @throws IllegalArgumentException if the level or an index is out of range
     */
    public final long[] levelHashes(int level, int[] nodes) {
        shape.checkLevel(level);
        long[] row = levels[level];
        long[] hashes = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            shape.checkIndex(level, nodes[i]);
            hashes[i] = row[nodes[i]];
        }
        return hashes;
    }

    /**
     * The asking half of an exchange step: those of {@code nodes} at {@code level} whose local
     * hash differs from {@code remoteHashes} (the peer's {@link #levelHashes} for the same
     * nodes), in the order given.
     *
     * @throws IllegalArgumentException if the arrays differ in length or an index is out of range
     */
    public final int[] differingNodes(int level, int[] nodes, long[] remoteHashes) {
        if (nodes.length != remoteHashes.length) {
            throw new IllegalArgumentException("expected " + nodes.length
                    + " remote hashes, one per node asked for, got " + remoteHashes.length);
        }
        long[] local = levelHashes(level, nodes);
        int[] differing = new int[nodes.length];
        int count = 0;
        for (int i = 0; i < nodes.length; i++) {
            if (local[i] != remoteHashes[i]) {
                differing[count++] = nodes[i];
            }
        }
        return Arrays.copyOf(differing, count);
    }

    /**
     * The segments whose hashes differ between this tree and {@code other}, ascending, found by
     * descending from the root through differing nodes only. Symmetric: {@code a.diff(b)} equals
     * {@code b.diff(a)}.
     *
     * @throws IllegalArgumentException if the trees have different shapes
     */
    public final int[] diff(TreeView other) {
        Objects.requireNonNull(other, "other");
        if (!shape.equals(other.shape)) {
            throw new IllegalArgumentException(
                    "cannot diff trees of different shapes: " + shape + " and " + other.shape);
        }
        Descent descent = Descent.start(shape);
        while (!descent.isComplete()) {
            descent = descent.next(this, other.levelHashes(descent.level(), descent.nodes()));
        }
        return descent.differingSegments();
    }
}

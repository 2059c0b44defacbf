package io.dynamo.core.merkle;

import java.util.Arrays;
import java.util.Objects;

/**
 * One replica's progress through a tree exchange, as an immutable value a network state machine
 * can hold between messages. Each step asks the peer for the hashes of {@link #nodes()} at
 * {@link #level()}, then {@link #next} compares the answer with the local tree and descends into
 * the children of the nodes that differ. The first step asks for the root alone; a step at the
 * segment level, or one where nothing differs, completes the descent with exactly the differing
 * {@link #differingSegments() segments}.
 *
 * <p>Below the root, the nodes asked for always come in whole sibling groups (all {@code width}
 * children of each differing parent), so a wire format may send the parents' indices instead.
 * With {@code k} differing keys the exchange takes at most {@code depth + 1} round trips and
 * carries at most {@code 1 + depth * k * width} hashes.
 */
public final class Descent {

    private static final int[] NONE = new int[0];

    private final TreeShape shape;
    private final int level;
    private final int[] nodes;
    private final boolean complete;

    private Descent(TreeShape shape, int level, int[] nodes, boolean complete) {
        this.shape = shape;
        this.level = level;
        this.nodes = nodes;
        this.complete = complete;
    }

    /** The first step of an exchange of trees of {@code shape}: ask for the root. */
    public static Descent start(TreeShape shape) {
        Objects.requireNonNull(shape, "shape");
        return new Descent(shape, 0, new int[] {0}, false);
    }

    public TreeShape shape() {
        return shape;
    }

    /** True once the differing segments are known; then there is nothing left to ask. */
    public boolean isComplete() {
        return complete;
    }

    /** The level whose hashes to ask the peer for. */
    public int level() {
        requireIncomplete();
        return level;
    }

    /** The node indices at {@link #level()} to ask the peer for, ascending. */
    public int[] nodes() {
        requireIncomplete();
        return nodes.clone();
    }

    /**
     * Compares the peer's answer with {@code local} and returns the next step.
     *
     * @param local this replica's tree (or a snapshot of it), of the same shape
     * @param remoteHashes the peer's hashes of {@link #nodes()}, in the same order
     * @throws IllegalArgumentException if the shape or the number of hashes does not match
     * @throws IllegalStateException if the descent is already complete
     */
    public Descent next(TreeView local, long[] remoteHashes) {
        requireIncomplete();
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remoteHashes, "remoteHashes");
        if (!shape.equals(local.shape())) {
            throw new IllegalArgumentException(
                    "local tree has shape " + local.shape() + ", the exchange uses " + shape);
        }
        int[] differing = local.differingNodes(level, nodes, remoteHashes);
        if (differing.length == 0) {
            return new Descent(shape, level, NONE, true);
        }
        if (level == shape.depth()) {
            return new Descent(shape, level, differing, true);
        }
        int width = shape.width();
        int[] children = new int[differing.length * width];
        for (int i = 0; i < differing.length; i++) {
            int first = differing[i] * width;
            for (int c = 0; c < width; c++) {
                children[i * width + c] = first + c;
            }
        }
        return new Descent(shape, level + 1, children, false);
    }

    /** The segments that differ, ascending; empty if the trees agree. */
    public int[] differingSegments() {
        if (!complete) {
            throw new IllegalStateException("the descent is not complete: ask for level " + level);
        }
        return nodes.clone();
    }

    private void requireIncomplete() {
        if (complete) {
            throw new IllegalStateException("the descent is complete: read differingSegments()");
        }
    }

    @Override
    public String toString() {
        return complete
                ? "Descent[complete, segments=" + Arrays.toString(nodes) + "]"
                : "Descent[level=" + level + ", nodes=" + nodes.length + "]";
    }
}

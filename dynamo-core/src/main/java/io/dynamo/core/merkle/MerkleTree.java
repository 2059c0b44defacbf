package io.dynamo.core.merkle;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The Merkle tree of one partition replica, updated in place on every write.
 *
 * <p>A write changes one key from an old version digest (or absence) to a new one (or absence);
 * {@link #update} XORs the old entry's contribution out and the new one in along the single path
 * from that key's segment to the root, O(depth), without reading any stored data. Because XOR is
 * its own inverse and commutative, applying an update and then its reverse restores every node
 * exactly, and any order of the same updates gives the same tree as {@link #rebuild} from the
 * final contents.
 *
 * <p><b>Thread confinement.</b> A tree has a single writer, the partition's executor, and no
 * locks; it must not be read from another thread while it may change. To hand the hashes to an
 * exchange or to persistence, take a {@link #snapshot()}: an immutable copy (one array copy per
 * level, about 560 KiB for the default shape) that any thread may read.
 *
 * <p>The tree trusts its caller: it cannot tell whether a removed digest was ever added. Removing
 * what was never added, or adding a key twice, leaves a tree that disagrees with a rebuild; the
 * storage engine's rebuild at open is what catches such drift.
 */
public final class MerkleTree extends TreeView {

    private MerkleTree(TreeShape shape, long[][] levels) {
        super(shape, levels);
    }

    /** An empty tree: every node hashes to zero. */
    public static MerkleTree empty(TreeShape shape) {
        Objects.requireNonNull(shape, "shape");
        return new MerkleTree(shape, emptyLevels(shape));
    }

    /**
     * A tree built from scratch from a partition replica's full contents, each key at most once.
     * Equal to adding the entries one by one, but computes the interior levels once at the end.
     */
    public static MerkleTree rebuild(TreeShape shape, Iterable<KeyVersion> entries) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(entries, "entries");
        long[][] levels = emptyLevels(shape);
        long[] segments = levels[shape.depth()];
        for (KeyVersion entry : entries) {
            segments[shape.segmentOf(entry.keyHash())] ^= EntryHash.of(entry.keyHash(), entry.versionDigest());
        }
        recomputeInterior(shape, levels);
        return new MerkleTree(shape, levels);
    }

    /** A mutable tree with the same hashes as {@code view}, e.g. a decoded, persisted tree. */
    public static MerkleTree copyOf(TreeView view) {
        Objects.requireNonNull(view, "view");
        return new MerkleTree(view.shape, copyLevels(view.levels));
    }

    /**
     * Records that the key changed from {@code oldDigest} to {@code newDigest}; an empty optional
     * means the key was (or becomes) absent. Both empty, or both equal, changes nothing.
     */
    public void update(long keyHash, OptionalLong oldDigest, OptionalLong newDigest) {
        long delta = 0;
        if (oldDigest.isPresent()) {
            delta ^= EntryHash.of(keyHash, oldDigest.getAsLong());
        }
        if (newDigest.isPresent()) {
            delta ^= EntryHash.of(keyHash, newDigest.getAsLong());
        }
        apply(keyHash, delta);
    }

    /** Records a key that was absent and now has {@code versionDigest}. */
    public void add(long keyHash, long versionDigest) {
        apply(keyHash, EntryHash.of(keyHash, versionDigest));
    }

    /** Records that a key with {@code versionDigest} is gone. */
    public void remove(long keyHash, long versionDigest) {
        apply(keyHash, EntryHash.of(keyHash, versionDigest));
    }

    /** An immutable copy of every node hash, safe to share with other threads. */
    public TreeSnapshot snapshot() {
        return new TreeSnapshot(shape, copyLevels(levels));
    }

    private void apply(long keyHash, long delta) {
        if (delta == 0) {
            return;
        }
        int index = shape.segmentOf(keyHash);
        int widthBits = shape.widthBits();
        for (int level = shape.depth(); level >= 0; level--) {
            levels[level][index] ^= delta;
            index >>>= widthBits;
        }
    }

    @Override
    public String toString() {
        return "MerkleTree[" + shape.width() + "x" + shape.depth() + ", root=" + Long.toHexString(root()) + "]";
    }
}

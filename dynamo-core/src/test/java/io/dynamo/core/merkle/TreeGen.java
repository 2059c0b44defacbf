package io.dynamo.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.testing.Gens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/** Generators, a replica model and an invariant check shared by the merkle properties. */
final class TreeGen {

    private TreeGen() {
    }

    /** Small shapes (at most 256 segments), so a few hundred keys share segments. */
    static Gen<TreeShape> shapes() {
        List<TreeShape> shapes = new ArrayList<>();
        for (int widthBits = 1; widthBits <= 4; widthBits++) {
            for (int depth = 1; depth <= 4; depth++) {
                if (widthBits * depth <= 8) {
                    shapes.add(new TreeShape(1 << widthBits, depth));
                }
            }
        }
        return Generate.pick(shapes);
    }

    /** Mostly uniform over all 64 bits, sometimes edge values or small ones (0, -1, small). */
    static Gen<Long> hashes() {
        return Generate.frequency(Pair.of(3, SourceDSL.longs().all()), Pair.of(1, Gens.longs()));
    }

    /** A replica's contents: key hash to version digest. */
    static Gen<Map<Long, Long>> contents() {
        return Gens.maps(hashes(), hashes(), 200).map(TreeMap::new);
    }

    enum Kind { ADD, REMOVE, CHANGE }

    /** One change to a replica; {@code selector} picks an existing key or is the new key. */
    record Mutation(Kind kind, long selector, long digest) {
    }

    static Gen<List<Mutation>> mutations() {
        Gen<Mutation> one = Generate.enumValues(Kind.class).zip(hashes(), hashes(), Mutation::new);
        return lists().of(one).ofSizeBetween(0, 30);
    }

    /** {@code base} after {@code mutations}; a change always yields a different digest. */
    static Map<Long, Long> mutate(Map<Long, Long> base, List<Mutation> mutations) {
        TreeMap<Long, Long> result = new TreeMap<>(base);
        for (Mutation m : mutations) {
            if (m.kind() == Kind.ADD || result.isEmpty()) {
                result.put(m.selector(), m.digest());
                continue;
            }
            List<Long> keys = new ArrayList<>(result.keySet());
            long key = keys.get(Math.floorMod(m.selector(), keys.size()));
            if (m.kind() == Kind.REMOVE) {
                result.remove(key);
            } else {
                long old = result.get(key);
                result.put(key, m.digest() == old ? old + 1 : m.digest());
            }
        }
        return result;
    }

    static List<KeyVersion> entries(Map<Long, Long> contents) {
        List<KeyVersion> entries = new ArrayList<>();
        contents.forEach((key, digest) -> entries.add(new KeyVersion(key, digest)));
        return entries;
    }

    /** The entries of {@code contents} that fall in {@code segments}, as storage would scan them. */
    static List<KeyVersion> entriesIn(TreeShape shape, Map<Long, Long> contents, int[] segments) {
        List<KeyVersion> entries = new ArrayList<>();
        for (int segment : segments) {
            contents.forEach((key, digest) -> {
                if (shape.segmentOf(key) == segment) {
                    entries.add(new KeyVersion(key, digest));
                }
            });
        }
        return entries;
    }

    /** A tree built by adding the entries one at a time (as writes would). */
    static MerkleTree incremental(TreeShape shape, Map<Long, Long> contents) {
        MerkleTree tree = MerkleTree.empty(shape);
        contents.forEach(tree::add);
        return tree;
    }

    /** Every interior node is the XOR of its children. */
    static void assertConsistent(TreeView tree) {
        TreeShape shape = tree.shape();
        for (int level = 0; level < shape.depth(); level++) {
            for (int node = 0; node < shape.nodesAt(level); node++) {
                long xor = 0;
                for (int child = node * shape.width(); child < (node + 1) * shape.width(); child++) {
                    xor ^= tree.nodeHash(level + 1, child);
                }
                assertThat(tree.nodeHash(level, node)).as("node %d at level %d", node, level).isEqualTo(xor);
            }
        }
    }
}

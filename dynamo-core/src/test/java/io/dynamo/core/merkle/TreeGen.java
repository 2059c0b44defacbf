package io.dynamo.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/** Generators, a replica model and an invariant check shared by the merkle properties. */
final class TreeGen {

    private TreeGen() {
    }

    /** Small shapes (at most 256 segments), so a few hundred keys share segments. */
    static Arbitrary<TreeShape> shapes() {
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 4))
                .filter((widthBits, depth) -> widthBits * depth <= 8)
                .as((widthBits, depth) -> new TreeShape(1 << widthBits, depth));
    }

    /** Mostly uniform over all 64 bits, sometimes jqwik's edge-biased values (0, -1, small). */
    static Arbitrary<Long> hashes() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().withDistribution(RandomDistribution.uniform())),
                Tuple.of(1, Arbitraries.longs()));
    }

    /** A replica's contents: key hash to version digest. */
    static Arbitrary<Map<Long, Long>> contents() {
        return Arbitraries.maps(hashes(), hashes()).ofMaxSize(200).map(TreeMap::new);
    }

    enum Kind { ADD, REMOVE, CHANGE }

    /** One change to a replica; {@code selector} picks an existing key or is the new key. */
    record Mutation(Kind kind, long selector, long digest) {
    }

    static Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.of(Kind.class), hashes(), hashes())
                .as(Mutation::new);
        return one.list().ofMaxSize(30);
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

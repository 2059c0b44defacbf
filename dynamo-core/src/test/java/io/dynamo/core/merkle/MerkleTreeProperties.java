package io.dynamo.core.merkle;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.dynamo.core.testing.Gens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class MerkleTreeProperties {

    /** A write to one of a small pool of keys (so keys are overwritten); empty digest deletes. */
    record Write(int key, OptionalLong digest) {
    }

    @Test
    void anUpdateAndItsReverseRestoreEveryNode() {
        qt(1000).forAll(TreeGen.shapes(), TreeGen.contents(), keyPools(), writes())
                .checkAssert((shape, contents, pool, writes) -> {
                    MerkleTree tree = MerkleTree.rebuild(shape, TreeGen.entries(contents));
                    TreeSnapshot before = tree.snapshot();
                    Map<Long, Long> model = new HashMap<>(contents);
                    List<Write> undo = new ArrayList<>();

                    for (Write write : writes) {
                        long key = pool.get(write.key() % pool.size());
                        OptionalLong previous = optional(model.get(key));
                        tree.update(key, previous, write.digest());
                        put(model, key, write.digest());
                        undo.add(new Write(write.key() % pool.size(), previous));
                    }
                    TreeGen.assertConsistent(tree);
                    Collections.reverse(undo);
                    for (Write step : undo) {
                        long key = pool.get(step.key());
                        tree.update(key, optional(model.get(key)), step.digest());
                        put(model, key, step.digest());
                    }

                    assertThat(tree.snapshot()).isEqualTo(before);
                });
    }

    @Test
    void incrementalUpdatesInAnyOrderEqualARebuildOfTheFinalContents() {
        qt(1000).forAll(TreeGen.shapes(), keyPools(), writes(), longs().all())
                .checkAssert((shape, pool, writes, shuffleSeed) -> {
                    MerkleTree live = MerkleTree.empty(shape);
                    Map<Long, Long> model = new HashMap<>();
                    for (Write write : writes) {
                        long key = pool.get(write.key() % pool.size());
                        live.update(key, optional(model.get(key)), write.digest());
                        put(model, key, write.digest());
                    }
                    List<KeyVersion> finalEntries = new ArrayList<>(TreeGen.entries(model));
                    Collections.shuffle(finalEntries, new Random(shuffleSeed));
                    MerkleTree shuffled = MerkleTree.empty(shape);
                    finalEntries.forEach(e -> shuffled.add(e.keyHash(), e.versionDigest()));

                    TreeSnapshot rebuilt = MerkleTree.rebuild(shape, finalEntries).snapshot();
                    assertThat(live.snapshot()).isEqualTo(rebuilt);
                    assertThat(shuffled.snapshot()).isEqualTo(rebuilt);
                    TreeGen.assertConsistent(live);
                });
    }

    @Test
    void aKeyHashLandsInTheSegmentWhoseContiguousRangeCoversIt() {
        qt(1000).forAll(TreeGen.shapes(), TreeGen.hashes()).checkAssert((shape, keyHash) -> {
            int segment = shape.segmentOf(keyHash);

            assertThat(segment).isBetween(0, shape.segments() - 1);
            assertThat(Long.compareUnsigned(shape.firstKeyHash(segment), keyHash)).isLessThanOrEqualTo(0);
            assertThat(Long.compareUnsigned(keyHash, shape.lastKeyHash(segment))).isLessThanOrEqualTo(0);
            if (segment + 1 < shape.segments()) {
                assertThat(shape.lastKeyHash(segment) + 1).isEqualTo(shape.firstKeyHash(segment + 1));
            }
        });
    }

    @Test
    void aSnapshotDoesNotMoveWithTheLiveTree() {
        qt(1000).forAll(TreeGen.shapes(), TreeGen.contents(), TreeGen.hashes(), Gens.longs())
                .checkAssert((shape, contents, key, digest) -> {
                    MerkleTree tree = MerkleTree.rebuild(shape, TreeGen.entries(contents));
                    TreeSnapshot snapshot = tree.snapshot();
                    TreeSnapshot copy = MerkleTree.copyOf(snapshot).snapshot();

                    tree.update(key, optional(contents.get(key)), OptionalLong.of(~contents.getOrDefault(key, digest)));

                    assertThat(snapshot).isEqualTo(copy);
                    assertThat(tree.diff(snapshot)).containsExactly(shape.segmentOf(key));
                });
    }

    private static OptionalLong optional(Long digest) {
        return digest == null ? OptionalLong.empty() : OptionalLong.of(digest);
    }

    private static void put(Map<Long, Long> model, long key, OptionalLong digest) {
        if (digest.isPresent()) {
            model.put(key, digest.getAsLong());
        } else {
            model.remove(key);
        }
    }

    /** Pools of 1 to 40 key hashes that writes pick from. */
    static Gen<List<Long>> keyPools() {
        return lists().of(TreeGen.hashes()).ofSizeBetween(1, 40);
    }

    static Gen<List<Write>> writes() {
        Gen<OptionalLong> digests = Generate.frequency(
                Pair.of(4, TreeGen.hashes().map(OptionalLong::of)),
                Pair.of(1, Generate.constant(OptionalLong.empty())));
        return lists().of(Generate.range(0, 1000).zip(digests, Write::new)).ofSizeBetween(0, 200);
    }
}

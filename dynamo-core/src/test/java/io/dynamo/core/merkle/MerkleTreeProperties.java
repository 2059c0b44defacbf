package io.dynamo.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class MerkleTreeProperties {

    /** A write to one of a small pool of keys (so keys are overwritten); empty digest deletes. */
    record Write(int key, OptionalLong digest) {
    }

    @Property
    void anUpdateAndItsReverseRestoreEveryNode(@ForAll("shapes") TreeShape shape,
            @ForAll("contents") Map<Long, Long> contents, @ForAll("keyPools") List<Long> pool,
            @ForAll("writes") List<Write> writes) {
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
    }

    @Property
    void incrementalUpdatesInAnyOrderEqualARebuildOfTheFinalContents(@ForAll("shapes") TreeShape shape,
            @ForAll("keyPools") List<Long> pool, @ForAll("writes") List<Write> writes, @ForAll Random random) {
        MerkleTree live = MerkleTree.empty(shape);
        Map<Long, Long> model = new HashMap<>();
        for (Write write : writes) {
            long key = pool.get(write.key() % pool.size());
            live.update(key, optional(model.get(key)), write.digest());
            put(model, key, write.digest());
        }
        List<KeyVersion> finalEntries = new ArrayList<>(TreeGen.entries(model));
        Collections.shuffle(finalEntries, random);
        MerkleTree shuffled = MerkleTree.empty(shape);
        finalEntries.forEach(e -> shuffled.add(e.keyHash(), e.versionDigest()));

        TreeSnapshot rebuilt = MerkleTree.rebuild(shape, finalEntries).snapshot();
        assertThat(live.snapshot()).isEqualTo(rebuilt);
        assertThat(shuffled.snapshot()).isEqualTo(rebuilt);
        TreeGen.assertConsistent(live);
    }

    @Property
    void aKeyHashLandsInTheSegmentWhoseContiguousRangeCoversIt(@ForAll("shapes") TreeShape shape,
            @ForAll("hashes") long keyHash) {
        int segment = shape.segmentOf(keyHash);

        assertThat(segment).isBetween(0, shape.segments() - 1);
        assertThat(Long.compareUnsigned(shape.firstKeyHash(segment), keyHash)).isLessThanOrEqualTo(0);
        assertThat(Long.compareUnsigned(keyHash, shape.lastKeyHash(segment))).isLessThanOrEqualTo(0);
        if (segment + 1 < shape.segments()) {
            assertThat(shape.lastKeyHash(segment) + 1).isEqualTo(shape.firstKeyHash(segment + 1));
        }
    }

    @Property
    void aSnapshotDoesNotMoveWithTheLiveTree(@ForAll("shapes") TreeShape shape,
            @ForAll("contents") Map<Long, Long> contents, @ForAll("hashes") long key, @ForAll long digest) {
        MerkleTree tree = MerkleTree.rebuild(shape, TreeGen.entries(contents));
        TreeSnapshot snapshot = tree.snapshot();
        TreeSnapshot copy = MerkleTree.copyOf(snapshot).snapshot();

        tree.update(key, optional(contents.get(key)), OptionalLong.of(~contents.getOrDefault(key, digest)));

        assertThat(snapshot).isEqualTo(copy);
        assertThat(tree.diff(snapshot)).containsExactly(shape.segmentOf(key));
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

    @Provide
    Arbitrary<TreeShape> shapes() {
        return TreeGen.shapes();
    }

    @Provide
    Arbitrary<Map<Long, Long>> contents() {
        return TreeGen.contents();
    }

    @Provide
    Arbitrary<Long> hashes() {
        return TreeGen.hashes();
    }

    @Provide
    Arbitrary<List<Long>> keyPools() {
        return TreeGen.hashes().list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        Arbitrary<OptionalLong> digests = Arbitraries.frequencyOf(
                Tuple.of(4, TreeGen.hashes().map(OptionalLong::of)),
                Tuple.of(1, Arbitraries.just(OptionalLong.empty())));
        return Combinators.combine(Arbitraries.integers().between(0, 1000), digests).as(Write::new)
                .list().ofMaxSize(200);
    }
}

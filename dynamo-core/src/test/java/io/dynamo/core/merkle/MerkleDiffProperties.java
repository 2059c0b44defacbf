package io.dynamo.core.merkle;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MerkleDiffProperties {

    @Test
    void diffNamesExactlyTheSegmentsAndKeysThatDiffer() {
        qt(1000).forAll(TreeGen.shapes(), TreeGen.contents(), TreeGen.mutations())
                .checkAssert((shape, base, mutations) -> {
                    Map<Long, Long> local = base;
                    Map<Long, Long> remote = TreeGen.mutate(base, mutations);
                    MerkleTree localTree = TreeGen.incremental(shape, local);
                    MerkleTree remoteTree = MerkleTree.rebuild(shape, TreeGen.entries(remote));

                    int[] segments = localTree.diff(remoteTree);

                    Set<Long> differingKeys = differingKeys(local, remote);
                    assertThat(segments).containsExactly(
                            differingKeys.stream().mapToInt(shape::segmentOf).distinct().sorted().toArray());
                    List<KeyDelta> deltas = KeyDelta.between(
                            TreeGen.entriesIn(shape, local, segments), TreeGen.entriesIn(shape, remote, segments));
                    assertThat(deltas).extracting(KeyDelta::keyHash).containsExactlyInAnyOrderElementsOf(differingKeys);
                    for (KeyDelta delta : deltas) {
                        assertThat(delta.localDigest().isPresent()).isEqualTo(local.containsKey(delta.keyHash()));
                        assertThat(delta.remoteDigest().isPresent()).isEqualTo(remote.containsKey(delta.keyHash()));
                        delta.localDigest().ifPresent(d -> assertThat(local.get(delta.keyHash())).isEqualTo(d));
                        delta.remoteDigest().ifPresent(d -> assertThat(remote.get(delta.keyHash())).isEqualTo(d));
                    }
                });
    }

    @Test
    void diffIsSymmetric() {
        qt(1000).forAll(TreeGen.shapes(), TreeGen.contents(), TreeGen.mutations())
                .checkAssert((shape, base, mutations) -> {
                    MerkleTree a = MerkleTree.rebuild(shape, TreeGen.entries(base));
                    MerkleTree b = MerkleTree.rebuild(shape, TreeGen.entries(TreeGen.mutate(base, mutations)));

                    assertThat(a.diff(b)).containsExactly(b.diff(a));
                });
    }

    @Test
    void equalContentsGiveEqualRootsAndAnEmptyDiff() {
        qt(1000).forAll(TreeGen.shapes(), TreeGen.contents(), TreeGen.mutations(), longs().all())
                .checkAssert((shape, contents, detour, shuffleSeed) -> {
                    MerkleTree rebuilt = MerkleTree.rebuild(shape, TreeGen.entries(contents));
                    // The other replica takes a detour through other contents, then arrives at the same ones.
                    MerkleTree wandered = TreeGen.incremental(shape, TreeGen.mutate(contents, detour));
                    Map<Long, Long> detoured = TreeGen.mutate(contents, detour);
                    List<Long> keys = new ArrayList<>(new TreeSet<>(union(contents.keySet(), detoured.keySet())));
                    Collections.shuffle(keys, new Random(shuffleSeed));
                    for (long key : keys) {
                        wandered.update(key, optional(detoured.get(key)), optional(contents.get(key)));
                    }

                    assertThat(wandered.root()).isEqualTo(rebuilt.root());
                    assertThat(wandered.snapshot()).isEqualTo(rebuilt.snapshot());
                    assertThat(wandered.diff(rebuilt)).isEmpty();
                    Descent descent = Descent.start(shape).next(rebuilt, wandered.levelHashes(0, new int[] {0}));
                    assertThat(descent.isComplete()).as("in-sync replicas stop after the roots").isTrue();
                });
    }

    @Test
    void theStepwiseExchangeStaysWithinItsCost() {
        qt(1000).forAll(TreeGen.shapes(), TreeGen.contents(), TreeGen.mutations())
                .checkAssert((shape, base, mutations) -> {
                    Map<Long, Long> remote = TreeGen.mutate(base, mutations);
                    MerkleTree local = MerkleTree.rebuild(shape, TreeGen.entries(base));
                    TreeSnapshot peer = MerkleTree.rebuild(shape, TreeGen.entries(remote)).snapshot();
                    int differing = differingKeys(base, remote).size();

                    int roundTrips = 0;
                    long hashesSent = 0;
                    Descent descent = Descent.start(shape);
                    while (!descent.isComplete()) {
                        long[] answer = peer.levelHashes(descent.level(), descent.nodes());
                        roundTrips++;
                        hashesSent += answer.length;
                        descent = descent.next(local, answer);
                    }

                    assertThat(descent.differingSegments()).containsExactly(local.diff(peer));
                    assertThat(roundTrips).isLessThanOrEqualTo(differing == 0 ? 1 : shape.depth() + 1);
                    assertThat(hashesSent).isLessThanOrEqualTo(1 + (long) shape.depth() * differing * shape.width());
                });
    }

    static Set<Long> differingKeys(Map<Long, Long> a, Map<Long, Long> b) {
        Set<Long> keys = new TreeSet<>();
        for (long key : union(a.keySet(), b.keySet())) {
            if (!Objects.equals(a.get(key), b.get(key))) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static Set<Long> union(Set<Long> a, Set<Long> b) {
        Set<Long> union = new TreeSet<>(a);
        union.addAll(b);
        return union;
    }

    private static OptionalLong optional(Long digest) {
        return digest == null ? OptionalLong.empty() : OptionalLong.of(digest);
    }
}

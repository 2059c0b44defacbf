package io.dynamo.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Two replicas of one partition, each with its own tree, as anti-entropy sees them. */
class MerkleExchangeTest {

    private static final TreeShape SHAPE = TreeShape.DEFAULT;

    private final MerkleTree replicaA = MerkleTree.empty(SHAPE);
    private final MerkleTree replicaB = MerkleTree.empty(SHAPE);
    private final List<KeyVersion> storeA = new ArrayList<>();
    private final List<KeyVersion> storeB = new ArrayList<>();

    MerkleExchangeTest() {
        for (long i = 0; i < 1_000; i++) {
            long key = EntryHash.mix(i);
            writeTo(replicaA, storeA, key, i);
            writeTo(replicaB, storeB, key, i);
        }
    }

    @Test
    void replicasInSyncStopAfterComparingRoots() {
        Descent descent = Descent.start(SHAPE);
        descent = descent.next(replicaA, replicaB.levelHashes(descent.level(), descent.nodes()));

        assertThat(descent.isComplete()).isTrue();
        assertThat(descent.differingSegments()).isEmpty();
    }

    @Test
    void oneReplicaMissesOneWriteAndTheDiffNamesExactlyThatSegment() {
        long missed = EntryHash.mix(5_000);
        writeTo(replicaA, storeA, missed, 42);

        int[] segments = replicaA.diff(replicaB);

        assertThat(segments).containsExactly(SHAPE.segmentOf(missed));
        List<KeyDelta> deltas = KeyDelta.between(inSegments(storeA, segments), inSegments(storeB, segments));
        assertThat(deltas).containsExactly(new KeyDelta(missed, OptionalLong.of(42), OptionalLong.empty()));
        assertThat(deltas.get(0).missingRemotely()).isTrue();
    }

    @Test
    void findingOneDifferingKeyTakesOneRoundTripPerLevelAndSixteenHashesEach() {
        long key = EntryHash.mix(7);
        replicaB.update(key, OptionalLong.of(7), OptionalLong.of(8));

        int roundTrips = 0;
        int hashes = 0;
        Descent descent = Descent.start(SHAPE);
        while (!descent.isComplete()) {
            long[] answer = replicaB.snapshot().levelHashes(descent.level(), descent.nodes());
            roundTrips++;
            hashes += answer.length;
            descent = descent.next(replicaA, answer);
        }

        assertThat(roundTrips).isEqualTo(SHAPE.depth() + 1);
        assertThat(hashes).isEqualTo(1 + SHAPE.depth() * SHAPE.width());
        assertThat(descent.differingSegments()).containsExactly(SHAPE.segmentOf(key));
    }

    @Test
    void aDeleteOnOneReplicaShowsAsMissingThereAndAConcurrentWriteAsDifferingDigests() {
        long deleted = EntryHash.mix(1);
        long overwritten = EntryHash.mix(2);
        replicaB.update(deleted, OptionalLong.of(1), OptionalLong.empty());
        storeB.removeIf(e -> e.keyHash() == deleted);
        replicaB.update(overwritten, OptionalLong.of(2), OptionalLong.of(99));
        storeB.replaceAll(e -> e.keyHash() == overwritten ? new KeyVersion(overwritten, 99) : e);

        int[] segments = replicaA.diff(replicaB);
        List<KeyDelta> deltas = KeyDelta.between(inSegments(storeA, segments), inSegments(storeB, segments));

        assertThat(deltas).containsExactlyInAnyOrder(
                new KeyDelta(deleted, OptionalLong.of(1), OptionalLong.empty()),
                new KeyDelta(overwritten, OptionalLong.of(2), OptionalLong.of(99)));
    }

    @Test
    void aWriteRolledBackLeavesTheTreeExactlyAsBefore() {
        TreeSnapshot before = replicaA.snapshot();
        long key = EntryHash.mix(3);

        replicaA.update(key, OptionalLong.of(3), OptionalLong.of(4));
        assertThat(replicaA.root()).isNotEqualTo(before.root());
        replicaA.update(key, OptionalLong.of(4), OptionalLong.of(3));

        assertThat(replicaA.snapshot()).isEqualTo(before);
    }

    @Test
    void aPersistedTreeReopensEqualToARebuildOfTheStore() {
        byte[] persisted = TreeCodec.encode(replicaA);

        TreeSnapshot reopened = TreeCodec.decode(persisted);
        MerkleTree rebuilt = MerkleTree.rebuild(SHAPE, storeA);

        assertThat(reopened).isEqualTo(rebuilt.snapshot());
        assertThat(persisted).hasSizeLessThan(1_000 * 12 + 13);
    }

    @Test
    void aTreeThatDriftedFromItsStoreIsCaughtAtOpenAndOnlyTheDriftedSegmentNeedsRepair() {
        TreeSnapshot persisted = replicaA.snapshot();
        long lostWrite = EntryHash.mix(6_000);
        storeA.add(new KeyVersion(lostWrite, 1)); // reached storage, crashed before the tree was saved

        int[] drifted = persisted.diff(MerkleTree.rebuild(SHAPE, storeA));

        assertThat(drifted).containsExactly(SHAPE.segmentOf(lostWrite));
    }

    @Test
    void treesOfDifferentShapesRefuseToBeCompared() {
        MerkleTree other = MerkleTree.empty(new TreeShape(32, 2));

        assertThatThrownBy(() -> replicaA.diff(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different shapes");
    }

    @Test
    void aPeerAnsweringWithTheWrongNumberOfHashesIsRejected() {
        Descent descent = Descent.start(SHAPE);

        assertThatThrownBy(() -> descent.next(replicaA, new long[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 1 remote hashes");
    }

    private static void writeTo(MerkleTree tree, List<KeyVersion> store, long key, long digest) {
        tree.add(key, digest);
        store.add(new KeyVersion(key, digest));
    }

    private static List<KeyVersion> inSegments(List<KeyVersion> store, int[] segments) {
        List<KeyVersion> entries = new ArrayList<>();
        for (int segment : segments) {
            for (KeyVersion e : store) {
                if (SHAPE.segmentOf(e.keyHash()) == segment) {
                    entries.add(e);
                }
            }
        }
        return entries;
    }
}

package io.dynamo.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.merkle.TreeSnapshot;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fault-injecting decorator: with no fault armed it is the wrapped engine (so it runs the
 * whole contract), and each fault does what it says and no more.
 */
class FaultyStorageEngineTest extends CrashContract {

    @Override
    protected StorageEngine createEngine(StorageLimits limits) {
        return new FaultyStorageEngine(InMemoryStorageEngine.create(limits, TreeShape.DEFAULT));
    }

    @Override
    protected StorageEngine reopen(StorageEngine closed) {
        return crash(closed);
    }

    @Override
    protected StorageEngine crash(StorageEngine engine) {
        InMemoryStorageEngine inner = (InMemoryStorageEngine) ((FaultyStorageEngine) engine).delegate();
        return new FaultyStorageEngine(inner.crash());
    }

    private FaultyStorageEngine faulty() {
        return (FaultyStorageEngine) engine();
    }

    private static void assertFails(StorageException.Kind kind, Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    @Test
    void theNextWritesFailWithIoAndChangeNothingThenWritesWorkAgain() {
        FaultyStorageEngine engine = faulty();
        Siblings<Content> before = engine.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A,
                Durability.DURABLE).state();
        TreeSnapshot tree = engine.merkleTree(P);
        engine.failNextWrites(3, StorageException.Kind.IO);

        assertFails(StorageException.Kind.IO,
                () -> engine.update(P, key("k"), VersionVector.empty(), text("w"), NODE_A, Durability.DURABLE));
        assertFails(StorageException.Kind.IO, () -> engine.merge(P, key("k"),
                Siblings.<Content>empty().update(VersionVector.empty(), text("r"), NODE_B), Durability.BUFFERED));
        assertFails(StorageException.Kind.IO, () -> engine.removeIfUnchanged(P, key("k"), before));

        assertThat(engine.get(P, key("k"))).isEqualTo(before);
        assertThat(engine.merkleTree(P)).isEqualTo(tree);
        assertThat(engine.injectedFaults()).isEqualTo(3);
        assertThat(engine.pendingWriteFailures()).isZero();
        engine.update(P, key("k"), before.context(), text("w"), NODE_A, Durability.DURABLE);
        assertThat(values(engine.get(P, key("k")))).containsExactly("w");
    }

    @Test
    void aFullDiskRefusesHintsMetadataAndDropsButStillServesReads() {
        FaultyStorageEngine engine = faulty();
        engine.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A, Durability.DURABLE);
        Hint hint = engine.hints().append(TARGET_1, P, key("h"),
                Siblings.<Content>empty().update(VersionVector.empty(), text("h"), NODE_A));
        engine.failNextWrites(5, StorageException.Kind.DISK_FULL);

        assertFails(StorageException.Kind.DISK_FULL, () -> engine.hints().append(TARGET_2, P, key("h"), hint.state()));
        assertFails(StorageException.Kind.DISK_FULL, () -> engine.hints().delete(TARGET_1, key("h"), hint.sequence()));
        assertFails(StorageException.Kind.DISK_FULL, () -> engine.metadata().put("x", new byte[1]));
        assertFails(StorageException.Kind.DISK_FULL, () -> engine.metadata().delete("x"));
        assertFails(StorageException.Kind.DISK_FULL, () -> engine.dropPartition(P));

        assertThat(values(engine.get(P, key("k")))).containsExactly("v");
        assertThat(engine.scan(P, null, 10)).hasSize(1);
        assertThat(engine.hints().list(TARGET_1, null, 10)).containsExactly(hint);
        assertThat(engine.hints().countsByTarget()).containsOnlyKeys(TARGET_1);
        assertThat(engine.metadata().get("x")).isEmpty();
    }

    @Test
    void badInputIsStillAnIllegalArgumentAndConsumesNoFault() {
        FaultyStorageEngine engine = (FaultyStorageEngine) engine(new StorageLimits(8, 8, 2));
        engine.failNextWrites(1, StorageException.Kind.IO);

        assertThatThrownBy(() -> engine.update(P, key("much too long"), VersionVector.empty(), text("v"), NODE_A,
                Durability.DURABLE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.update(P, key("k"), VersionVector.empty(), text("value too long"), NODE_A,
                Durability.DURABLE)).isInstanceOf(IllegalArgumentException.class);

        assertThat(engine.pendingWriteFailures()).isEqualTo(1);
        assertThat(engine.injectedFaults()).isZero();
    }

    @Test
    void onlyIoAndDiskFullAreWriteFaults() {
        FaultyStorageEngine engine = faulty();
        assertThatThrownBy(() -> engine.failNextWrites(1, StorageException.Kind.CLOSED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.failNextWrites(-1, StorageException.Kind.IO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedSyncAppliesTheWriteButFailsItsDurability() {
        FaultyStorageEngine engine = faulty();
        engine.failNextSyncs(1);

        WriteResult buffered = engine.update(P, key("b"), VersionVector.empty(), text("b"), NODE_A,
                Durability.BUFFERED);
        WriteResult durable = engine.update(P, key("d"), VersionVector.empty(), text("d"), NODE_A,
                Durability.DURABLE);
        WriteResult next = engine.update(P, key("e"), VersionVector.empty(), text("e"), NODE_A, Durability.DURABLE);

        assertThat(buffered.durable()).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(durable.durable()).failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(StorageException.class);
        assertThat(next.durable()).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(values(engine.get(P, key("d")))).containsExactly("d");
    }

    @Test
    void aSilentlyLostKeyIsGoneAndItsReplicasTreesNowDifferInItsSegment() {
        FaultyStorageEngine engine = faulty();
        StorageEngine replica = engine();
        for (int i = 0; i < 50; i++) {
            Siblings<Content> s = engine.update(P, key("k" + i), VersionVector.empty(), text("v" + i), NODE_A,
                    Durability.DURABLE).state();
            replica.merge(P, key("k" + i), s, Durability.DURABLE);
        }
        assertThat(engine.merkleTree(P)).isEqualTo(replica.merkleTree(P));

        assertThat(engine.loseKey(P, key("k7"))).isTrue();

        assertThat(engine.get(P, key("k7"))).isEqualTo(Siblings.empty());
        TreeSnapshot mine = engine.merkleTree(P);
        int segment = mine.shape().segmentOf(key("k7").keyHash());
        assertThat(mine.diff(replica.merkleTree(P))).containsExactly(segment);
        assertThat(engine.loseKey(P, key("k7"))).as("nothing left to lose").isFalse();
        assertThat(engine.injectedFaults()).isZero();
    }

    @Test
    void theOffSwitchPassesEverythingThroughAndArmedFaultsWait() {
        FaultyStorageEngine engine = faulty();
        engine.failNextWrites(1, StorageException.Kind.IO);
        engine.failNextSyncs(1);
        engine.setEnabled(false);

        WriteResult w = engine.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A, Durability.DURABLE);
        assertThat(w.durable()).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(engine.isEnabled()).isFalse();
        assertThat(engine.pendingWriteFailures()).isEqualTo(1);

        engine.setEnabled(true);
        assertFails(StorageException.Kind.IO, () -> engine.metadata().put("x", new byte[1]));

        engine.clearFaults();
        WriteResult after = engine.update(P, key("k"), VersionVector.empty(), text("v2"), NODE_A, Durability.DURABLE);
        assertThat(after.durable()).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(engine.injectedFaults()).isEqualTo(1);
    }

    @Test
    void theDelegateIsTheWrappedEngine() {
        InMemoryStorageEngine inner = InMemoryStorageEngine.create();
        FaultyStorageEngine engine = new FaultyStorageEngine(inner);
        track(engine);
        assertThat(engine.delegate()).isSameAs(inner);
        assertThat(engine.limits()).isEqualTo(inner.limits());
    }
}

package io.dynamo.core.storage;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The in-memory engine against the storage contract, and its crash model. */
class InMemoryStorageEngineTest extends CrashContract {

    @Override
    protected StorageEngine createEngine(StorageLimits limits) {
        return InMemoryStorageEngine.create(limits, TreeShape.DEFAULT);
    }

    @Override
    protected StorageEngine reopen(StorageEngine closed) {
        return ((InMemoryStorageEngine) closed).crash();
    }

    @Override
    protected StorageEngine crash(StorageEngine engine) {
        return ((InMemoryStorageEngine) engine).crash();
    }

    private InMemoryStorageEngine memory() {
        return (InMemoryStorageEngine) engine();
    }

    private InMemoryStorageEngine crashed(InMemoryStorageEngine engine) {
        untrack(engine);
        InMemoryStorageEngine recovered = engine.crash();
        track(recovered);
        return recovered;
    }

    @Test
    void bufferedWritesSinceTheLastFlushVanishInACrashAndNothingElseDoes() {
        InMemoryStorageEngine engine = memory();
        Siblings<Content> durable = engine.update(P, key("durable"), VersionVector.empty(), text("d"), NODE_A,
                Durability.DURABLE).state();
        Siblings<Content> flushed = engine.update(P, key("flushed"), VersionVector.empty(), text("f"), NODE_A,
                Durability.BUFFERED).state();
        engine.flush();
        engine.update(P, key("durable"), durable.context(), text("d2"), NODE_A, Durability.BUFFERED);
        engine.update(P, key("lost"), VersionVector.empty(), text("l"), NODE_A, Durability.BUFFERED);
        engine.merge(Q, key("lost too"), Siblings.<Content>empty().update(VersionVector.empty(), text("m"), NODE_B),
                Durability.BUFFERED);
        assertThat(engine.unflushedKeys()).isEqualTo(3);

        InMemoryStorageEngine recovered = crashed(engine);

        assertThat(recovered.get(P, key("durable"))).isEqualTo(durable);
        assertThat(recovered.get(P, key("flushed"))).isEqualTo(flushed);
        assertThat(recovered.get(P, key("lost"))).isEqualTo(Siblings.empty());
        assertThat(recovered.partitions()).containsExactly(P);
        assertThat(recovered.unflushedKeys()).isZero();
        assertTreesMatchContents(recovered);
    }

    @Test
    void aDurableWriteAlsoPersistsTheBufferedWritesToItsKeyThatItIncludes() {
        InMemoryStorageEngine engine = memory();
        engine.update(P, key("k"), VersionVector.empty(), text("buffered"), NODE_A, Durability.BUFFERED);
        Siblings<Content> both = engine.update(P, key("k"), VersionVector.empty(), text("durable"), NODE_B,
                Durability.DURABLE).state();

        assertThat(values(crashed(engine).get(P, key("k")))).containsExactlyInAnyOrder("buffered", "durable");
        assertThat(both.size()).isEqualTo(2);
    }

    @Test
    void anUnflushedPurgeComesBackAfterACrashAndAFlushedOneDoesNot() {
        InMemoryStorageEngine engine = memory();
        Siblings<Content> a = engine.update(P, key("a"), VersionVector.empty(), Content.tombstone(1), NODE_A,
                Durability.DURABLE).state();
        Siblings<Content> b = engine.update(P, key("b"), VersionVector.empty(), Content.tombstone(1), NODE_A,
                Durability.DURABLE).state();
        engine.removeIfUnchanged(P, key("a"), a);
        engine.flush();
        engine.removeIfUnchanged(P, key("b"), b);

        InMemoryStorageEngine recovered = crashed(engine);

        assertThat(recovered.get(P, key("a"))).isEqualTo(Siblings.empty());
        assertThat(recovered.get(P, key("b"))).isEqualTo(b);
    }

    @Test
    void aDroppedPartitionStaysDroppedAfterACrash() {
        InMemoryStorageEngine engine = memory();
        engine.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A, Durability.DURABLE);
        engine.update(Q, key("k"), VersionVector.empty(), text("v"), NODE_A, Durability.DURABLE);
        engine.dropPartition(P);

        assertThat(crashed(engine).partitions()).containsExactly(Q);
    }

    @Test
    void hintsAndMetadataAreDurableWithoutAFlush() {
        InMemoryStorageEngine engine = memory();
        Hint hint = engine.hints().append(TARGET_1, P, key("k"),
                Siblings.<Content>empty().update(VersionVector.empty(), text("h"), NODE_A));
        engine.metadata().put("incarnation", new byte[] {1});

        InMemoryStorageEngine recovered = crashed(engine);

        assertThat(recovered.hints().list(TARGET_1, null, 10)).containsExactly(hint);
        assertThat(recovered.metadata().get("incarnation")).isPresent();
    }

    @Test
    void theCrashedInstanceRefusesCallsAndLeavesTheNewOneAlone() {
        InMemoryStorageEngine engine = memory();
        HintStore oldHints = engine.hints();
        InMemoryStorageEngine recovered = crashed(engine);

        assertThat(engine.isClosed()).isTrue();
        assertThatThrownBy(() -> engine.get(P, key("k"))).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> oldHints.countsByTarget()).isInstanceOf(StorageException.class);
        assertThat(recovered.isClosed()).isFalse();
        recovered.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A, Durability.BUFFERED);
    }

    @Test
    void everyWriteFutureIsCompleteWhenTheCallReturns() {
        InMemoryStorageEngine engine = memory();
        for (Durability d : Durability.values()) {
            assertThat(engine.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A, d).durable()).isDone();
            assertThat(engine.merge(P, key("m" + d), Siblings.<Content>empty().update(VersionVector.empty(), text("v"),
                    NODE_B), d).durable()).isCompletedWithValue(null);
        }
    }

    // ------------------------------------------------------------ crash model property

    /** kind: 0-3 update, 4 merge, 5 purge, 6 flush, 7 crash. */
    record Step(int kind, int key, boolean durable) {
    }

    static Gen<List<Step>> steps() {
        return lists().of(Generate.range(0, 7).zip(Generate.range(0, 4), Generate.booleans(), Step::new))
                .ofSizeBetween(0, 60);
    }

    /**
     * Against a model that keeps, per key, the live state and the state on "disk": a durable
     * write persists its key, a flush persists everything, a crash keeps the disk only.
     */
    @Test
    void aCrashKeepsExactlyWhatWasDurableOrFlushed() {
        qt(200).forAll(steps()).checkAssert(steps -> {
            InMemoryStorageEngine engine = InMemoryStorageEngine.create(StorageLimits.DEFAULTS, TreeShape.DEFAULT);
            Map<StoredKey, Siblings<Content>> live = new TreeMap<>();
            Map<StoredKey, Siblings<Content>> disk = new HashMap<>();
            int serial = 0;
            for (Step s : steps) {
                StoredKey k = key("k" + s.key());
                Durability d = s.durable() ? Durability.DURABLE : Durability.BUFFERED;
                Siblings<Content> current = live.getOrDefault(k, Siblings.empty());
                switch (s.kind()) {
                    case 0, 1, 2, 3 -> {
                        VersionVector ctx = s.kind() % 2 == 0 ? current.context() : VersionVector.empty();
                        live.put(k, engine.update(P, k, ctx, text("v" + serial++), s.kind() < 2 ? NODE_A : NODE_B, d)
                                .state());
                        if (s.durable()) {
                            disk.put(k, live.get(k));
                        }
                    }
                    case 4 -> {
                        Siblings<Content> remote = Siblings.<Content>empty().update(VersionVector.empty(),
                                text("r" + serial++), new io.dynamo.core.versioning.ActorId("remote", serial));
                        live.put(k, engine.merge(P, k, remote, d).state());
                        if (s.durable()) {
                            disk.put(k, live.get(k));
                        }
                    }
                    case 5 -> {
                        if (engine.removeIfUnchanged(P, k, current)) {
                            live.remove(k);
                        }
                    }
                    case 6 -> {
                        engine.flush();
                        disk.clear();
                        disk.putAll(live);
                    }
                    default -> {
                        engine = engine.crash();
                        live.clear();
                        live.putAll(disk);
                    }
                }
            }
            InMemoryStorageEngine recovered = engine.crash();
            for (int i = 0; i < 5; i++) {
                assertThat(recovered.get(P, key("k" + i))).isEqualTo(disk.getOrDefault(key("k" + i), Siblings.empty()));
            }
            assertTreesMatchContents(recovered);
            recovered.close();
        });
    }
}

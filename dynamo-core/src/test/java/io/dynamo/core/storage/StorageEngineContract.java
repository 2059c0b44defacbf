package io.dynamo.core.storage;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.merkle.KeyVersion;
import io.dynamo.core.merkle.MerkleTree;
import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.merkle.TreeSnapshot;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Dot;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.core.versioning.Versioned;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * The behaviour every {@link StorageEngine} must show, written once and run against each engine.
 * To check an engine, extend this class in a class named {@code ...Test} and implement
 * {@link #createEngine(StorageLimits)} and {@link #reopen(StorageEngine)}. Engines that can
 * simulate a crash in process extend {@link CrashContract} instead, which adds the crash tests;
 * a durable engine proves crash safety with a real killed process instead. No test here is ever
 * skipped: an engine runs every test of the contract it extends.
 *
 * <p>Other modules get this class from the {@code io.dynamo:dynamo-core:test-jar} artifact.
 *
 * <p>After every test, each engine the test opened (and did not close) must have Merkle trees
 * equal to trees rebuilt from its contents; {@link #assertTreesMatchContents} is the check.
 */
public abstract class StorageEngineContract {

    protected static final int P = 3;
    protected static final int Q = 11;
    protected static final ActorId NODE_A = new ActorId("node-a", 1);
    protected static final ActorId NODE_B = new ActorId("node-b", 2);
    protected static final ActorId NODE_C = new ActorId("node-c", 3);
    protected static final NodeId TARGET_1 = NodeId.of("node-1");
    protected static final NodeId TARGET_2 = NodeId.of("node-2");
    private static final String TOMBSTONE = "<tombstone>";

    private final List<StorageEngine> opened = new ArrayList<>();

    // ---------------------------------------------------------------- hooks

    /** A fresh, empty engine enforcing {@code limits}. Called several times in some tests. */
    protected abstract StorageEngine createEngine(StorageLimits limits);

    /** Opens again the data of {@code closed}, which was {@link StorageEngine#close() closed}. */
    protected abstract StorageEngine reopen(StorageEngine closed);

    // ---------------------------------------------------------------- helpers

    /** A fresh engine with the default limits, checked and closed after the test. */
    protected final StorageEngine engine() {
        return engine(StorageLimits.DEFAULTS);
    }

    /** A fresh engine with {@code limits}, checked and closed after the test. */
    protected final StorageEngine engine(StorageLimits limits) {
        return track(createEngine(limits));
    }

    /** Has the after-test check cover {@code engine} (e.g. one returned by reopen). */
    protected final StorageEngine track(StorageEngine engine) {
        opened.add(engine);
        return engine;
    }

    /** Takes {@code engine} out of the after-test check (because the test closed or crashed it). */
    protected final void untrack(StorageEngine engine) {
        opened.remove(engine);
    }

    @AfterEach
    void everyTreeMatchesItsContentsAndEnginesClose() {
        try {
            for (StorageEngine e : opened) {
                assertTreesMatchContents(e);
            }
        } finally {
            for (StorageEngine e : opened) {
                e.close();
            }
            opened.clear();
        }
    }

    protected static StoredKey key(String name) {
        return StoredKey.of("ns", name.getBytes(StandardCharsets.UTF_8));
    }

    protected static Content text(String value) {
        return Content.of(value.getBytes(StandardCharsets.UTF_8), "text/plain", 1_000L);
    }

    /** The key's values as strings, tombstones as {@code <tombstone>}, in dot order. */
    protected static List<String> values(Siblings<Content> state) {
        return state.values().stream()
                .map(v -> v.value().isTombstone() ? TOMBSTONE : new String(v.value().value(), StandardCharsets.UTF_8))
                .toList();
    }

    /** Every entry of the partition, paging through {@link StorageEngine#scan}. */
    protected static List<StoredEntry> scanAll(StorageEngine engine, int partition, int pageSize) {
        List<StoredEntry> out = new ArrayList<>();
        StoredKey after = null;
        while (true) {
            List<StoredEntry> page = engine.scan(partition, after, pageSize);
            assertThat(page.size()).isLessThanOrEqualTo(pageSize);
            out.addAll(page);
            if (page.size() < pageSize) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    /** The tree a partition with these entries must have. */
    protected static TreeSnapshot rebuilt(TreeShape shape, Iterable<StoredEntry> entries) {
        List<KeyVersion> kv = new ArrayList<>();
        for (StoredEntry e : entries) {
            kv.add(new KeyVersion(e.key().keyHash(), e.state().versionDigest()));
        }
        return MerkleTree.rebuild(shape, kv).snapshot();
    }

    /**
     * Checks that the Merkle tree of every partition the engine lists, and of the partitions the
     * tests use, equals the tree rebuilt from the partition's scanned contents.
     */
    protected static void assertTreesMatchContents(StorageEngine engine) {
        Set<Integer> partitions = new TreeSet<>(engine.partitions());
        for (int p = 0; p < 16; p++) {
            partitions.add(p);
        }
        for (int p : partitions) {
            TreeSnapshot actual = engine.merkleTree(p);
            List<StoredEntry> contents = scanAll(engine, p, 1000);
            assertThat(actual).as("Merkle tree of partition %d", p).isEqualTo(rebuilt(actual.shape(), contents));
            assertThat(engine.partitions().contains(p)).as("partitions() lists %d", p).isEqualTo(!contents.isEmpty());
        }
    }

    private static void assertClosed(Runnable call) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CLOSED));
    }

    protected static Siblings<Content> remote(ActorId actor, String... values) {
        Siblings<Content> s = Siblings.empty();
        for (String v : values) {
            s = s.update(VersionVector.empty(), text(v), actor);
        }
        return s;
    }

    // ---------------------------------------------------------------- update

    @Test
    void aBlindWriteToANewKeyIsStoredUnderTheCoordinatorsFirstDot() {
        StorageEngine engine = engine();

        WriteResult result = engine.update(P, key("cart"), VersionVector.empty(), text("milk"), NODE_A, Durability.DURABLE);

        assertThat(result.changed()).isTrue();
        assertThat(values(result.state())).containsExactly("milk");
        assertThat(result.state().values()).extracting(Versioned::dot).containsExactly(new Dot(NODE_A, 1));
        assertThat(engine.get(P, key("cart"))).isEqualTo(result.state());
        assertThat(engine.get(P, key("other"))).isEqualTo(Siblings.empty());
    }

    @Test
    void eachWriteThroughACoordinatorGetsTheNextDot() {
        StorageEngine engine = engine();

        engine.update(P, key("k"), VersionVector.empty(), text("one"), NODE_A, Durability.BUFFERED);
        VersionVector read = engine.get(P, key("k")).context();
        WriteResult second = engine.update(P, key("k"), read, text("two"), NODE_A, Durability.BUFFERED);

        assertThat(second.state().values()).extracting(Versioned::dot).containsExactly(new Dot(NODE_A, 2));
        assertThat(values(second.state())).containsExactly("two");
    }

    @Test
    void concurrentBlindWritesBecomeSiblings() {
        StorageEngine engine = engine();

        engine.update(P, key("cart"), VersionVector.empty(), text("milk"), NODE_A, Durability.BUFFERED);
        engine.update(P, key("cart"), VersionVector.empty(), text("eggs"), NODE_A, Durability.BUFFERED);
        engine.update(P, key("cart"), VersionVector.empty(), text("flour"), NODE_B, Durability.BUFFERED);

        assertThat(values(engine.get(P, key("cart")))).containsExactlyInAnyOrder("milk", "eggs", "flour");
    }

    @Test
    void aWriteDiscardsExactlyTheValuesItsContextCovers() {
        StorageEngine engine = engine();
        engine.update(P, key("cart"), VersionVector.empty(), text("milk"), NODE_A, Durability.BUFFERED);
        engine.update(P, key("cart"), VersionVector.empty(), text("eggs"), NODE_B, Durability.BUFFERED);
        VersionVector read = engine.get(P, key("cart")).context();
        // A write the reader never saw arrives between its read and its write.
        engine.update(P, key("cart"), VersionVector.empty(), text("flour"), NODE_A, Durability.BUFFERED);

        WriteResult result = engine.update(P, key("cart"), read, text("milk+eggs"), NODE_B, Durability.BUFFERED);

        assertThat(values(result.state())).containsExactlyInAnyOrder("flour", "milk+eggs");
        assertThat(engine.get(P, key("cart"))).isEqualTo(result.state());
    }

    @Test
    void aWriteWithAContextCoveringEverySiblingResolvesThemToOne() {
        StorageEngine engine = engine();
        engine.update(P, key("cart"), VersionVector.empty(), text("milk"), NODE_A, Durability.BUFFERED);
        engine.update(P, key("cart"), VersionVector.empty(), text("eggs"), NODE_B, Durability.BUFFERED);

        WriteResult result = engine.update(P, key("cart"), engine.get(P, key("cart")).context(), text("both"),
                NODE_C, Durability.DURABLE);

        assertThat(values(result.state())).containsExactly("both");
    }

    @Test
    void theEngineAppliesExactlyTheSiblingsUpdateOfTheStoredState() {
        StorageEngine engine = engine();
        Siblings<Content> expected = Siblings.empty();
        for (int i = 0; i < 20; i++) {
            VersionVector context = i % 3 == 0 ? VersionVector.empty() : expected.context();
            ActorId actor = i % 2 == 0 ? NODE_A : NODE_B;
            expected = expected.update(context, text("v" + i), actor);
            engine.update(P, key("k"), context, text("v" + i), actor, Durability.BUFFERED);
        }
        assertThat(engine.get(P, key("k"))).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- merge

    @Test
    void aReplicaStateMergesIntoAnEmptyKeyAsIs() {
        StorageEngine engine = engine();
        Siblings<Content> replica = remote(NODE_B, "x", "y");

        WriteResult result = engine.merge(P, key("k"), replica, Durability.DURABLE);

        assertThat(result.changed()).isTrue();
        assertThat(result.state()).isEqualTo(replica);
        assertThat(engine.get(P, key("k"))).isEqualTo(replica);
    }

    @Test
    void aConcurrentReplicaStateMergesIntoSiblings() {
        StorageEngine engine = engine();
        Siblings<Content> local = engine.update(P, key("k"), VersionVector.empty(), text("local"), NODE_A,
                Durability.BUFFERED).state();
        Siblings<Content> replica = remote(NODE_B, "remote");

        WriteResult result = engine.merge(P, key("k"), replica, Durability.BUFFERED);

        assertThat(result.changed()).isTrue();
        assertThat(result.state()).isEqualTo(local.sync(replica));
        assertThat(values(engine.get(P, key("k")))).containsExactlyInAnyOrder("local", "remote");
    }

    @Test
    void mergingTheSameStateTwiceChangesNothingTheSecondTime() {
        StorageEngine engine = engine();
        engine.update(P, key("k"), VersionVector.empty(), text("local"), NODE_A, Durability.BUFFERED);
        Siblings<Content> replica = remote(NODE_B, "remote");
        Siblings<Content> first = engine.merge(P, key("k"), replica, Durability.BUFFERED).state();
        TreeSnapshot tree = engine.merkleTree(P);

        WriteResult again = engine.merge(P, key("k"), replica, Durability.BUFFERED);

        assertThat(again.changed()).isFalse();
        assertThat(again.state()).isEqualTo(first);
        assertThat(engine.get(P, key("k"))).isEqualTo(first);
        assertThat(engine.merkleTree(P)).isEqualTo(tree);
        assertThat(again.durable()).succeedsWithin(10, TimeUnit.SECONDS);
    }

    @Test
    void aStaleReplicaMergeChangesNothing() {
        StorageEngine engine = engine();
        Siblings<Content> old = engine.update(P, key("k"), VersionVector.empty(), text("old"), NODE_A,
                Durability.BUFFERED).state();
        Siblings<Content> current = engine.update(P, key("k"), old.context(), text("new"), NODE_A,
                Durability.BUFFERED).state();
        TreeSnapshot tree = engine.merkleTree(P);

        WriteResult result = engine.merge(P, key("k"), old, Durability.DURABLE);

        assertThat(result.changed()).isFalse();
        assertThat(result.state()).isEqualTo(current);
        assertThat(values(engine.get(P, key("k")))).containsExactly("new");
        assertThat(engine.merkleTree(P)).isEqualTo(tree);
    }

    @Test
    void aNewerReplicaStateReplacesTheOlderOne() {
        StorageEngine engine = engine();
        Siblings<Content> old = engine.update(P, key("k"), VersionVector.empty(), text("old"), NODE_A,
                Durability.BUFFERED).state();
        Siblings<Content> newer = old.update(old.context(), text("newer"), NODE_B);

        WriteResult result = engine.merge(P, key("k"), newer, Durability.BUFFERED);

        assertThat(result.changed()).isTrue();
        assertThat(engine.get(P, key("k"))).isEqualTo(newer);
    }

    @Test
    void mergingAnEmptyStateChangesNothing() {
        StorageEngine engine = engine();

        WriteResult result = engine.merge(P, key("k"), Siblings.empty(), Durability.BUFFERED);

        assertThat(result.changed()).isFalse();
        assertThat(engine.get(P, key("k"))).isEqualTo(Siblings.empty());
        assertThat(engine.partitions()).isEmpty();
    }

    @Test
    void aStateWithOnlyAContextIsKeptSoDiscardedValuesDoNotReturn() {
        StorageEngine engine = engine();
        Siblings<Content> written = remote(NODE_B, "gone");
        Siblings<Content> forgotten = written.discard(written.context());

        engine.merge(P, key("k"), forgotten, Durability.BUFFERED);
        WriteResult late = engine.merge(P, key("k"), written, Durability.BUFFERED);

        assertThat(late.changed()).isFalse();
        assertThat(engine.get(P, key("k"))).isEqualTo(forgotten);
        assertThat(engine.get(P, key("k")).isEmpty()).isTrue();
        assertThat(engine.scan(P, null, 10)).extracting(StoredEntry::key).containsExactly(key("k"));
    }

    @Test
    void aReplicaThatDiscardedAValueRemovesItHereToo() {
        StorageEngine engine = engine();
        Siblings<Content> written = engine.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A,
                Durability.BUFFERED).state();
        Siblings<Content> discarded = written.discard(written.context());

        WriteResult result = engine.merge(P, key("k"), discarded, Durability.BUFFERED);

        assertThat(result.changed()).isTrue();
        assertThat(result.state()).isEqualTo(discarded);
        assertThat(engine.get(P, key("k")).isEmpty()).isTrue();
    }

    // ---------------------------------------------------------------- tombstones

    @Test
    void aDeleteIsStoredAsATombstoneAndReturnedByReadsAndScans() {
        StorageEngine engine = engine();
        Siblings<Content> written = engine.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A,
                Durability.BUFFERED).state();

        WriteResult deleted = engine.update(P, key("k"), written.context(), Content.tombstone(2_000L), NODE_A,
                Durability.DURABLE);

        assertThat(values(deleted.state())).containsExactly(TOMBSTONE);
        Siblings<Content> stored = engine.get(P, key("k"));
        assertThat(stored.values()).singleElement().satisfies(v -> {
            assertThat(v.value().isTombstone()).isTrue();
            assertThat(v.value().timestampMillis()).isEqualTo(2_000L);
        });
        assertThat(engine.scan(P, null, 10)).extracting(StoredEntry::key).containsExactly(key("k"));
    }

    @Test
    void aTombstoneReplicatesByMergeAndSupersedesWhatItCovers() {
        StorageEngine replica = engine();
        StorageEngine coordinator = engine();
        Siblings<Content> written = coordinator.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A,
                Durability.BUFFERED).state();
        replica.merge(P, key("k"), written, Durability.BUFFERED);
        Siblings<Content> deleted = coordinator.update(P, key("k"), written.context(), Content.tombstone(5L), NODE_A,
                Durability.BUFFERED).state();

        replica.merge(P, key("k"), deleted, Durability.BUFFERED);

        assertThat(replica.get(P, key("k"))).isEqualTo(deleted);
        assertThat(replica.merkleTree(P)).isEqualTo(coordinator.merkleTree(P));
    }

    // ---------------------------------------------------------------- removeIfUnchanged

    @Test
    void aPurgeRemovesTheKeyWhenItsStateIsUnchanged() {
        StorageEngine engine = engine();
        engine.update(P, key("keep"), VersionVector.empty(), text("v"), NODE_A, Durability.BUFFERED);
        TreeSnapshot withoutPurged = engine.merkleTree(P);
        Siblings<Content> v = engine.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A,
                Durability.BUFFERED).state();
        Siblings<Content> tombstone = engine.update(P, key("k"), v.context(), Content.tombstone(1L), NODE_A,
                Durability.BUFFERED).state();

        boolean removed = engine.removeIfUnchanged(P, key("k"), tombstone);

        assertThat(removed).isTrue();
        assertThat(engine.get(P, key("k"))).isEqualTo(Siblings.empty());
        assertThat(engine.scan(P, null, 10)).extracting(StoredEntry::key).containsExactly(key("keep"));
        assertThat(engine.merkleTree(P)).isEqualTo(withoutPurged);
    }

    @Test
    void aKeyWrittenAgainAfterItsPurgeNeverGetsADotItHadBefore() {
        StorageEngine engine = engine();
        Siblings<Content> v = engine.update(P, key("k"), VersionVector.empty(), text("old"), NODE_A,
                Durability.BUFFERED).state();
        Siblings<Content> tombstone = engine.update(P, key("k"), v.context(), Content.tombstone(1L), NODE_A,
                Durability.BUFFERED).state();
        VersionVector beforeTheDelete = v.context(); // what a slow client still holds
        assertThat(engine.removeIfUnchanged(P, key("k"), tombstone)).isTrue();

        Siblings<Content> again = engine.update(P, key("k"), VersionVector.empty(), text("new"), NODE_A,
                Durability.BUFFERED).state();

        long counter = again.values().get(0).dot().counter();
        assertThat(counter).as("above every counter issued for the key before the purge")
                .isGreaterThan(tombstone.context().counter(NODE_A));
        assertThat(beforeTheDelete.covers(again.values().get(0).dot()))
                .as("a context read before the delete cannot discard the new write").isFalse();
        // The same holds for a key in another partition, and after a dropped partition.
        engine.dropPartition(P);
        Siblings<Content> afterDrop = engine.update(P, key("k"), VersionVector.empty(), text("newer"), NODE_A,
                Durability.BUFFERED).state();
        assertThat(afterDrop.values().get(0).dot().counter()).isGreaterThan(counter);
    }

    @Test
    void aPurgeRacedByANewerWriteRemovesNothing() {
        StorageEngine engine = engine();
        Siblings<Content> tombstone = engine.update(P, key("k"), VersionVector.empty(), Content.tombstone(1L), NODE_A,
                Durability.BUFFERED).state();
        Siblings<Content> rewritten = engine.update(P, key("k"), tombstone.context(), text("back"), NODE_B,
                Durability.BUFFERED).state();

        assertThat(engine.removeIfUnchanged(P, key("k"), tombstone)).isFalse();
        assertThat(engine.get(P, key("k"))).isEqualTo(rewritten);
    }

    @Test
    void purgingAKeyThatIsNotStoredRemovesNothing() {
        StorageEngine engine = engine();
        Siblings<Content> elsewhere = remote(NODE_A, "v");

        assertThat(engine.removeIfUnchanged(P, key("k"), elsewhere)).isFalse();
        assertThat(engine.removeIfUnchanged(P, key("k"), Siblings.empty())).isFalse();
        engine.merge(Q, key("k"), elsewhere, Durability.BUFFERED);
        assertThat(engine.removeIfUnchanged(P, key("k"), elsewhere)).as("same key, other partition").isFalse();
        assertThat(engine.get(Q, key("k"))).isEqualTo(elsewhere);
    }

    // ---------------------------------------------------------------- scans

    protected static List<StoredKey> writeKeys(StorageEngine engine, int partition, String prefix, int n) {
        List<StoredKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StoredKey k = key(prefix + i);
            engine.update(partition, k, VersionVector.empty(), text(prefix + i), NODE_A, Durability.BUFFERED);
            keys.add(k);
        }
        return keys;
    }

    @Test
    void aScanListsEveryKeyOnceInStoredKeyOrder() {
        StorageEngine engine = engine();
        List<StoredKey> keys = new ArrayList<>(writeKeys(engine, P, "k", 60));
        engine.update(P, StoredKey.of("other-ns", "k1".getBytes(StandardCharsets.UTF_8)), VersionVector.empty(),
                text("x"), NODE_A, Durability.BUFFERED);
        keys.add(StoredKey.of("other-ns", "k1".getBytes(StandardCharsets.UTF_8)));

        List<StoredKey> scanned = scanAll(engine, P, 7).stream().map(StoredEntry::key).toList();

        assertThat(scanned).isSortedAccordingTo(StoredKey::compareTo).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(engine.scan(P, null, 1000)).hasSize(61);
        assertThat(engine.scan(P, scanned.get(scanned.size() - 1), 10)).isEmpty();
        assertThat(engine.scan(Q, null, 10)).isEmpty();
    }

    @Test
    void aScanEntryCarriesTheStoredState() {
        StorageEngine engine = engine();
        writeKeys(engine, P, "k", 10);

        for (StoredEntry e : engine.scan(P, null, 100)) {
            assertThat(e.state()).isEqualTo(engine.get(P, e.key()));
        }
    }

    @Test
    void aScanResumesAfterTheLastKeyAcrossWritesAndDeletes() {
        StorageEngine engine = engine();
        List<StoredKey> initial = writeKeys(engine, P, "k", 80);
        Set<StoredKey> removed = new HashSet<>();
        Set<StoredKey> removedAhead = new HashSet<>();
        Set<StoredKey> addedAhead = new HashSet<>();
        List<StoredKey> seen = new ArrayList<>();
        StoredKey after = null;
        int round = 0;
        while (true) {
            List<StoredEntry> page = engine.scan(P, after, 9);
            page.forEach(e -> seen.add(e.key()));
            if (page.size() < 9) {
                break;
            }
            after = page.get(page.size() - 1).key();
            // Between pages: purge the cursor key itself and two others, write three new keys.
            for (StoredKey k : List.of(after, initial.get((round * 7) % 80), initial.get((round * 13 + 5) % 80))) {
                Siblings<Content> s = engine.get(P, k);
                if (!s.isEmpty() && engine.removeIfUnchanged(P, k, s)) {
                    removed.add(k);
                    if (k.compareTo(after) > 0) {
                        removedAhead.add(k);
                    }
                }
            }
            for (int i = 0; i < 3; i++) {
                StoredKey k = key("new" + round + "-" + i);
                engine.update(P, k, VersionVector.empty(), text("n"), NODE_B, Durability.BUFFERED);
                if (k.compareTo(after) > 0) {
                    addedAhead.add(k);
                }
            }
            round++;
        }

        assertThat(round).isGreaterThan(5);
        assertThat(seen).isSortedAccordingTo(StoredKey::compareTo).doesNotHaveDuplicates();
        for (StoredKey k : initial) {
            if (!removed.contains(k)) {
                assertThat(seen).as("a key present throughout is seen").contains(k);
            }
        }
        assertThat(addedAhead).isNotEmpty();
        for (StoredKey k : addedAhead) {
            if (!removed.contains(k)) {
                assertThat(seen).as("a key written ahead of the cursor is seen").contains(k);
            }
        }
        assertThat(removedAhead).isNotEmpty();
        assertThat(seen).as("a key purged before the scan reached it is not seen").doesNotContainAnyElementsOf(removedAhead);
        assertThat(scanAll(engine, P, 1000)).extracting(StoredEntry::key).doesNotContainAnyElementsOf(removed);
    }

    @Test
    void keysWrittenAheadOfAScanCursorAreSeenAndPurgedOnesAreNot() {
        StorageEngine engine = engine();
        List<StoredKey> keys = new ArrayList<>(writeKeys(engine, P, "k", 40));
        keys.sort(StoredKey::compareTo);
        StoredKey cursor = keys.get(19);
        // Purge the cursor key and the key after it, then write new keys; resume from the cursor.
        for (StoredKey k : List.of(cursor, keys.get(20))) {
            assertThat(engine.removeIfUnchanged(P, k, engine.get(P, k))).isTrue();
        }
        List<StoredKey> fresh = writeKeys(engine, P, "fresh", 30);

        List<StoredKey> rest = new ArrayList<>();
        StoredKey after = cursor;
        List<StoredEntry> page;
        do {
            page = engine.scan(P, after, 4);
            page.forEach(e -> rest.add(e.key()));
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).key();
            }
        } while (page.size() == 4);

        List<StoredKey> expected = new ArrayList<>(keys.subList(21, 40));
        fresh.stream().filter(k -> k.compareTo(cursor) > 0).forEach(expected::add);
        expected.sort(StoredKey::compareTo);
        assertThat(rest).containsExactlyElementsOf(expected);
    }

    @Test
    void aHashRangeScanReturnsExactlyTheKeysWhoseHashIsInTheRange() {
        StorageEngine engine = engine();
        List<StoredKey> keys = new ArrayList<>(writeKeys(engine, P, "k", 300));
        writeKeys(engine, Q, "k", 20);
        keys.sort(StoredKey::compareTo);
        Function<long[], List<StoredKey>> expected = range -> keys.stream()
                .filter(k -> Long.compareUnsigned(k.keyHash(), range[0]) >= 0
                        && Long.compareUnsigned(k.keyHash(), range[1]) <= 0)
                .toList();
        List<long[]> ranges = new ArrayList<>();
        ranges.add(new long[] {0L, -1L});
        ranges.add(new long[] {keys.get(10).keyHash(), keys.get(20).keyHash()});
        ranges.add(new long[] {keys.get(10).keyHash() + 1, keys.get(20).keyHash() - 1});
        ranges.add(new long[] {keys.get(299).keyHash(), -1L});
        ranges.add(new long[] {0L, keys.get(0).keyHash()});
        ranges.add(new long[] {keys.get(50).keyHash(), keys.get(50).keyHash()});
        ranges.add(new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
        ranges.add(new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        TreeShape shape = engine.merkleTree(P).shape();
        for (int segment : new int[] {0, 1, shape.segments() / 2, shape.segments() - 1}) {
            ranges.add(new long[] {shape.firstKeyHash(segment), shape.lastKeyHash(segment)});
        }
        int segmentOfKey = shape.segmentOf(keys.get(77).keyHash());
        ranges.add(new long[] {shape.firstKeyHash(segmentOfKey), shape.lastKeyHash(segmentOfKey)});

        for (long[] range : ranges) {
            List<StoredEntry> got = engine.scanKeyHashRange(P, range[0], range[1]);
            assertThat(got).extracting(StoredEntry::key)
                    .as("range [%s, %s]", Long.toUnsignedString(range[0]), Long.toUnsignedString(range[1]))
                    .containsExactlyElementsOf(expected.apply(range));
            got.forEach(e -> assertThat(e.state()).isEqualTo(engine.get(P, e.key())));
        }
        assertThat(engine.scanKeyHashRange(P, 1L, 0L)).as("an inverted range is empty").isEmpty();
        assertThat(engine.scanKeyHashRange(Q + 1, 0L, -1L)).isEmpty();
    }

    @Test
    void theHashRangesOfAllSegmentsTogetherHoldEveryKeyOnce() {
        StorageEngine engine = engine();
        List<StoredKey> keys = writeKeys(engine, P, "k", 200);
        TreeShape shape = engine.merkleTree(P).shape();
        List<StoredKey> all = new ArrayList<>();
        long perRange = Long.divideUnsigned(-1L, 8) + 1;
        for (int i = 0; i < 8; i++) {
            long from = perRange * i;
            long to = i == 7 ? -1L : perRange * (i + 1) - 1;
            engine.scanKeyHashRange(P, from, to).forEach(e -> all.add(e.key()));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(keys).isSortedAccordingTo(StoredKey::compareTo);
        assertThat(shape.segments()).isPositive();
    }

    // ---------------------------------------------------------------- partitions

    @Test
    void partitionsAreIsolated() {
        StorageEngine engine = engine();
        engine.update(P, key("k"), VersionVector.empty(), text("in P"), NODE_A, Durability.BUFFERED);
        engine.update(Q, key("k"), VersionVector.empty(), text("in Q"), NODE_B, Durability.BUFFERED);
        engine.update(Q, key("only-q"), VersionVector.empty(), text("q"), NODE_B, Durability.BUFFERED);

        assertThat(values(engine.get(P, key("k")))).containsExactly("in P");
        assertThat(values(engine.get(Q, key("k")))).containsExactly("in Q");
        assertThat(engine.get(P, key("only-q"))).isEqualTo(Siblings.empty());
        assertThat(engine.scan(P, null, 10)).extracting(StoredEntry::key).containsExactly(key("k"));
        assertThat(engine.scan(Q, null, 10)).hasSize(2);
        assertThat(engine.partitions()).containsExactlyInAnyOrder(P, Q);
        assertThat(engine.merkleTree(P)).isNotEqualTo(engine.merkleTree(Q));
        assertThat(engine.approximateSize(P)).isPositive();
    }

    @Test
    void droppingAPartitionRemovesItsKeysAndTreeAndNothingElse() {
        StorageEngine engine = engine();
        writeKeys(engine, P, "p", 30);
        writeKeys(engine, Q, "q", 30);
        TreeSnapshot qTree = engine.merkleTree(Q);
        TreeSnapshot empty = MerkleTree.empty(qTree.shape()).snapshot();

        engine.dropPartition(P);

        assertThat(engine.partitions()).containsExactly(Q);
        assertThat(engine.scan(P, null, 100)).isEmpty();
        assertThat(engine.get(P, key("p1"))).isEqualTo(Siblings.empty());
        assertThat(engine.merkleTree(P)).isEqualTo(empty);
        assertThat(engine.scan(Q, null, 100)).hasSize(30);
        assertThat(engine.merkleTree(Q)).isEqualTo(qTree);

        // The partition can be filled again afterwards, starting from nothing; the new dot is
        // above the one the dropped key had, so it cannot be mistaken for it.
        WriteResult again = engine.update(P, key("p1"), VersionVector.empty(), text("again"), NODE_A,
                Durability.BUFFERED);
        assertThat(again.state().values()).hasSize(1);
        assertThat(again.state().values().get(0).dot().actor()).isEqualTo(NODE_A);
        assertThat(again.state().values().get(0).dot().counter()).isGreaterThan(1);
        engine.dropPartition(Q + 100);
    }

    @Test
    void approximateSizeGrowsWithTheData() {
        StorageEngine engine = engine();
        byte[] kib = new byte[1024];
        Arrays.fill(kib, (byte) 'x');
        assertThat(engine.approximateSize(P)).isNotNegative();
        for (int i = 0; i < 64; i++) {
            engine.update(P, key("a" + i), VersionVector.empty(), Content.of(kib, "b", 0), NODE_A, Durability.BUFFERED);
        }
        engine.flush();
        long after64 = engine.approximateSize(P);
        for (int i = 0; i < 512; i++) {
            engine.update(P, key("b" + i), VersionVector.empty(), Content.of(kib, "b", 0), NODE_A, Durability.BUFFERED);
        }
        engine.flush();
        long after576 = engine.approximateSize(P);

        assertThat(after64).isPositive();
        assertThat(after576).isGreaterThan(after64).isGreaterThanOrEqualTo(256 * 1024);
        assertThat(engine.approximateSize(Q)).isLessThan(after64);
    }

    // ---------------------------------------------------------------- limits

    private static final StorageLimits SMALL = new StorageLimits(16, 64, 3);

    @Test
    void anOversizedOrEmptyKeyIsRejectedAndNothingChanges() {
        StorageEngine engine = engine(SMALL);
        StoredKey tooLong = key("k".repeat(17));
        StoredKey empty = StoredKey.of("ns", new byte[0]);

        for (StoredKey bad : List.of(tooLong, empty)) {
            assertThatThrownBy(() -> engine.update(P, bad, VersionVector.empty(), text("v"), NODE_A, Durability.DURABLE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> engine.merge(P, bad, remote(NODE_B, "v"), Durability.DURABLE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> engine.hints().append(TARGET_1, P, bad, remote(NODE_B, "v")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        engine.update(P, key("k".repeat(16)), VersionVector.empty(), text("v"), NODE_A, Durability.DURABLE);
        assertThat(engine.scan(P, null, 10)).extracting(StoredEntry::key).containsExactly(key("k".repeat(16)));
        assertThat(engine.hints().countsByTarget()).isEmpty();
    }

    @Test
    void anOversizedValueIsRejectedAndNothingChanges() {
        StorageEngine engine = engine(SMALL);
        Siblings<Content> before = engine.update(P, key("k"), VersionVector.empty(), text("ok"), NODE_A,
                Durability.DURABLE).state();
        TreeSnapshot tree = engine.merkleTree(P);
        Content big = Content.of(new byte[65], "b", 0);

        assertThatThrownBy(() -> engine.update(P, key("k"), before.context(), big, NODE_A, Durability.DURABLE))
                .isInstanceOf(IllegalArgumentException.class);
        Siblings<Content> bigState = Siblings.<Content>empty().update(VersionVector.empty(), big, NODE_B);
        assertThatThrownBy(() -> engine.merge(P, key("k"), bigState, Durability.DURABLE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.hints().append(TARGET_1, P, key("k"), bigState))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(engine.get(P, key("k"))).isEqualTo(before);
        assertThat(engine.merkleTree(P)).isEqualTo(tree);
        engine.update(P, key("k"), before.context(), Content.of(new byte[64], "b", 0), NODE_A, Durability.DURABLE);
    }

    @Test
    void tooManySiblingsAreRejectedUntilAWriteResolvesThem() {
        StorageEngine engine = engine(SMALL);
        for (String v : List.of("a", "b", "c")) {
            engine.update(P, key("k"), VersionVector.empty(), text(v), NODE_A, Durability.BUFFERED);
        }
        Siblings<Content> three = engine.get(P, key("k"));
        TreeSnapshot tree = engine.merkleTree(P);

        assertThatThrownBy(() -> engine.update(P, key("k"), VersionVector.empty(), text("d"), NODE_A,
                Durability.BUFFERED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.merge(P, key("k"), remote(NODE_B, "e"), Durability.BUFFERED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.merge(Q, key("k"), remote(NODE_B, "1", "2", "3", "4"), Durability.BUFFERED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(engine.get(P, key("k"))).isEqualTo(three);
        assertThat(engine.merkleTree(P)).isEqualTo(tree);
        assertThat(engine.partitions()).containsExactly(P);

        WriteResult resolved = engine.update(P, key("k"), three.context(), text("abc"), NODE_A, Durability.BUFFERED);
        assertThat(values(resolved.state())).containsExactly("abc");
    }

    // ---------------------------------------------------------------- hints

    @Test
    void aSecondHintForTheSameKeyMergesIntoTheFirstAndGetsANewSequence() {
        StorageEngine engine = engine();
        Siblings<Content> first = remote(NODE_A, "one");
        Siblings<Content> second = remote(NODE_B, "two");

        Hint h1 = engine.hints().append(TARGET_1, P, key("k"), first);
        Hint h2 = engine.hints().append(TARGET_1, P, key("k"), second);

        assertThat(h1.state()).isEqualTo(first);
        assertThat(h1.target()).isEqualTo(TARGET_1);
        assertThat(h1.partition()).isEqualTo(P);
        assertThat(h2.state()).isEqualTo(first.sync(second));
        assertThat(h2.sequence()).isGreaterThan(h1.sequence());
        assertThat(engine.hints().list(TARGET_1, null, 10)).containsExactly(h2);
        assertThat(engine.hints().countsByTarget()).containsExactly(Map.entry(TARGET_1, 1L));
    }

    @Test
    void aHintIsFoundByTargetAndKey() {
        StorageEngine engine = engine();
        assertThat(engine.hints().get(TARGET_1, key("k"))).isEmpty();
        Hint h = engine.hints().append(TARGET_1, P, key("k"), remote(NODE_A, "one"));
        assertThat(engine.hints().get(TARGET_1, key("k"))).contains(h);
        assertThat(engine.hints().get(TARGET_2, key("k"))).isEmpty();
        assertThat(engine.hints().get(TARGET_1, key("other"))).isEmpty();
        engine.hints().delete(TARGET_1, key("k"), h.sequence());
        assertThat(engine.hints().get(TARGET_1, key("k"))).isEmpty();
    }

    @Test
    void aHintIsDeletedOnlyWithTheSequenceThatWasDelivered() {
        StorageEngine engine = engine();
        Hint delivered = engine.hints().append(TARGET_1, P, key("k"), remote(NODE_A, "one"));
        Hint newer = engine.hints().append(TARGET_1, P, key("k"), remote(NODE_B, "arrived meanwhile"));

        assertThat(engine.hints().delete(TARGET_1, key("k"), delivered.sequence())).isFalse();
        assertThat(engine.hints().list(TARGET_1, null, 10)).containsExactly(newer);
        assertThat(engine.hints().delete(TARGET_2, key("k"), newer.sequence())).isFalse();
        assertThat(engine.hints().delete(TARGET_1, key("k"), newer.sequence())).isTrue();
        assertThat(engine.hints().list(TARGET_1, null, 10)).isEmpty();
        assertThat(engine.hints().delete(TARGET_1, key("k"), newer.sequence())).isFalse();
    }

    @Test
    void aHintRecreatedAfterDeliveryIsNotDeletedByAStaleAcknowledgement() {
        StorageEngine engine = engine();
        Hint first = engine.hints().append(TARGET_1, P, key("k"), remote(NODE_A, "one"));
        assertThat(engine.hints().delete(TARGET_1, key("k"), first.sequence())).isTrue();

        // The same write is handed off again (say a retried replica write), then a duplicate of
        // the first delivery's acknowledgement arrives.
        Hint again = engine.hints().append(TARGET_1, P, key("k"), remote(NODE_A, "one"));

        assertThat(again.sequence()).isNotEqualTo(first.sequence());
        assertThat(engine.hints().delete(TARGET_1, key("k"), first.sequence())).isFalse();
        assertThat(engine.hints().list(TARGET_1, null, 10)).containsExactly(again);
    }

    @Test
    void hintsAreListedPerTargetInKeyOrderPageByPage() {
        StorageEngine engine = engine();
        List<StoredKey> forOne = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            engine.hints().append(TARGET_1, i % 4, key("k" + i), remote(NODE_A, "v" + i));
            forOne.add(key("k" + i));
        }
        for (int i = 0; i < 5; i++) {
            engine.hints().append(TARGET_2, P, key("other" + i), remote(NODE_B, "w" + i));
        }
        forOne.sort(StoredKey::compareTo);

        List<Hint> listed = new ArrayList<>();
        StoredKey after = null;
        while (true) {
            List<Hint> page = engine.hints().list(TARGET_1, after, 6);
            assertThat(page.size()).isLessThanOrEqualTo(6);
            listed.addAll(page);
            if (page.size() < 6) {
                break;
            }
            after = page.get(page.size() - 1).key();
        }

        assertThat(listed).extracting(Hint::key).containsExactlyElementsOf(forOne);
        assertThat(listed).allSatisfy(h -> assertThat(h.target()).isEqualTo(TARGET_1));
        assertThat(engine.hints().list(NodeId.of("nobody"), null, 10)).isEmpty();
        assertThat(engine.hints().countsByTarget()).containsOnly(Map.entry(TARGET_1, 25L), Map.entry(TARGET_2, 5L));
        // Hints are not data: the partitions hold nothing.
        assertThat(engine.partitions()).isEmpty();
    }

    @Test
    void countsByTargetForgetsATargetOnceAllItsHintsAreDelivered() {
        StorageEngine engine = engine();
        Hint a = engine.hints().append(TARGET_1, P, key("a"), remote(NODE_A, "1"));
        Hint b = engine.hints().append(TARGET_1, P, key("b"), remote(NODE_A, "2"));
        engine.hints().append(TARGET_2, P, key("a"), remote(NODE_A, "1"));

        engine.hints().delete(TARGET_1, a.key(), a.sequence());
        assertThat(engine.hints().countsByTarget()).containsOnly(Map.entry(TARGET_1, 1L), Map.entry(TARGET_2, 1L));
        engine.hints().delete(TARGET_1, b.key(), b.sequence());
        assertThat(engine.hints().countsByTarget()).containsOnly(Map.entry(TARGET_2, 1L));
    }

    // ---------------------------------------------------------------- metadata

    @Test
    void metadataIsPutReadOverwrittenAndDeleted() {
        StorageEngine engine = engine();
        MetadataStore meta = engine.metadata();
        byte[] value = {1, 2, 3};

        assertThat(meta.get("incarnation")).isEmpty();
        meta.put("incarnation", value);
        value[0] = 9;
        assertThat(meta.get("incarnation")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
        meta.get("incarnation").orElseThrow()[1] = 9;
        assertThat(meta.get("incarnation")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
        meta.put("incarnation", new byte[] {4});
        meta.put("cluster", new byte[0]);
        assertThat(meta.get("incarnation")).hasValueSatisfying(v -> assertThat(v).containsExactly(4));
        assertThat(meta.get("cluster")).hasValueSatisfying(v -> assertThat(v).isEmpty());
        meta.delete("incarnation");
        meta.delete("never-written");
        assertThat(meta.get("incarnation")).isEmpty();
        assertThat(meta.get("cluster")).isPresent();
        assertThat(engine.partitions()).isEmpty();
    }

    // ---------------------------------------------------------------- durability and close

    @Test
    void everyWriteFutureCompletesNormally() {
        StorageEngine engine = engine();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Durability d = i % 2 == 0 ? Durability.DURABLE : Durability.BUFFERED;
            futures.add(engine.update(P, key("k" + i % 7), VersionVector.empty(), text("v" + i), NODE_A, d).durable());
            futures.add(engine.merge(Q, key("k" + i), remote(NODE_B, "r" + i), d).durable());
        }
        engine.flush();
        for (CompletableFuture<Void> f : futures) {
            assertThat(f).succeedsWithin(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClosedEngineRefusesEveryCall() {
        StorageEngine engine = engine();
        engine.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A, Durability.BUFFERED);
        HintStore hints = engine.hints();
        MetadataStore meta = engine.metadata();
        untrack(engine);

        engine.close();
        engine.close(); // closing twice is harmless

        assertClosed(() -> engine.get(P, key("k")));
        assertClosed(() -> engine.update(P, key("k"), VersionVector.empty(), text("v"), NODE_A, Durability.DURABLE));
        assertClosed(() -> engine.merge(P, key("k"), remote(NODE_B, "v"), Durability.BUFFERED));
        assertClosed(() -> engine.removeIfUnchanged(P, key("k"), Siblings.empty()));
        assertClosed(() -> engine.scan(P, null, 10));
        assertClosed(() -> engine.scanKeyHashRange(P, 0, -1));
        assertClosed(() -> engine.merkleTree(P));
        assertClosed(engine::partitions);
        assertClosed(() -> engine.dropPartition(P));
        assertClosed(() -> engine.approximateSize(P));
        assertClosed(engine::flush);
        assertClosed(() -> hints.append(TARGET_1, P, key("k"), remote(NODE_B, "v")));
        assertClosed(() -> hints.list(TARGET_1, null, 10));
        assertClosed(() -> hints.delete(TARGET_1, key("k"), 1));
        assertClosed(hints::countsByTarget);
        assertClosed(() -> meta.get("x"));
        assertClosed(() -> meta.put("x", new byte[1]));
        assertClosed(() -> meta.delete("x"));
    }

    @Test
    void dataHintsAndMetadataSurviveACloseAndReopen() {
        StorageEngine engine = engine();
        engine.update(P, key("durable"), VersionVector.empty(), text("d"), NODE_A, Durability.DURABLE);
        engine.update(P, key("buffered"), VersionVector.empty(), text("b"), NODE_A, Durability.BUFFERED);
        engine.update(Q, key("gone"), VersionVector.empty(), text("g"), NODE_A, Durability.BUFFERED);
        engine.removeIfUnchanged(Q, key("gone"), engine.get(Q, key("gone")));
        Hint hint = engine.hints().append(TARGET_1, P, key("h"), remote(NODE_B, "hinted"));
        engine.metadata().put("node-id", new byte[] {7});
        List<StoredEntry> before = scanAll(engine, P, 100);
        TreeSnapshot tree = engine.merkleTree(P);
        untrack(engine);
        engine.close();

        StorageEngine reopened = track(reopen(engine));

        assertThat(scanAll(reopened, P, 100)).isEqualTo(before);
        assertThat(reopened.partitions()).containsExactly(P);
        assertThat(reopened.merkleTree(P)).isEqualTo(tree);
        assertThat(reopened.hints().list(TARGET_1, null, 10)).containsExactly(hint);
        assertThat(reopened.metadata().get("node-id")).hasValueSatisfying(v -> assertThat(v).containsExactly(7));
        // Dots continue from the stored state, and hint sequences are not reused.
        WriteResult next = reopened.update(P, key("durable"), VersionVector.empty(), text("d2"), NODE_A,
                Durability.DURABLE);
        assertThat(next.state().values()).extracting(Versioned::dot).contains(new Dot(NODE_A, 2));
        assertThat(reopened.hints().delete(TARGET_1, hint.key(), hint.sequence())).isTrue();
        Hint later = reopened.hints().append(TARGET_1, P, key("h"), remote(NODE_B, "hinted"));
        assertThat(later.sequence()).isGreaterThan(hint.sequence());
    }

    // ---------------------------------------------------------------- concurrency

    private static void runConcurrently(int threads, Consumer<Integer> body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    body.accept(id);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "contract-writer-" + t);
            thread.start();
            started.add(thread);
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(thread.isAlive()).as("writer finished").isFalse();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void concurrentBlindWritesToTheSameKeysLoseNoWrite() throws InterruptedException {
        StorageEngine engine = engine(new StorageLimits(1024, 1024, 10_000));
        int threads = 6;
        int writes = 150;
        int keys = 4;

        runConcurrently(threads, t -> {
            ActorId actor = t % 2 == 0 ? NODE_A : NODE_B; // several threads share a coordinator
            for (int i = 0; i < writes; i++) {
                Durability d = i % 5 == 0 ? Durability.DURABLE : Durability.BUFFERED;
                engine.update(P, key("hot" + i % keys), VersionVector.empty(), text(t + ":" + i), actor, d);
            }
        });

        Map<StoredKey, Set<String>> expected = new HashMap<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < writes; i++) {
                expected.computeIfAbsent(key("hot" + i % keys), k -> new HashSet<>()).add(t + ":" + i);
            }
        }
        for (Map.Entry<StoredKey, Set<String>> e : expected.entrySet()) {
            Siblings<Content> s = engine.get(P, e.getKey());
            assertThat(values(s)).containsExactlyInAnyOrderElementsOf(e.getValue());
            assertThat(s.values()).extracting(Versioned::dot).doesNotHaveDuplicates().hasSize(e.getValue().size());
        }
    }

    @Test
    void concurrentMergesConvergeToTheSyncOfAllStates() throws InterruptedException {
        StorageEngine engine = engine(new StorageLimits(1024, 1024, 10_000));
        int threads = 6;
        List<Siblings<Content>> states = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Siblings<Content> s = Siblings.empty();
            for (int i = 0; i < 40; i++) {
                s = s.update(i % 3 == 0 ? s.context() : VersionVector.empty(), text(t + ":" + i),
                        new ActorId("replica-" + t, t));
                states.add(s);
            }
        }

        runConcurrently(threads, t -> {
            for (int i = t; i < states.size(); i += threads) {
                engine.merge(P, key("k" + i % 3), states.get(i), Durability.BUFFERED);
                engine.update(Q, key("k" + i % 3), VersionVector.empty(), text("q" + i), NODE_C, Durability.BUFFERED);
            }
        });

        for (int k = 0; k < 3; k++) {
            Siblings<Content> expected = Siblings.empty();
            for (int i = k; i < states.size(); i += 3) {
                expected = expected.sync(states.get(i));
            }
            assertThat(engine.get(P, key("k" + k))).isEqualTo(expected);
        }
        assertThat(scanAll(engine, Q, 100).stream().mapToInt(e -> e.state().size()).sum()).isEqualTo(states.size());
    }

    // ---------------------------------------------------------------- the model property

    /**
     * One step of a random history. {@code kind}: 0-2 update (empty, current or a stale context),
     * 3 merge a state another replica holds, 4 that replica writes, 5 that replica syncs from the
     * engine, 6 purge with the current state, 7 purge with a stale state, 8 flush, 9 drop a
     * partition (rarely).
     */
    public record Op(int kind, int partition, int key, int actor, int pick, boolean durable) {
    }

    static Gen<List<Op>> histories() {
        Gen<Integer> kinds = Generate.frequency(
                Pair.of(6, Generate.constant(0)), Pair.of(4, Generate.constant(1)), Pair.of(3, Generate.constant(2)),
                Pair.of(5, Generate.constant(3)), Pair.of(4, Generate.constant(4)), Pair.of(2, Generate.constant(5)),
                Pair.of(2, Generate.constant(6)), Pair.of(1, Generate.constant(7)), Pair.of(1, Generate.constant(8)),
                Pair.of(1, Generate.constant(9)));
        Gen<Op> op = kinds.zip(Generate.range(0, 1), Generate.range(0, 5), Generate.range(0, 2),
                Generate.range(0, 1000).zip(Generate.booleans(), Pair::of),
                (kind, partition, key, actor, pick) -> new Op(kind, partition, key, actor, pick._1, pick._2));
        return SourceDSL.lists().of(op).ofSizeBetween(0, 80);
    }

    @Test
    void anyHistoryLeavesTheEngineEqualToAPureModel() {
        qt(60).forAll(histories()).checkAssert(history -> {
            ActorId[] actors = {NODE_A, NODE_B, NODE_C};
            int[] partitions = {P, Q};
            ActorId remoteActor = new ActorId("remote", 42);
            List<Map<StoredKey, Siblings<Content>>> model = List.of(new TreeMap<>(), new TreeMap<>());
            List<Map<StoredKey, Siblings<Content>>> remote = List.of(new HashMap<>(), new HashMap<>());
            Map<StoredKey, List<Siblings<Content>>> past = new HashMap<>();
            Map<ActorId, Long> issued = new HashMap<>(); // the engine's counter floor, per actor
            int serial = 0;
            try (StorageEngine engine = createEngine(new StorageLimits(64, 1024, 1_000))) {
                for (Op op : history) {
                    int p = partitions[op.partition()];
                    Map<StoredKey, Siblings<Content>> m = model.get(op.partition());
                    Map<StoredKey, Siblings<Content>> r = remote.get(op.partition());
                    StoredKey k = key("key" + op.key());
                    Siblings<Content> current = m.getOrDefault(k, Siblings.empty());
                    List<Siblings<Content>> history1 = past.computeIfAbsent(k,
                            x -> new ArrayList<>(List.of(Siblings.empty())));
                    Siblings<Content> stale = history1.get(op.pick() % history1.size());
                    Durability d = op.durable() ? Durability.DURABLE : Durability.BUFFERED;
                    Content value = op.pick() % 10 == 0 ? Content.tombstone(serial) : text("v" + serial);
                    serial++;
                    switch (op.kind()) {
                        case 0, 1, 2 -> {
                            VersionVector context = switch (op.kind()) {
                                case 0 -> VersionVector.empty();
                                case 1 -> current.context();
                                default -> stale.context();
                            };
                            ActorId actor = actors[op.actor()];
                            Siblings<Content> expected = current.update(context, value, actor,
                                    issued.getOrDefault(actor, 0L) + 1);
                            issued.merge(actor, expected.context().counter(actor), Math::max);
                            WriteResult result = engine.update(p, k, context, value, actor, d);
                            assertThat(result.state()).isEqualTo(expected);
                            assertThat(result.changed()).isTrue();
                            m.put(k, expected);
                        }
                        case 3 -> {
                            Siblings<Content> state = r.getOrDefault(k, stale);
                            Siblings<Content> expected = current.sync(state);
                            WriteResult result = engine.merge(p, k, state, d);
                            assertThat(result.state()).isEqualTo(expected);
                            assertThat(result.changed()).isEqualTo(!expected.equals(current));
                            if (!expected.equals(Siblings.empty())) {
                                m.put(k, expected);
                            }
                        }
                        case 4 -> r.put(k, r.getOrDefault(k, Siblings.empty()).update(VersionVector.empty(), value,
                                remoteActor));
                        case 5 -> r.put(k, r.getOrDefault(k, Siblings.empty()).sync(current));
                        case 6, 7 -> {
                            Siblings<Content> expected = op.kind() == 6 ? current : stale;
                            boolean removes = m.containsKey(k) && current.equals(expected);
                            assertThat(engine.removeIfUnchanged(p, k, expected)).isEqualTo(removes);
                            if (removes) {
                                m.remove(k);
                            }
                        }
                        case 8 -> engine.flush();
                        default -> {
                            engine.dropPartition(p);
                            m.clear();
                        }
                    }
                    history1.add(m.getOrDefault(k, Siblings.empty()));
                    assertThat(engine.get(p, k)).isEqualTo(m.getOrDefault(k, Siblings.empty()));
                }
                for (int i = 0; i < partitions.length; i++) {
                    List<StoredEntry> expected = model.get(i).entrySet().stream()
                            .map(e -> new StoredEntry(e.getKey(), e.getValue())).toList();
                    assertThat(scanAll(engine, partitions[i], 4)).isEqualTo(expected);
                    TreeSnapshot tree = engine.merkleTree(partitions[i]);
                    assertThat(tree).isEqualTo(rebuilt(tree.shape(), expected));
                    assertThat(tree.root()).isEqualTo(rebuilt(tree.shape(), expected).root());
                }
                assertTreesMatchContents(engine);
            }
        });
    }
}

package io.dynamo.core.storage;

import io.dynamo.core.merkle.KeyVersion;
import io.dynamo.core.merkle.MerkleTree;
import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.merkle.TreeSnapshot;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.core.versioning.Versioned;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link StorageEngine} held entirely in memory, for unit tests and the deterministic
 * simulator. It owns no threads and does nothing on its own: the same calls always give the same
 * results.
 *
 * <h2>Concurrency</h2>
 * Each partition is one sorted map plus its Merkle tree, guarded by the partition's monitor; every
 * call that touches a partition holds it for the whole read-merge-store-update-tree step, which
 * makes writes atomic per key (and per partition, which is stronger than needed but cheap and
 * obviously correct). Hints and metadata have a monitor each. The simulator calls everything from
 * one thread, so the locks are uncontended there.
 *
 * <h2>Durability model</h2>
 * Besides the live state the engine keeps a <em>durable image</em> of every partition: what a
 * real engine would find on disk after a crash.
 * <ul>
 *   <li>A {@link Durability#DURABLE} write copies the key's new state into the image before it
 *       returns; its future is already complete.</li>
 *   <li>A {@link Durability#BUFFERED} write, and {@link #removeIfUnchanged}, change only the live
 *       state and mark the key dirty; {@link #flush()} (which the node calls on its Scheduler at
 *       its flush interval) copies every dirty key into the image. The future of a buffered write
 *       is complete at once, as the SPI says.</li>
 *   <li>{@link #dropPartition}, hints and metadata are durable when the call returns.</li>
 *   <li>{@link #crash()} returns a <em>new</em> engine built from the durable image only, with
 *       Merkle trees rebuilt from it as a real engine does at open, and closes this one: exactly
 *       the buffered changes since the last flush are lost.</li>
 * </ul>
 * The image is kept per key, so a durable write also makes durable an earlier buffered write to
 * the same key (its state includes it) but not buffered writes to other keys. That is a more
 * pessimistic model than a write-ahead log, where one sync persists everything before it; it
 * allows every loss a real engine may show.
 */
public final class InMemoryStorageEngine implements StorageEngine {

    /** The highest dot counter {@link #update} issued in this engine's life for each actor, over all keys. */
    private final java.util.concurrent.ConcurrentHashMap<ActorId, java.util.concurrent.atomic.AtomicLong> issued =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final StorageLimits limits;
    private final TreeShape shape;
    private final Object partitionsLock = new Object();
    private final TreeMap<Integer, Partition> partitions = new TreeMap<>();
    private final MemoryHints hints;
    private final MemoryMetadata metadata;
    private volatile boolean closed;

    private InMemoryStorageEngine(StorageLimits limits, TreeShape shape, MemoryHints hintsToCopy,
            MemoryMetadata metadataToCopy) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.hints = new MemoryHints(hintsToCopy);
        this.metadata = new MemoryMetadata(metadataToCopy);
    }

    /** An empty engine with the default limits and tree shape. */
    public static InMemoryStorageEngine create() {
        return create(StorageLimits.DEFAULTS, TreeShape.DEFAULT);
    }

    /** An empty engine enforcing {@code limits}, keeping trees of {@code shape}. */
    public static InMemoryStorageEngine create(StorageLimits limits, TreeShape shape) {
        return new InMemoryStorageEngine(limits, shape, null, null);
    }

    /**
     * Simulates a crash (or, after {@link #close()}, a restart): returns a new engine holding this
     * engine's durable image, hints and metadata, with every Merkle tree rebuilt from its
     * contents; buffered changes since the last {@link #flush()} are gone. This engine is closed
     * afterwards, so stale references fail with {@link StorageException.Kind#CLOSED}.
     */
    public InMemoryStorageEngine crash() {
        closed = true;
        InMemoryStorageEngine next = new InMemoryStorageEngine(limits, shape, hints, metadata);
        for (Map.Entry<Integer, Partition> e : partitionsSnapshot().entrySet()) {
            Partition old = e.getValue();
            synchronized (old) {
                if (!old.durable.isEmpty()) {
                    Partition p = next.partition(e.getKey());
                    p.restoreFrom(old.durable);
                }
            }
        }
        return next;
    }

    @Override
    public Siblings<Content> get(int partition, StoredKey key) {
        Objects.requireNonNull(key, "key");
        Partition p = existing(partition);
        if (p == null) {
            checkOpen();
            return Siblings.empty();
        }
        synchronized (p) {
            checkOpen();
            return p.get(key);
        }
    }

    private java.util.concurrent.atomic.AtomicLong issuedBy(ActorId actor) {
        return issued.computeIfAbsent(actor, a -> new java.util.concurrent.atomic.AtomicLong());
    }

    @Override
    public WriteResult update(int partition, StoredKey key, VersionVector context, Content value,
            ActorId coordinator, Durability durability) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(durability, "durability");
        limits.checkKey(key);
        limits.checkValue(value);
        checkOpen();
        Partition p = partition(partition);
        synchronized (p) {
            checkOpen();
            Siblings<Content> stored = p.get(key);
            Siblings<Content> next = stored.update(context, value, coordinator, issuedBy(coordinator).get() + 1);
            limits.checkState(next);
            p.put(key, stored, next, durability);
            issuedBy(coordinator).accumulateAndGet(next.context().counter(coordinator), Math::max);
            return new WriteResult(next, true, DONE);
        }
    }

    @Override
    public WriteResult merge(int partition, StoredKey key, Siblings<Content> state, Durability durability) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(durability, "durability");
        limits.checkKey(key);
        limits.checkState(state);
        checkOpen();
        Partition p = partition(partition);
        synchronized (p) {
            checkOpen();
            Siblings<Content> stored = p.get(key);
            Siblings<Content> next = stored.sync(state);
            if (next.equals(stored)) {
                if (durability == Durability.DURABLE && p.dirty.remove(key)) {
                    // The caller is told this state is durable: make it so, though it was known.
                    p.persist(key);
                }
                return new WriteResult(stored, false, DONE);
            }
            limits.checkState(next);
            p.put(key, stored, next, durability);
            return new WriteResult(next, true, DONE);
        }
    }

    @Override
    public boolean removeIfUnchanged(int partition, StoredKey key, Siblings<Content> expected) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expected, "expected");
        Partition p = existing(partition);
        if (p == null) {
            checkOpen();
            return false;
        }
        synchronized (p) {
            checkOpen();
            Siblings<Content> stored = p.live.get(key);
            if (stored == null || !stored.equals(expected)) {
                return false;
            }
            p.put(key, stored, Siblings.empty(), Durability.BUFFERED);
            return true;
        }
    }

    @Override
    public List<StoredEntry> scan(int partition, StoredKey after, int limit) {
        checkLimit(limit);
        Partition p = existing(partition);
        if (p == null) {
            checkOpen();
            return List.of();
        }
        synchronized (p) {
            checkOpen();
            NavigableMap<StoredKey, Siblings<Content>> tail = after == null ? p.live : p.live.tailMap(after, false);
            List<StoredEntry> out = new ArrayList<>(Math.min(limit, tail.size()));
            for (Map.Entry<StoredKey, Siblings<Content>> e : tail.entrySet()) {
                if (out.size() == limit) {
                    break;
                }
                out.add(new StoredEntry(e.getKey(), e.getValue()));
            }
            return out;
        }
    }

    @Override
    public List<StoredEntry> scanKeyHashRange(int partition, long fromKeyHash, long toKeyHash) {
        Partition p = existing(partition);
        if (p == null || Long.compareUnsigned(fromKeyHash, toKeyHash) > 0) {
            checkOpen();
            return List.of();
        }
        synchronized (p) {
            checkOpen();
            // Keys are ordered by unsigned keyHash first, so the range is one contiguous run; the
            // map cannot be probed by hash alone, so skip to it through the segment index.
            List<StoredEntry> out = new ArrayList<>();
            for (Map.Entry<StoredKey, Siblings<Content>> e : p.fromKeyHash(fromKeyHash).entrySet()) {
                long h = e.getKey().keyHash();
                if (Long.compareUnsigned(h, toKeyHash) > 0) {
                    break;
                }
                if (Long.compareUnsigned(h, fromKeyHash) >= 0) {
                    out.add(new StoredEntry(e.getKey(), e.getValue()));
                }
            }
            return out;
        }
    }

    @Override
    public TreeSnapshot merkleTree(int partition) {
        Partition p = existing(partition);
        if (p == null) {
            checkOpen();
            return MerkleTree.empty(shape).snapshot();
        }
        synchronized (p) {
            checkOpen();
            return p.tree.snapshot();
        }
    }

    @Override
    public List<Integer> partitions() {
        checkOpen();
        List<Integer> out = new ArrayList<>();
        for (Map.Entry<Integer, Partition> e : partitionsSnapshot().entrySet()) {
            Partition p = e.getValue();
            synchronized (p) {
                if (!p.live.isEmpty()) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }

    @Override
    public void dropPartition(int partition) {
        Partition p = existing(partition);
        if (p == null) {
            checkOpen();
            return;
        }
        synchronized (p) {
            checkOpen();
            p.clear();
        }
    }

    @Override
    public long approximateSize(int partition) {
        Partition p = existing(partition);
        if (p == null) {
            checkOpen();
            return 0;
        }
        synchronized (p) {
            checkOpen();
            return p.bytes;
        }
    }

    @Override
    public void flush() {
        checkOpen();
        flushAll();
    }

    @Override
    public HintStore hints() {
        return hints;
    }

    @Override
    public MetadataStore metadata() {
        return metadata;
    }

    @Override
    public StorageLimits limits() {
        return limits;
    }

    /** Flushes, then refuses every later call. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        flushAll();
    }

    /** Whether {@link #close()} or {@link #crash()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** The number of keys whose buffered changes a crash now would lose; for tests. */
    public int unflushedKeys() {
        int n = 0;
        for (Partition p : partitionsSnapshot().values()) {
            synchronized (p) {
                n += p.dirty.size();
            }
        }
        return n;
    }

    private void flushAll() {
        for (Partition p : partitionsSnapshot().values()) {
            synchronized (p) {
                p.flush();
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException(StorageException.Kind.CLOSED, "the in-memory storage engine is closed");
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("scan limit must be at least 1, was " + limit);
        }
    }

    private Partition existing(int partition) {
        synchronized (partitionsLock) {
            return partitions.get(partition);
        }
    }

    private Partition partition(int partition) {
        synchronized (partitionsLock) {
            return partitions.computeIfAbsent(partition, k -> new Partition(shape));
        }
    }

    private TreeMap<Integer, Partition> partitionsSnapshot() {
        synchronized (partitionsLock) {
            return new TreeMap<>(partitions);
        }
    }

    /**
     * Rough bytes one key occupies: key, then per sibling its value, content type and dot, then
     * the context. Only has to grow with the data.
     */
    static long footprint(StoredKey key, Siblings<Content> state) {
        if (state.isEmpty() && state.context().isEmpty()) {
            return 0;
        }
        long n = key.length() + key.namespace().length() + 16;
        for (Versioned<Content> v : state.values()) {
            n += v.value().size() + v.value().contentType().length() + 40;
        }
        return n + 24L * state.context().size();
    }

    /**
     * One partition: live and durable maps, the keys whose live state differs from the durable
     * image, the Merkle tree of the live state, and an index from Merkle segment to the first key
     * of the segment, so that hash ranges can be found without a scan from the start.
     */
    private static final class Partition {
        final TreeShape shape;
        final TreeMap<StoredKey, Siblings<Content>> live = new TreeMap<>();
        final TreeMap<StoredKey, Siblings<Content>> durable = new TreeMap<>();
        final Set<StoredKey> dirty = new HashSet<>();
        final TreeMap<Integer, TreeMap<StoredKey, Boolean>> segments = new TreeMap<>();
        MerkleTree tree;
        long bytes;

        Partition(TreeShape shape) {
            this.shape = shape;
            this.tree = MerkleTree.empty(shape);
        }

        Siblings<Content> get(StoredKey key) {
            Siblings<Content> s = live.get(key);
            return s == null ? Siblings.empty() : s;
        }

        /** Replaces {@code stored} by {@code next} (empty: removes the key). */
        void put(StoredKey key, Siblings<Content> stored, Siblings<Content> next, Durability durability) {
            boolean wasPresent = live.containsKey(key);
            boolean present = !next.equals(Siblings.empty());
            OptionalLong oldDigest = wasPresent ? OptionalLong.of(stored.versionDigest()) : OptionalLong.empty();
            OptionalLong newDigest = present ? OptionalLong.of(next.versionDigest()) : OptionalLong.empty();
            if (present) {
                live.put(key, next);
                if (!wasPresent) {
                    segments.computeIfAbsent(shape.segmentOf(key.keyHash()), s -> new TreeMap<>()).put(key, Boolean.TRUE);
                }
            } else if (wasPresent) {
                live.remove(key);
                int segment = shape.segmentOf(key.keyHash());
                TreeMap<StoredKey, Boolean> keys = segments.get(segment);
                keys.remove(key);
                if (keys.isEmpty()) {
                    segments.remove(segment);
                }
            }
            bytes += footprint(key, next) - (wasPresent ? footprint(key, stored) : 0);
            tree.update(key.keyHash(), oldDigest, newDigest);
            if (durability == Durability.DURABLE) {
                persist(key);
                dirty.remove(key);
            } else {
                dirty.add(key);
            }
        }

        /** The live entries from the first key of the segment holding {@code keyHash} on. */
        NavigableMap<StoredKey, Siblings<Content>> fromKeyHash(long keyHash) {
            Map.Entry<Integer, TreeMap<StoredKey, Boolean>> first = segments.ceilingEntry(shape.segmentOf(keyHash));
            if (first == null) {
                return new TreeMap<>();
            }
            return live.tailMap(first.getValue().firstKey(), true);
        }

        void persist(StoredKey key) {
            Siblings<Content> s = live.get(key);
            if (s == null) {
                durable.remove(key);
            } else {
                durable.put(key, s);
            }
        }

        void flush() {
            for (StoredKey key : dirty) {
                persist(key);
            }
            dirty.clear();
        }

        void clear() {
            live.clear();
            durable.clear();
            dirty.clear();
            segments.clear();
            tree = MerkleTree.empty(shape);
            bytes = 0;
        }

        void restoreFrom(Map<StoredKey, Siblings<Content>> image) {
            List<KeyVersion> entries = new ArrayList<>(image.size());
            for (Map.Entry<StoredKey, Siblings<Content>> e : image.entrySet()) {
                StoredKey key = e.getKey();
                live.put(key, e.getValue());
                durable.put(key, e.getValue());
                segments.computeIfAbsent(shape.segmentOf(key.keyHash()), s -> new TreeMap<>()).put(key, Boolean.TRUE);
                bytes += footprint(key, e.getValue());
                entries.add(new KeyVersion(key.keyHash(), e.getValue().versionDigest()));
            }
            tree = MerkleTree.rebuild(shape, entries);
        }
    }

    /**
     * Hints: one per (target, key), ordered by key within a target. Sequences come from one
     * counter that only grows for the life of the data (it survives {@link #crash()}), so a
     * sequence is never reused, even for a hint re-created after its delivery.
     */
    private final class MemoryHints implements HintStore {
        private final TreeMap<NodeId, TreeMap<StoredKey, Hint>> byTarget = new TreeMap<>();
        private long lastSequence;

        MemoryHints(MemoryHints copyOf) {
            if (copyOf != null) {
                synchronized (copyOf) {
                    copyOf.byTarget.forEach((target, hints) -> byTarget.put(target, new TreeMap<>(hints)));
                    lastSequence = copyOf.lastSequence;
                }
            }
        }

        @Override
        public synchronized Hint append(NodeId target, int partition, StoredKey key, Siblings<Content> state) {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(state, "state");
            limits.checkKey(key);
            limits.checkState(state);
            checkOpen();
            TreeMap<StoredKey, Hint> forTarget = byTarget.get(target);
            Hint existing = forTarget == null ? null : forTarget.get(key);
            Siblings<Content> merged = existing == null ? state : existing.state().sync(state);
            if (existing != null && merged.equals(existing.state())) {
                return existing;
            }
            limits.checkState(merged);
            Hint hint = new Hint(target, partition, key, merged, ++lastSequence);
            byTarget.computeIfAbsent(target, t -> new TreeMap<>()).put(key, hint);
            return hint;
        }

        @Override
        public synchronized Optional<Hint> get(NodeId target, StoredKey key) {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(key, "key");
            checkOpen();
            TreeMap<StoredKey, Hint> forTarget = byTarget.get(target);
            return Optional.ofNullable(forTarget == null ? null : forTarget.get(key));
        }

        @Override
        public synchronized List<Hint> list(NodeId target, StoredKey after, int limit) {
            Objects.requireNonNull(target, "target");
            checkLimit(limit);
            checkOpen();
            TreeMap<StoredKey, Hint> forTarget = byTarget.get(target);
            if (forTarget == null) {
                return List.of();
            }
            List<Hint> out = new ArrayList<>();
            for (Hint h : (after == null ? forTarget : forTarget.tailMap(after, false)).values()) {
                if (out.size() == limit) {
                    break;
                }
                out.add(h);
            }
            return out;
        }

        @Override
        public synchronized boolean delete(NodeId target, StoredKey key, long sequence) {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(key, "key");
            checkOpen();
            TreeMap<StoredKey, Hint> forTarget = byTarget.get(target);
            Hint existing = forTarget == null ? null : forTarget.get(key);
            if (existing == null || existing.sequence() != sequence) {
                return false;
            }
            forTarget.remove(key);
            if (forTarget.isEmpty()) {
                byTarget.remove(target);
            }
            return true;
        }

        @Override
        public synchronized Map<NodeId, Long> countsByTarget() {
            checkOpen();
            Map<NodeId, Long> out = new TreeMap<>();
            byTarget.forEach((target, hints) -> out.put(target, (long) hints.size()));
            return out;
        }
    }

    /** Metadata: a sorted map of names to private copies of the values. */
    private final class MemoryMetadata implements MetadataStore {
        private final TreeMap<String, byte[]> values = new TreeMap<>();

        MemoryMetadata(MemoryMetadata copyOf) {
            if (copyOf != null) {
                synchronized (copyOf) {
                    values.putAll(copyOf.values);
                }
            }
        }

        @Override
        public synchronized Optional<byte[]> get(String name) {
            Objects.requireNonNull(name, "name");
            checkOpen();
            byte[] v = values.get(name);
            return v == null ? Optional.empty() : Optional.of(v.clone());
        }

        @Override
        public synchronized void put(String name, byte[] value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            checkOpen();
            values.put(name, value.clone());
        }

        @Override
        public synchronized void delete(String name) {
            Objects.requireNonNull(name, "name");
            checkOpen();
            values.remove(name);
        }
    }
}

package io.dynamo.core.storage;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link StorageEngine} that passes every call to another one, except when told to misbehave;
 * for simulator and node tests of how a node copes with a failing disk. It lives in main code so
 * that the simulator can wrap each node's engine. Deterministic: faults fire on the next calls in
 * call order, never at random (draw from the simulator's seeded random source to decide when to
 * arm them).
 *
 * <ul>
 *   <li>{@link #failNextWrites}: the next {@code n} writes throw a {@link StorageException} of the
 *       given kind ({@link StorageException.Kind#IO} or {@link StorageException.Kind#DISK_FULL})
 *       and change nothing. "Writes" are {@link #update}, {@link #merge}, {@link
 *       #removeIfUnchanged}, {@link #dropPartition}, hint appends and deletes and metadata puts and
 *       deletes. Input over the limits is still rejected with an {@link IllegalArgumentException},
 *       which consumes no fault. Reads keep working, as on a full disk.</li>
 *   <li>{@link #failNextSyncs}: the next {@code n} {@link Durability#DURABLE} data writes are
 *       applied, but their durability future completes exceptionally with {@link
 *       StorageException.Kind#IO} (the write reached the memtable, the sync failed).</li>
 *   <li>{@link #loseKey}: the key silently disappears from the wrapped engine, as if a disk
 *       sector was lost and the engine rebuilt its tree at restart; the caller is not told.
 *       Anti-entropy is what should notice and repair it.</li>
 *   <li>{@link #setEnabled setEnabled(false)} is the off switch: every call passes straight
 *       through and armed faults wait, unconsumed, until it is switched on again; {@link
 *       #clearFaults()} disarms them.</li>
 * </ul>
 */
public final class FaultyStorageEngine extends ForwardingStorageEngine {

    private final StorageEngine delegate;
    private final HintStore hints;
    private final MetadataStore metadata;
    private boolean enabled = true;
    private int failingWrites;
    private StorageException.Kind failureKind = StorageException.Kind.IO;
    private int failingSyncs;
    private long injected;

    public FaultyStorageEngine(StorageEngine delegate) {
        super(delegate);
        this.delegate = delegate;
        this.hints = new FaultyHints(delegate.hints());
        this.metadata = new FaultyMetadata(delegate.metadata());
    }

    /**
     * Makes the next {@code count} writes fail with {@code kind}, replacing any writes still
     * armed to fail.
     *
     * @throws IllegalArgumentException if {@code count} is negative or {@code kind} is not
     *     {@link StorageException.Kind#IO} or {@link StorageException.Kind#DISK_FULL}
     */
    public synchronized void failNextWrites(int count, StorageException.Kind kind) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        if (kind != StorageException.Kind.IO && kind != StorageException.Kind.DISK_FULL) {
            throw new IllegalArgumentException("write faults are IO or DISK_FULL, not " + kind);
        }
        failingWrites = count;
        failureKind = kind;
    }

    /** Makes the durability futures of the next {@code count} durable data writes fail with IO. */
    public synchronized void failNextSyncs(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        failingSyncs = count;
    }

    /**
     * Deletes the key from the wrapped engine without the caller knowing (its Merkle tree follows,
     * as after a restart's rebuild). Works even while faults are switched off. Returns whether
     * there was anything to lose.
     */
    public boolean loseKey(int partition, StoredKey key) {
        Siblings<Content> stored = delegate.get(partition, key);
        return !stored.equals(Siblings.empty()) && delegate.removeIfUnchanged(partition, key, stored);
    }

    /** The off switch: while disabled every call passes through and armed faults wait. */
    public synchronized void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public synchronized boolean isEnabled() {
        return enabled;
    }

    /** Disarms every armed fault. */
    public synchronized void clearFaults() {
        failingWrites = 0;
        failingSyncs = 0;
    }

    /** Writes still armed to fail. */
    public synchronized int pendingWriteFailures() {
        return failingWrites;
    }

    /** How many faults (failed writes and failed syncs) have fired so far. */
    public synchronized long injectedFaults() {
        return injected;
    }

    private synchronized void maybeFailWrite(String what) {
        if (enabled && failingWrites > 0) {
            failingWrites--;
            injected++;
            throw new StorageException(failureKind, "injected fault: " + what + " failed");
        }
    }

    private synchronized boolean takeSyncFailure(Durability durability) {
        if (enabled && durability == Durability.DURABLE && failingSyncs > 0) {
            failingSyncs--;
            injected++;
            return true;
        }
        return false;
    }

    private WriteResult synced(WriteResult result, boolean failSync) {
        if (!failSync) {
            return result;
        }
        return new WriteResult(result.state(), result.changed(),
                CompletableFuture.failedFuture(new StorageException(StorageException.Kind.IO, "injected fault: sync failed")));
    }

    @Override
    public WriteResult update(int partition, StoredKey key, VersionVector context, Content value, ActorId coordinator,
            Durability durability) {
        limits().checkKey(key);
        limits().checkValue(value);
        maybeFailWrite("update");
        boolean failSync = takeSyncFailure(durability);
        return synced(delegate.update(partition, key, context, value, coordinator, durability), failSync);
    }

    @Override
    public WriteResult merge(int partition, StoredKey key, Siblings<Content> state, Durability durability) {
        limits().checkKey(key);
        limits().checkState(state);
        maybeFailWrite("merge");
        boolean failSync = takeSyncFailure(durability);
        return synced(delegate.merge(partition, key, state, durability), failSync);
    }

    @Override
    public boolean removeIfUnchanged(int partition, StoredKey key, Siblings<Content> expected) {
        maybeFailWrite("removeIfUnchanged");
        return delegate.removeIfUnchanged(partition, key, expected);
    }

    @Override
    public void dropPartition(int partition) {
        maybeFailWrite("dropPartition");
        delegate.dropPartition(partition);
    }

    @Override
    public HintStore hints() {
        return hints;
    }

    @Override
    public MetadataStore metadata() {
        return metadata;
    }

    private final class FaultyHints implements HintStore {
        private final HintStore hints;

        FaultyHints(HintStore hints) {
            this.hints = hints;
        }

        @Override
        public Hint append(NodeId target, int partition, StoredKey key, Siblings<Content> state) {
            limits().checkKey(key);
            limits().checkState(state);
            maybeFailWrite("hint append");
            return hints.append(target, partition, key, state);
        }

        @Override
        public Optional<Hint> get(NodeId target, StoredKey key) {
            return hints.get(target, key);
        }

        @Override
        public List<Hint> list(NodeId target, StoredKey after, int limit) {
            return hints.list(target, after, limit);
        }

        @Override
        public boolean delete(NodeId target, StoredKey key, long sequence) {
            maybeFailWrite("hint delete");
            return hints.delete(target, key, sequence);
        }

        @Override
        public Map<NodeId, Long> countsByTarget() {
            return hints.countsByTarget();
        }
    }

    private final class FaultyMetadata implements MetadataStore {
        private final MetadataStore metadata;

        FaultyMetadata(MetadataStore metadata) {
            this.metadata = metadata;
        }

        @Override
        public Optional<byte[]> get(String name) {
            return metadata.get(name);
        }

        @Override
        public void put(String name, byte[] value) {
            maybeFailWrite("metadata put");
            metadata.put(name, value);
        }

        @Override
        public void delete(String name) {
            maybeFailWrite("metadata delete");
            metadata.delete(name);
        }
    }
}

package io.dynamo.testkit.cluster;

import io.dynamo.core.merkle.TreeSnapshot;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.HintStore;
import io.dynamo.core.storage.MetadataStore;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageLimits;
import io.dynamo.core.storage.StoredEntry;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.storage.WriteResult;
import io.dynamo.core.time.Scheduler;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A storage engine whose durable writes take {@link #setSyncDelay a while} of virtual time to
 * report durable: the slow-disk fault. The write itself is applied (and, in the in-memory engine
 * underneath, made durable) at once; only its durable future completes late, on the
 * environment's scheduler, so the node sees what it would see with a slow fsync: the
 * acknowledgement arrives later, from another thread of control, and must hop back onto the
 * node's own thread.
 */
public final class SlowDisk implements StorageEngine {

    private final StorageEngine delegate;
    private final Scheduler environment;
    private Duration syncDelay = Duration.ZERO;

    public SlowDisk(StorageEngine delegate, Scheduler environment) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** How long durable futures take from now on; zero for a fast disk. */
    public void setSyncDelay(Duration delay) {
        this.syncDelay = Objects.requireNonNull(delay, "delay");
    }

    public Duration syncDelay() {
        return syncDelay;
    }

    private WriteResult slow(WriteResult r, Durability durability) {
        if (durability != Durability.DURABLE || syncDelay.isZero()) {
            return r;
        }
        CompletableFuture<Void> late = new CompletableFuture<>();
        environment.schedule(syncDelay, () -> r.durable().whenComplete((ok, error) -> {
            if (error != null) {
                late.completeExceptionally(error);
            } else {
                late.complete(null);
            }
        }));
        return new WriteResult(r.state(), r.changed(), late);
    }

    @Override
    public Siblings<Content> get(int partition, StoredKey key) {
        return delegate.get(partition, key);
    }

    @Override
    public WriteResult update(int partition, StoredKey key, VersionVector context, Content value, ActorId coordinator,
            Durability durability) {
        return slow(delegate.update(partition, key, context, value, coordinator, durability), durability);
    }

    @Override
    public WriteResult merge(int partition, StoredKey key, Siblings<Content> state, Durability durability) {
        return slow(delegate.merge(partition, key, state, durability), durability);
    }

    @Override
    public boolean removeIfUnchanged(int partition, StoredKey key, Siblings<Content> expected) {
        return delegate.removeIfUnchanged(partition, key, expected);
    }

    @Override
    public List<StoredEntry> scan(int partition, StoredKey after, int limit) {
        return delegate.scan(partition, after, limit);
    }

    @Override
    public List<StoredEntry> scanKeyHashRange(int partition, long fromKeyHash, long toKeyHash) {
        return delegate.scanKeyHashRange(partition, fromKeyHash, toKeyHash);
    }

    @Override
    public TreeSnapshot merkleTree(int partition) {
        return delegate.merkleTree(partition);
    }

    @Override
    public List<Integer> partitions() {
        return delegate.partitions();
    }

    @Override
    public void dropPartition(int partition) {
        delegate.dropPartition(partition);
    }

    @Override
    public long approximateSize(int partition) {
        return delegate.approximateSize(partition);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public HintStore hints() {
        return delegate.hints();
    }

    @Override
    public MetadataStore metadata() {
        return delegate.metadata();
    }

    @Override
    public StorageLimits limits() {
        return delegate.limits();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

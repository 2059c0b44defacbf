package io.dynamo.core.storage;

import io.dynamo.core.merkle.TreeSnapshot;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.util.List;
import java.util.Objects;

/**
 * A storage engine that hands every call to another one: the base of decorators that change a
 * few calls (fault injection, slow disks) and forward the rest.
 */
public abstract class ForwardingStorageEngine implements StorageEngine {

    private final StorageEngine delegate;

    protected ForwardingStorageEngine(StorageEngine delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped engine, to inspect or to write behind the node's back. */
    public StorageEngine delegate() {
        return delegate;
    }

    @Override
    public Siblings<Content> get(int partition, StoredKey key) {
        return delegate.get(partition, key);
    }

    @Override
    public WriteResult update(int partition, StoredKey key, VersionVector context, Content value, ActorId coordinator,
            Durability durability) {
        return delegate.update(partition, key, context, value, coordinator, durability);
    }

    @Override
    public WriteResult merge(int partition, StoredKey key, Siblings<Content> state, Durability durability) {
        return delegate.merge(partition, key, state, durability);
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

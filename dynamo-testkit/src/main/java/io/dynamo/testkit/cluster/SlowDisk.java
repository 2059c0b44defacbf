package io.dynamo.testkit.cluster;

import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.ForwardingStorageEngine;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.storage.WriteResult;
import io.dynamo.core.time.Scheduler;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.time.Duration;
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
public final class SlowDisk extends ForwardingStorageEngine {

    private final Scheduler environment;
    private Duration syncDelay = Duration.ZERO;

    public SlowDisk(StorageEngine delegate, Scheduler environment) {
        super(delegate);
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
    public WriteResult update(int partition, StoredKey key, VersionVector context, Content value, ActorId coordinator,
            Durability durability) {
        return slow(super.update(partition, key, context, value, coordinator, durability), durability);
    }

    @Override
    public WriteResult merge(int partition, StoredKey key, Siblings<Content> state, Durability durability) {
        return slow(super.merge(partition, key, state, durability), durability);
    }
}

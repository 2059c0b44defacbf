package io.dynamo.server.replica;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.Hint;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.WriteResult;
import io.dynamo.core.time.Scheduler;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.HintDelivery;
import io.dynamo.server.transport.Message.HintDeliveryReply;
import io.dynamo.server.transport.Message.ReplicaRead;
import io.dynamo.server.transport.Message.ReplicaReadReply;
import io.dynamo.server.transport.Message.ReplicaWrite;
import io.dynamo.server.transport.Message.ReplicaWriteReply;
import io.dynamo.server.transport.Transport;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Serves other nodes' replica requests from local storage:
 *
 * <ul>
 *   <li>{@link ReplicaWrite} to an owner merges the state into the key (causally, so a repeated
 *       or reordered write changes nothing) and acknowledges once it is as durable as asked;
 *       to a fallback ({@code hintFor} set) it is stored as a durable hint for that owner
 *       instead, never as data of its own.</li>
 *   <li>{@link ReplicaRead} answers the key's state (empty: not found); a fallback answers
 *       from its hint, or with an error when it holds none, since it cannot speak for the
 *       owner.</li>
 *   <li>{@link HintDelivery} merges a fallback's hint durably and only then acknowledges it, so
 *       the fallback deletes the hint only once the owner holds the write on disk.</li>
 * </ul>
 *
 * Storage failures and rejected input become error replies; nothing here throws. Durable
 * acknowledgements wait for the storage's durable future and are sent from the node's thread.
 */
public final class ReplicaService {

    private final Transport transport;
    private final Scheduler scheduler;
    private final StorageEngine storage;
    private java.util.function.BooleanSupplier ringChanging = () -> false;
    private final io.dynamo.server.admission.AdmissionController admission;
    private long writes;
    private long hintsStored;
    private long reads;
    private long failures;
    private long purged;
    private long busy;

    public ReplicaService(Transport transport, Scheduler scheduler, StorageEngine storage) {
        this(transport, scheduler, storage, null);
    }

    /**
     * With {@code admission} (may be null): a hint delivery is background work for its receiver
     * too, so it takes a permit here; without one the owner answers "not now" and the fallback
     * backs off as after any failed delivery.
     */
    public ReplicaService(Transport transport, Scheduler scheduler, StorageEngine storage,
            io.dynamo.server.admission.AdmissionController admission) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.admission = admission;
    }

    /** Handles a replica request; false if {@code message} is not one. */
    public boolean handle(NodeId from, Message message) {
        switch (message) {
            case ReplicaWrite w -> onWrite(from, w);
            case ReplicaRead r -> onRead(from, r);
            case HintDelivery h -> onHint(from, h);
            case Message.PurgeCheck c -> onPurgeCheck(from, c);
            case Message.Purge p -> onPurge(from, p);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void onWrite(NodeId from, ReplicaWrite w) {
        if (w.isHinted()) {
            try {
                storage.hints().append(w.hintFor(), w.partition(), w.key(), w.state());
                hintsStored++;
                transport.send(from, ReplicaWriteReply.stored(w.requestId(), true));
            } catch (StorageException | IllegalArgumentException e) {
                failures++;
                transport.send(from, ReplicaWriteReply.failed(w.requestId(), describe(e)));
            }
            return;
        }
        WriteResult result;
        try {
            result = storage.merge(w.partition(), w.key(), w.state(), w.durability());
        } catch (StorageException | IllegalArgumentException e) {
            failures++;
            transport.send(from, ReplicaWriteReply.failed(w.requestId(), describe(e)));
            return;
        }
        writes++;
        boolean durable = w.durability() == Durability.DURABLE;
        whenDurable(result.durable(), () -> transport.send(from, ReplicaWriteReply.stored(w.requestId(), durable)),
                e -> transport.send(from, ReplicaWriteReply.failed(w.requestId(), describe(e))));
    }

    private void onRead(NodeId from, ReplicaRead r) {
        reads++;
        try {
            if (r.hintFor() != null) {
                Optional<Hint> hint = storage.hints().get(r.hintFor(), r.key());
                transport.send(from, hint.isPresent() ? ReplicaReadReply.of(r.requestId(), hint.get().state())
                        : ReplicaReadReply.failed(r.requestId(), "fallback for " + r.hintFor() + " holds no hint for the key"));
                return;
            }
            Siblings<io.dynamo.core.storage.Content> state = storage.get(r.partition(), r.key());
            transport.send(from, ReplicaReadReply.of(r.requestId(), state));
        } catch (StorageException | IllegalArgumentException e) {
            failures++;
            transport.send(from, ReplicaReadReply.failed(r.requestId(), describe(e)));
        }
    }

    private void onHint(NodeId from, HintDelivery h) {
        if (admission != null && !admission.tryAcquire("hint received")) {
            busy++;
            transport.send(from, new HintDeliveryReply(h.requestId(), false, false,
                    Math.max(1, admission.retryAfter().toMillis())));
            return;
        }
        WriteResult result;
        try {
            result = storage.merge(h.partition(), h.key(), h.state(), Durability.DURABLE);
        } catch (IllegalArgumentException e) {
            failures++;
            transport.send(from, new HintDeliveryReply(h.requestId(), false, true));
            return;
        } catch (StorageException e) {
            failures++;
            transport.send(from, new HintDeliveryReply(h.requestId(), false, false));
            return;
        }
        writes++;
        whenDurable(result.durable(), () -> transport.send(from, new HintDeliveryReply(h.requestId(), true, false)),
                e -> transport.send(from, new HintDeliveryReply(h.requestId(), false, false)));
    }

    /**
     * Answers a purge check once what this node holds for the key is durable: the purge removes
     * the tombstone from the other owners, so this one's copy must survive a crash (a buffered
     * tombstone lost after the others purged would let the old value come back).
     */
    private void onPurgeCheck(NodeId from, Message.PurgeCheck c) {
        if (ringChanging.getAsBoolean()) {
            // A new owner may be streaming the value from before the delete: no purge now.
            transport.send(from, new Message.PurgeCheckReply(c.requestId(), null, false,
                    "a ring change is under way"));
            return;
        }
        try {
            boolean hint = false;
            for (NodeId owner : c.owners()) {
                hint |= storage.hints().get(owner, c.key()).isPresent();
            }
            Siblings<io.dynamo.core.storage.Content> state = storage.get(c.partition(), c.key());
            boolean holdsHint = hint;
            if (state.isEmpty()) {
                transport.send(from, new Message.PurgeCheckReply(c.requestId(), state, holdsHint, null));
                return;
            }
            WriteResult durable = storage.merge(c.partition(), c.key(), state, Durability.DURABLE);
            whenDurable(durable.durable(),
                    () -> transport.send(from, new Message.PurgeCheckReply(c.requestId(), state, holdsHint, null)),
                    e -> transport.send(from, new Message.PurgeCheckReply(c.requestId(), null, false, describe(e))));
        } catch (StorageException | IllegalArgumentException e) {
            failures++;
            transport.send(from, new Message.PurgeCheckReply(c.requestId(), null, false, describe(e)));
        }
    }

    private void onPurge(NodeId from, Message.Purge p) {
        boolean removed;
        try {
            removed = storage.removeIfUnchanged(p.partition(), p.key(), p.expected());
        } catch (StorageException | IllegalArgumentException e) {
            failures++;
            removed = false;
        }
        if (removed) {
            purged++;
        }
        transport.send(from, new Message.PurgeReply(p.requestId(), removed));
    }

    /** Answers purge checks "no" while {@code changing} says a ring change is under way. */
    public void refusePurgesWhile(java.util.function.BooleanSupplier changing) {
        this.ringChanging = java.util.Objects.requireNonNull(changing, "changing");
    }

    /** Hint deliveries answered "not now" because admission control had no permit. */
    public long busy() {
        return busy;
    }

    /** Tombstones this node removed on a delete coordinator's request. */
    public long purged() {
        return purged;
    }

    /** Runs {@code then} (or {@code failed}) on the node's thread once {@code durable} completes. */
    private void whenDurable(CompletableFuture<Void> durable, Runnable then,
            java.util.function.Consumer<Throwable> failed) {
        if (durable.isDone() && !durable.isCompletedExceptionally()) {
            then.run();
            return;
        }
        durable.whenComplete((ignored, error) -> scheduler.execute(() -> {
            if (error == null) {
                then.run();
            } else {
                failures++;
                failed.accept(error);
            }
        }));
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Replica writes merged into data (hint deliveries included). */
    public long writes() {
        return writes;
    }

    /** Writes stored as hints for an unreachable owner. */
    public long hintsStored() {
        return hintsStored;
    }

    public long reads() {
        return reads;
    }

    /** Requests answered with an error. */
    public long failures() {
        return failures;
    }
}

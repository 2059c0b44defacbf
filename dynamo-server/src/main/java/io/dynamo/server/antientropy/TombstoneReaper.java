package io.dynamo.server.antientropy;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StoredEntry;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.Clock;
import io.dynamo.core.time.Scheduler;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.server.NodeConfig;
import io.dynamo.server.coordinator.Namespaces;
import io.dynamo.server.admission.AdmissionController;
import io.dynamo.server.coordinator.TombstonePurge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Purges the tombstones a delete's coordinator had to keep (an owner was away and a fallback
 * stood in, a check found a hint, the ring was changing), once anti-entropy has confirmed that
 * every owner of the partition holds the same data.
 *
 * <p>A partition is swept by its first owner only, and only when, since its last sweep, an
 * anti-entropy exchange with every other owner found their trees equal to its own: every owner
 * then held the tombstones this node holds. The sweep walks the partition in key order, a chunk
 * at a time, each chunk taking an admission permit, and hands every tombstone older than the
 * tombstone grace to {@link TombstonePurge}, which still asks every node for hints and checks
 * that each owner holds exactly that tombstone, durably, before anything is removed: the
 * anti-entropy confirmation says when a sweep is worth it, the check says whether a purge is
 * safe. Nothing is swept while the ring is changing.
 *
 * <p>Not thread-safe: runs on the node's thread.
 */
public final class TombstoneReaper {

    /** Keys read from storage per chunk of a sweep. */
    static final int CHUNK = 64;

    /** How long a sweep waits before asking again for a permit it was refused. */
    static final Duration PACE_RETRY = Duration.ofMillis(100);

    private final NodeConfig config;
    private final Namespaces namespaces;
    private final Clock clock;
    private final Scheduler scheduler;
    private final StorageEngine storage;
    private final TombstonePurge purge;
    private final Supplier<Ring> ring;
    private final BooleanSupplier ringChanging;
    private final Supplier<List<NodeId>> everyone;
    private final AdmissionController admission;
    /** Per partition, per peer: when anti-entropy last found the two in sync (clock millis). */
    private final Map<Integer, Map<NodeId, Long>> inSync = new HashMap<>();
    /** Per partition: when its last sweep started. */
    private final Map<Integer, Long> lastSweep = new HashMap<>();
    private final Set<Integer> sweeping = new HashSet<>();
    private long sweeps;
    private long checked;
    private long purged;

    /**
     * @param ringChanging whether a ring change is under way (no sweep starts then)
     * @param everyone every node that may hold data for a purge to ask
     * @param admission paces the sweep; may be null
     */
    public TombstoneReaper(NodeConfig config, Namespaces namespaces, Clock clock, Scheduler scheduler,
            StorageEngine storage, TombstonePurge purge, Supplier<Ring> ring, BooleanSupplier ringChanging,
            Supplier<List<NodeId>> everyone, AdmissionController admission) {
        this.config = Objects.requireNonNull(config, "config");
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.purge = Objects.requireNonNull(purge, "purge");
        this.ring = Objects.requireNonNull(ring, "ring");
        this.ringChanging = Objects.requireNonNull(ringChanging, "ringChanging");
        this.everyone = Objects.requireNonNull(everyone, "everyone");
        this.admission = admission;
    }

    /**
     * Anti-entropy found this node's tree of {@code partition} equal to {@code peer}'s. Starts a
     * sweep of the partition when this node is its first owner and every other owner has now
     * been found in sync since the last sweep.
     */
    public void inSync(int partition, NodeId peer) {
        long now = clock.millis();
        inSync.computeIfAbsent(partition, p -> new HashMap<>()).put(peer, now);
        if (sweeping.contains(partition) || ringChanging.getAsBoolean()) {
            return;
        }
        Ring r = ring.get();
        List<NodeId> owners = r.preferenceList(partition, Math.min(namespaces.view().largestN(), r.members().size())).primaries();
        if (owners.isEmpty() || !owners.get(0).equals(config.self())) {
            return;
        }
        long since = lastSweep.getOrDefault(partition, Long.MIN_VALUE);
        Map<NodeId, Long> seen = inSync.get(partition);
        for (NodeId o : owners) {
            if (!o.equals(config.self()) && seen.getOrDefault(o, Long.MIN_VALUE) <= since) {
                return;
            }
        }
        sweeping.add(partition);
        lastSweep.put(partition, now);
        sweeps++;
        sweep(partition, null);
    }

    /** Sweeps the chunk of {@code partition} after {@code after}, then the next. */
    private void sweep(int partition, StoredKey after) {
        if (ringChanging.getAsBoolean()) {
            sweeping.remove(partition); // the next confirmations start it again
            lastSweep.remove(partition);
            return;
        }
        if (admission != null && !admission.tryAcquire("tombstone sweep")) {
            scheduler.schedule(PACE_RETRY, () -> sweep(partition, after));
            return;
        }
        List<StoredEntry> chunk;
        try {
            chunk = storage.scan(partition, after, CHUNK);
        } catch (RuntimeException e) {
            sweeping.remove(partition);
            return;
        }
        long oldEnough = clock.millis() - config.tombstoneGrace().toMillis();
        List<StoredEntry> candidates = new ArrayList<>();
        for (StoredEntry e : chunk) {
            if (isOldTombstone(e.state(), oldEnough)) {
                candidates.add(e);
            }
        }
        Runnable next = () -> {
            if (chunk.size() < CHUNK) {
                sweeping.remove(partition);
            } else {
                sweep(partition, chunk.get(chunk.size() - 1).key());
            }
        };
        if (candidates.isEmpty()) {
            next.run();
            return;
        }
        List<NodeId> asked = everyone.get();
        if (admission != null) {
            admission.charge("tombstone sweep", (long) candidates.size() * asked.size());
        }
        int[] left = {candidates.size()};
        Ring r = ring.get();
        for (StoredEntry e : candidates) {
            List<NodeId> owners = AntiEntropy.owners(namespaces, r, e.key());
            checked++;
            if (owners.isEmpty()) {
                if (--left[0] == 0) {
                    next.run();
                }
                continue;
            }
            purge.run(partition, e.key(), e.state(), owners, asked, done -> {
                if (done) {
                    purged++;
                }
                if (--left[0] == 0) {
                    next.run();
                }
            });
        }
    }

    /** Whether the state holds tombstones only, all written before {@code beforeMillis}. */
    private static boolean isOldTombstone(Siblings<Content> state, long beforeMillis) {
        if (state.isEmpty()) {
            return false;
        }
        for (Versioned<Content> v : state.values()) {
            if (!v.value().isTombstone() || v.value().timestampMillis() >= beforeMillis) {
                return false;
            }
        }
        return true;
    }

    /** Sweeps started so far. */
    public long sweeps() {
        return sweeps;
    }

    /** Tombstones the sweeps checked with every node. */
    public long checked() {
        return checked;
    }

    /** Tombstones whose purge the sweeps sent. */
    public long purged() {
        return purged;
    }
}

package io.dynamo.server.antientropy;

import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StoredEntry;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.Clock;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.time.Scheduler;
import io.dynamo.server.NodeConfig;
import io.dynamo.server.coordinator.Namespaces;
import io.dynamo.server.membership.FailureDetector;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.SegmentReply;
import io.dynamo.server.transport.Message.SegmentRequest;
import io.dynamo.server.transport.Message.TreeLevelReply;
import io.dynamo.server.transport.Message.TreeLevelRequest;
import io.dynamo.server.transport.Requests;
import io.dynamo.server.transport.Transport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Always-on anti-entropy (paper section 4.7): no operator schedules it. Every interval, if no
 * exchange is running, the node takes the next partition it owns and a random other reachable
 * owner, and the two run a {@link MerkleExchange}: they compare their partition's Merkle trees
 * root first, then only the children of nodes that differ, down to the differing segments; this
 * node fetches the peer's entries of those segments and merges them (causally, so nothing is lost
 * and nothing old wins), and sends the peer those of its own entries the peer lacks. Both
 * replicas end with the merge of the two. Per partition and peer the time of the last successful
 * exchange is kept.
 *
 * <p>A key is exchanged only between nodes that both own it under its namespace's N, so a
 * namespace with a smaller N never gains replicas this way.
 *
 * <p>Not thread-safe: owned by the node's thread.
 */
public final class AntiEntropy {

    private final NodeConfig config;
    private final Namespaces namespaces;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RandomSource random;
    private final StorageEngine storage;
    private final Transport transport;
    private final Requests requests;
    private final FailureDetector detector;
    private final Supplier<Ring> ring;
    private final io.dynamo.server.admission.AdmissionController admission;
    private final Map<String, Sync> lastSync = new HashMap<>();
    private boolean started;
    private boolean running;
    private int cursor;
    private long exchanges;
    private long exchangesFailed;
    private long keysRepaired;
    private long keysSent;

    public AntiEntropy(NodeConfig config, Namespaces namespaces, Clock clock, Scheduler scheduler, RandomSource random,
            StorageEngine storage, Transport transport, Requests requests, FailureDetector detector, Supplier<Ring> ring,
            io.dynamo.server.admission.AdmissionController admission) {
        this.admission = admission;
        this.config = Objects.requireNonNull(config, "config");
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.ring = Objects.requireNonNull(ring, "ring");
    }

    private java.util.function.BiConsumer<Integer, NodeId> onInSync = (p, peer) -> { };

    /** Tells {@code listener} of every exchange that found a partition's trees equal to a peer's. */
    public void onInSync(java.util.function.BiConsumer<Integer, NodeId> listener) {
        this.onInSync = Objects.requireNonNull(listener, "listener");
    }

    public void start() {
        if (!started) {
            started = true;
            scheduler.schedule(config.antiEntropyInterval(), this::tick);
        }
    }

    private void tick() {
        try {
            if (repair != null && !repair.finished()) {
                pumpRepair();
            } else if (!running && (admission == null || admission.tryAcquire("anti-entropy"))) {
                startNext();
            }
        } catch (RuntimeException e) {
            running = false;
            exchangesFailed++;
        } finally {
            scheduler.schedule(config.antiEntropyInterval(), this::tick);
        }
    }

    private void startNext() {
        Ring r = ring.get();
        int n = Math.min(namespaces.view().largestN(), r.members().size());
        NodeId self = config.self();
        for (int tries = 0; tries < r.partitionCount(); tries++) {
            int p = Math.floorMod(cursor++, r.partitionCount());
            List<NodeId> owners = r.preferenceList(p, n).primaries();
            if (!owners.contains(self)) {
                continue;
            }
            List<NodeId> peers = new ArrayList<>();
            for (NodeId o : owners) {
                if (!o.equals(self) && detector.isReachable(o)) {
                    peers.add(o);
                }
            }
            if (peers.isEmpty()) {
                continue;
            }
            exchange(p, peers.get(random.nextInt(peers.size())));
            return;
        }
    }

    private void exchange(int partition, NodeId peer) {
        exchange(partition, peer, key -> bothOwn(key, peer), outcome -> { });
    }

    private void exchange(int partition, NodeId peer, java.util.function.Predicate<StoredKey> exchanged,
            java.util.function.Consumer<MerkleExchange.Outcome> then) {
        running = true;
        MerkleExchange exchange = new MerkleExchange(partition, peer, storage, requests,
                config.replicaTimeout(), exchanged, exchanged, Durability.BUFFERED,
                outcome -> {
                    running = false;
                    then.accept(outcome);
                    if (repair != null && !repair.finished()) {
                        scheduler.execute(this::pumpRepair); // an operator's round goes on at once
                    }
                    if (outcome.ok()) {
                        exchanges++;
                        keysRepaired += outcome.changedHere();
                        keysSent += outcome.sent();
                        lastSync.put(partition + "/" + peer.value(), new Sync(clock.millis(),
                                outcome.differingSegments(), outcome.changedHere(), outcome.sent()));
                        if (outcome.differingSegments() == 0) {
                            onInSync.accept(partition, peer);
                        }
                    } else {
                        exchangesFailed++;
                    }
                });
        if (admission != null) {
            exchange.pacedBy(admission, "anti-entropy", scheduler);
        }
        exchange.start();
    }

    // ---------------------------------------------------------------- operator's repair

    private RepairRound repair;
    private long repairs;

    /**
     * Starts a repair round now (see {@link RepairRound}): an exchange of every partition this
     * node owns (under {@code bucket}'s N, or the largest N), or of {@code partition} alone, with
     * each reachable other owner; with a bucket, only its keys are exchanged.
     *
     * @param bucket a bucket name, or null for every bucket
     * @param partition a partition this node owns, or -1 for all
     * @throws IllegalArgumentException for a bucket name that is refused, a partition out of
     *     range or not owned here (the message names its owners), or nothing to repair
     * @throws IllegalStateException while another round runs
     */
    public RepairRound.Status repair(String bucket, int partition) {
        if (repair != null && !repair.finished()) {
            RepairRound.Status s = repair.status();
            throw new IllegalStateException("repair " + s.id() + " is running on " + config.self() + " (" + s.done()
                    + " of " + s.total() + " exchanges done); wait for it to finish");
        }
        Ring r = ring.get();
        int n = Math.min(bucket == null ? namespaces.view().largestN() : namespaces.properties(bucket).n(),
                r.members().size());
        if (partition < -1 || partition >= r.partitionCount()) {
            throw new IllegalArgumentException("partition " + partition + " does not exist: the ring has "
                    + r.partitionCount() + " partitions, 0 to " + (r.partitionCount() - 1));
        }
        NodeId self = config.self();
        List<RepairRound.Pair> pairs = new ArrayList<>();
        Map<String, String> skipped = new java.util.LinkedHashMap<>();
        for (int p = partition < 0 ? 0 : partition; p < (partition < 0 ? r.partitionCount() : partition + 1); p++) {
            List<NodeId> owners = r.preferenceList(p, n).primaries();
            if (!owners.contains(self)) {
                if (partition >= 0) {
                    throw new IllegalArgumentException(self + " does not own partition " + p + " (its owners are "
                            + owners + "); run the repair on one of them");
                }
                continue;
            }
            pairs.addAll(RepairRound.pairs(p, owners, self, detector::isReachable, skipped));
        }
        if (pairs.isEmpty() && skipped.isEmpty()) {
            throw new IllegalArgumentException(self + " owns no partition with another owner to repair with");
        }
        repair = new RepairRound(++repairs, bucket, partition, pairs, skipped, clock.millis());
        pumpRepair();
        return repair.status();
    }

    /** The running repair round, else the last one; empty if none was asked for since the start. */
    public Optional<RepairRound.Status> repairStatus() {
        return Optional.ofNullable(repair).map(RepairRound::status);
    }

    /** Starts the round's next exchange unless one (the round's or a periodic one) is running. */
    private void pumpRepair() {
        RepairRound round = repair;
        if (round == null || round.finished() || running) {
            return;
        }
        RepairRound.Pair pair = round.next();
        if (pair == null) {
            round.finishIfDone(clock.millis());
            return;
        }
        String bucket = round.bucket();
        exchange(pair.partition(), pair.peer(),
                key -> bothOwn(key, pair.peer()) && (bucket == null || key.namespace().equals(bucket)),
                round::record);
    }

    /** Whether this node and {@code peer} both own {@code key} under its namespace's N. */
    private boolean bothOwn(StoredKey key, NodeId peer) {
        List<NodeId> owners = owners(namespaces, ring.get(), key);
        return owners.contains(config.self()) && owners.contains(peer);
    }

    /** {@code key}'s owners on {@code r} under its namespace's N; empty for a namespace name that is refused. */
    static List<NodeId> owners(Namespaces namespaces, Ring r, StoredKey key) {
        int n;
        try {
            n = namespaces.properties(key.namespace()).n();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return r.preferenceList(key.token(), Math.min(n, r.members().size())).primaries();
    }

    /** Serves a peer's tree and segment requests; false if {@code message} is not one. */
    public boolean handle(NodeId from, Message message) {
        switch (message) {
            case TreeLevelRequest t -> {
                if (admission != null && !admission.tryAcquire("anti-entropy served")) {
                    transport.send(from, new TreeLevelReply(t.requestId(), null, "busy: background work is paused"));
                    return true;
                }
                try {
                    transport.send(from, new TreeLevelReply(t.requestId(),
                            storage.merkleTree(t.partition()).levelHashes(t.level(), t.nodes()), null));
                } catch (StorageException | IllegalArgumentException e) {
                    transport.send(from, new TreeLevelReply(t.requestId(), null, String.valueOf(e.getMessage())));
                }
            }
            case SegmentRequest s -> {
                if (admission != null && !admission.tryAcquire("anti-entropy served")) {
                    transport.send(from, new SegmentReply(s.requestId(), List.of(), 0,
                            "busy: background work is paused"));
                    return true;
                }
                try {
                    TreeShape shape = storage.merkleTree(s.partition()).shape();
                    List<StoredEntry> out = new ArrayList<>();
                    int served = 0;
                    for (int seg : s.segments()) {
                        List<StoredEntry> entries = storage.scanKeyHashRange(s.partition(), shape.firstKeyHash(seg),
                                shape.lastKeyHash(seg));
                        if (served > 0 && out.size() + entries.size() > s.maxEntries()) {
                            break; // the rest in the next request: one reply is a bounded stretch of work
                        }
                        out.addAll(entries);
                        served++;
                    }
                    if (admission != null) {
                        admission.charge("anti-entropy served", out.size());
                    }
                    transport.send(from, new SegmentReply(s.requestId(), out, served, null));
                } catch (StorageException | IllegalArgumentException e) {
                    transport.send(from, new SegmentReply(s.requestId(), List.of(), 0,
                            String.valueOf(e.getMessage())));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** When this node last completed an exchange of {@code partition} with {@code peer} (wall-clock millis). */
    public Optional<Long> lastSync(int partition, NodeId peer) {
        return lastExchange(partition, peer).map(Sync::atMillis);
    }

    /**
     * The last completed exchange of a partition with one replica.
     *
     * @param atMillis when it completed (the clock's wall-clock millis)
     * @param differingSegments Merkle segments whose hashes differed (0: the two were in sync)
     * @param keysRepaired keys whose state here it changed
     * @param keysSent keys it sent to the peer
     */
    public record Sync(long atMillis, int differingSegments, int keysRepaired, int keysSent) {
    }

    /** The last completed exchange of {@code partition} with {@code peer}, if any. */
    public Optional<Sync> lastExchange(int partition, NodeId peer) {
        return Optional.ofNullable(lastSync.get(partition + "/" + peer.value()));
    }

    /** Exchanges completed (whether or not they found differences). */
    public long exchanges() {
        return exchanges;
    }

    public long exchangesFailed() {
        return exchangesFailed;
    }

    /** Keys sent to a peer that lacked what this node held. */
    public long keysSent() {
        return keysSent;
    }

    /** Keys whose local state an exchange changed. */
    public long keysRepaired() {
        return keysRepaired;
    }
}

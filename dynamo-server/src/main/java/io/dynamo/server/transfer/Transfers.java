package io.dynamo.server.transfer;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.Transfer;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StoredEntry;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.Clock;
import io.dynamo.core.time.Scheduler;
import io.dynamo.server.NodeConfig;
import io.dynamo.server.coordinator.Namespaces;
import io.dynamo.server.admission.AdmissionController;
import io.dynamo.server.antientropy.MerkleExchange;
import io.dynamo.server.membership.FailureDetector;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.TransferChunkReply;
import io.dynamo.server.transport.Message.TransferChunkRequest;
import io.dynamo.server.transport.Requests;
import io.dynamo.server.transport.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Ownership transfer (paper section 4.9), both sides of it on one node.
 *
 * <h2>Taking a partition over</h2>
 * While a ring change is under way ({@link ClusterState#next()}), this node runs the transfers of
 * the plan that are its own ({@link ClusterState#transfers}), one at a time:
 * <ol>
 *   <li><em>Streaming.</em> It asks a reachable current owner of the partition
 *       ({@link ClusterState#sources}) for the partition's entries in key order, a chunk at a
 *       time, and merges those it will own. After each chunk it flushes and records the last key
 *       in its metadata store (the checkpoint), so a transfer interrupted by a crash on either
 *       side resumes after the last chunk it made durable. Writes made meanwhile reach it too:
 *       coordinators send writes to the owners under both rings.</li>
 *   <li><em>Confirming.</em> It runs a {@link MerkleExchange} with the source, pulling what it
 *       lacks. The transfer is done when an exchange finds nothing to pull: the trees are equal,
 *       or every differing key is one this node will not own or already holds. It then marks the
 *       transfer {@linkplain ClusterState#withReceived received}, which gossip carries to the
 *       claimant, who promotes the plan once every transfer is received.</li>
 * </ol>
 *
 * <h2>Handing a partition off</h2>
 * Once a ring has been in force (no change under way) for the hand-off delay, a partition this
 * node holds keys of that it does not own is handed off: a {@link MerkleExchange} with each owner
 * of the partition pushes every such key the owner lacks. When one round finds every owner lacking
 * nothing and the partition did not change meanwhile (same Merkle root), the keys are dropped
 * (the whole partition when this node owns none of it). So the old owner drops data only after
 * the new owners confirmed they hold it, which also covers writes that reached it late, from a
 * coordinator that had not yet learned the new ring.
 *
 * <p>Both sides take permits from the admission controller: background work yields to foreground
 * latency. Not thread-safe: owned by the node's thread.
 */
public final class Transfers {

    /** The metadata entry prefix of transfer checkpoints: {@code transfer.<epoch>.<partition>}. */
    public static final String CHECKPOINT_PREFIX = "transfer.";

    /**
     * What this node is doing about ring changes.
     *
     * @param pending transfers to this node not yet started
     * @param active the partition being streamed or confirmed; empty when none is
     * @param activePhase "streaming", "confirming", or "" when none is active
     * @param done transfers this node completed (since it started)
     * @param keysMoved keys received by streaming
     * @param bytesMoved bytes of values received by streaming
     * @param bytesPerSecond bytes received per second of streaming
     * @param handedOff partitions handed off and dropped (or thinned) by this node
     * @param keysHandedOff keys pushed to owners that lacked them before a drop
     */
    public record Progress(int pending, OptionalInt active, String activePhase, long done, long keysMoved,
            long bytesMoved, double bytesPerSecond, long handedOff, long keysHandedOff) {
    }

    private final NodeConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final StorageEngine storage;
    private final Transport transport;
    private final Requests requests;
    private final FailureDetector detector;
    private final Supplier<ClusterState> state;
    private final Consumer<Transfer> received;
    private final Namespaces namespaces;
    private final AdmissionController admission;
    private boolean started;

    private Incoming incoming;
    private Outgoing outgoing;
    private long done;
    private long keysMoved;
    private long bytesMoved;
    private long streamingNanos;
    private long handedOff;
    private long keysHandedOff;
    private long served;
    private long resumed;
    private long failures;

    /** The ring epoch a hand-off waits on, and since when it has been in force here. */
    private long settledEpoch = -1;
    private long settledSince;
    /**
     * Partitions found holding nothing to hand off under {@link #settledEpoch}, with their Merkle
     * root then: a partition whose root moved (a late write or hint arrived) is looked at again.
     */
    private final java.util.Map<Integer, Long> clean = new java.util.HashMap<>();

    /**
     * @param state this node's view of the cluster
     * @param received marks a transfer of this node received (the gossiper spreads it)
     * @param namespaces the namespaces' properties: their N, and every replication factor in use
     * @param admission paces the work (null: unpaced)
     */
    public Transfers(NodeConfig config, Namespaces namespaces, Clock clock, Scheduler scheduler, StorageEngine storage,
            Transport transport, Requests requests, FailureDetector detector, Supplier<ClusterState> state,
            Consumer<Transfer> received, AdmissionController admission) {
        this.config = Objects.requireNonNull(config, "config");
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.state = Objects.requireNonNull(state, "state");
        this.received = Objects.requireNonNull(received, "received");
        this.admission = admission;
    }

    public void start() {
        if (!started) {
            started = true;
            scheduler.schedule(config.transferInterval(), this::tick);
        }
    }

    private void startNext() {
        guarded(() -> {
            if (incoming == null) {
                takeOver(state.get());
            }
        });
    }

    /** Runs {@code step}; a failure (a storage error) is counted and the transfer retried from its checkpoint. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures++;
            if (incoming != null) {
                incoming.abandon();
            }
            incoming = null;
        }
    }

    private void tick() {
        try {
            ClusterState s = state.get();
            takeOver(s);
            handOff(s);
        } catch (RuntimeException e) {
            failures++; // counted; the next tick tries again
            incoming = null;
            outgoing = null;
        } finally {
            scheduler.schedule(config.transferInterval(), this::tick);
        }
    }

    private NodeId self() {
        return config.self();
    }

    private boolean permit(String what) {
        return admission == null || admission.tryAcquire(what);
    }

    private MerkleExchange paced(String what, MerkleExchange exchange) {
        return admission == null ? exchange : exchange.pacedBy(admission, what, scheduler);
    }

    private void charge(String what, long keys) {
        if (admission != null) {
            admission.charge(what, keys);
        }
    }

    private int n(StoredKey key) {
        try {
            return namespaces.properties(key.namespace()).n();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** Whether {@code node} owns {@code key} (in {@code partition}) under {@code ring}. */
    private boolean owns(Ring ring, NodeId node, int partition, StoredKey key) {
        int n = n(key);
        return n > 0 && ClusterState.owners(ring, partition, n).contains(node);
    }

    // ------------------------------------------------------------------ taking over

    private List<Transfer> mine(ClusterState s) {
        List<Transfer> out = new ArrayList<>();
        for (Transfer t : s.transfers(namespaces.view().replicationFactors())) {
            if (t.node().equals(self()) && !s.received().contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private io.dynamo.server.events.ClusterEvents events = io.dynamo.server.events.ClusterEvents.NONE;

    /** Reports each transfer to this node as it starts and when it is received whole, to {@code sink}. */
    public void reportTo(io.dynamo.server.events.ClusterEvents sink) {
        this.events = java.util.Objects.requireNonNull(sink, "sink");
    }

    private void takeOver(ClusterState s) {
        Optional<Ring> next = s.next();
        if (incoming != null) {
            if (next.isEmpty() || next.get().epoch() != incoming.epoch || !mine(s).contains(incoming.transfer)) {
                incoming.abandon(); // the plan was promoted, replaced, or the transfer marked done
                incoming = null;
            } else {
                incoming.resume(s);
                return;
            }
        }
        if (next.isEmpty()) {
            return;
        }
        for (Transfer t : mine(s)) {
            NodeId source = null;
            for (NodeId candidate : s.sources(t, namespaces.view().replicationFactors())) {
                if (!candidate.equals(self()) && detector.isReachable(candidate)) {
                    source = candidate;
                    break;
                }
            }
            if (source != null) {
                incoming = new Incoming(t, next.get().epoch(), source);
                events.event(io.dynamo.server.events.ClusterEvents.Kind.TRANSFER_STARTED, "receiving partition " + t.partition() + " from "
                        + source + " for ring epoch " + incoming.epoch + " (" + mine(s).size() + " to receive)");
                incoming.resume(s);
                return;
            }
        }
    }

    private static String checkpointName(long epoch, int partition) {
        return CHECKPOINT_PREFIX + epoch + "." + partition;
    }

    /** A checkpoint's bytes: u16 namespace length, the namespace (UTF-8), the key bytes. */
    static byte[] encodeKey(StoredKey key) {
        byte[] ns = key.namespace().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = key.bytes();
        return ByteBuffer.allocate(2 + ns.length + bytes.length).putShort((short) ns.length).put(ns).put(bytes).array();
    }

    static StoredKey decodeKey(byte[] encoded) {
        ByteBuffer b = ByteBuffer.wrap(encoded);
        int nsLength = Short.toUnsignedInt(b.getShort());
        if (nsLength > b.remaining()) {
            throw new IllegalArgumentException("checkpoint truncated");
        }
        byte[] ns = new byte[nsLength];
        b.get(ns);
        byte[] key = new byte[b.remaining()];
        b.get(key);
        return StoredKey.of(new String(ns, StandardCharsets.UTF_8), key);
    }

    /** One transfer to this node: streaming, then confirming. */
    private final class Incoming {
        final Transfer transfer;
        final long epoch;
        final NodeId source;
        final String checkpoint;
        boolean confirming;
        boolean first = true;
        boolean waiting;
        boolean abandoned;

        Incoming(Transfer transfer, long epoch, NodeId source) {
            this.transfer = transfer;
            this.epoch = epoch;
            this.source = source;
            this.checkpoint = checkpointName(epoch, transfer.partition());
        }

        /** Sends the next request unless one is outstanding. */
        void resume(ClusterState s) {
            if (waiting || abandoned) {
                return;
            }
            if (!detector.isReachable(source)) {
                abandon(); // another source next tick
                incoming = null;
                return;
            }
            if (!permit("transfer")) {
                return;
            }
            Ring next = s.next().orElseThrow();
            if (confirming) {
                confirm(next);
            } else {
                requestChunk(next);
            }
        }

        void requestChunk(Ring next) {
            StoredKey after = storage.metadata().get(checkpoint).map(Transfers::decodeKey).orElse(null);
            if (first && after != null) {
                resumed++; // after a crash of either side, or a change of source
            }
            first = false;
            int partition = transfer.partition();
            long sent = clock.nanoTime();
            waiting = true;
            requests.send(source, id -> new TransferChunkRequest(id, partition, after, config.transferBatch()),
                    config.replicaTimeout(), new Requests.Callback() {
                        @Override
                        public void onReply(Message reply) {
                            waiting = false;
                            if (abandoned || !(reply instanceof TransferChunkReply r) || !r.ok()) {
                                return; // busy or failed: the next tick asks again
                            }
                            streamingNanos += clock.nanoTime() - sent;
                            guarded(() -> apply(next, r));
                        }

                        @Override
                        public void onTimeout() {
                            waiting = false;
                        }
                    });
        }

        void apply(Ring next, TransferChunkReply r) {
            int partition = transfer.partition();
            StoredKey last = null;
            for (StoredEntry e : r.entries()) {
                last = e.key();
                if (owns(next, self(), partition, e.key())) {
                    storage.merge(partition, e.key(), e.state(), Durability.BUFFERED);
                    keysMoved++;
                    for (var v : e.state().values()) {
                        bytesMoved += v.value().size();
                    }
                }
            }
            charge("transfer", r.entries().size());
            // The chunk durable first, then the checkpoint past it: a crash resumes after what is on disk.
            storage.flush();
            if (last != null) {
                storage.metadata().put(checkpoint, encodeKey(last));
            }
            if (r.last()) {
                confirming = true;
            }
            // Keep streaming without waiting for the next tick while permits allow.
            scheduler.execute(() -> guarded(() -> {
                if (incoming == this) {
                    takeOver(state.get());
                }
            }));
        }

        void confirm(Ring next) {
            int partition = transfer.partition();
            Ring current = state.get().ring();
            waiting = true;
            paced("transfer", new MerkleExchange(partition, source, storage, requests,
                    config.replicaTimeout(),
                    key -> owns(next, self(), partition, key) && owns(current, source, partition, key),
                    key -> false, Durability.BUFFERED, outcome -> guarded(() -> {
                        waiting = false;
                        if (abandoned || !outcome.ok()) {
                            return;
                        }
                        if (outcome.changedHere() == 0) {
                            finish();
                        }
                        // else: keys arrived meanwhile; the next tick confirms again
                    }))).start();
        }

        void finish() {
            storage.flush();
            storage.metadata().delete(checkpoint);
            done++;
            events.event(io.dynamo.server.events.ClusterEvents.Kind.TRANSFER_FINISHED, "partition " + transfer.partition() + " received from "
                    + source + " for ring epoch " + epoch + ", confirmed in sync");
            incoming = null;
            abandoned = true;
            received.accept(transfer);
            scheduler.execute(Transfers.this::startNext); // the next one without waiting for a tick
        }

        void abandon() {
            abandoned = true;
        }
    }

    /** Serves a new owner's chunk request; false if {@code message} is not one. */
    public boolean handle(NodeId from, Message message) {
        if (!(message instanceof TransferChunkRequest r)) {
            return false;
        }
        if (!permit("transfer served")) {
            transport.send(from, new TransferChunkReply(r.requestId(), List.of(), false,
                    "busy: background work is paused"));
            return true;
        }
        try {
            int limit = Math.max(1, Math.min(r.limit(), 4096));
            List<StoredEntry> entries = storage.scan(r.partition(), r.after(), limit);
            served += entries.size();
            charge("transfer served", entries.size());
            transport.send(from, new TransferChunkReply(r.requestId(), entries, entries.size() < limit, null));
        } catch (StorageException | IllegalArgumentException e) {
            transport.send(from, new TransferChunkReply(r.requestId(), List.of(), false, String.valueOf(e.getMessage())));
        }
        return true;
    }

    // ------------------------------------------------------------------ handing off

    private void handOff(ClusterState s) {
        if (s.next().isPresent()) {
            settledEpoch = -1; // old owners keep everything while a change is under way
            return;
        }
        long epoch = s.ring().epoch();
        if (epoch != settledEpoch) {
            settledEpoch = epoch;
            settledSince = clock.nanoTime();
            clean.clear();
            outgoing = null;
            return;
        }
        if (clock.nanoTime() - settledSince < config.handoffDelay().toNanos() || outgoing != null) {
            return;
        }
        Ring ring = s.ring();
        Set<Integer> ns = namespaces.view().replicationFactors();
        int maxN = ns.stream().mapToInt(Integer::intValue).max().orElse(1);
        for (int p : storage.partitions()) {
            if (p >= ring.partitionCount()) {
                continue;
            }
            boolean ownsForEvery = true;
            for (int n : ns) {
                ownsForEvery &= ClusterState.owners(ring, p, n).contains(self());
            }
            if (ownsForEvery) {
                continue; // every key of it is this node's own
            }
            long root = storage.merkleTree(p).root();
            Long seen = clean.get(p);
            if (seen != null && seen == root) {
                continue;
            }
            List<NodeId> owners = new ArrayList<>(ClusterState.owners(ring, p, maxN));
            owners.remove(self());
            if (!permit("hand-off")) {
                return;
            }
            outgoing = new Outgoing(p, ring, owners);
            outgoing.next();
            return;
        }
    }

    /** One hand-off round of one partition: an exchange with each owner in turn, then the drop. */
    private final class Outgoing {
        final int partition;
        final Ring ring;
        final List<NodeId> owners;
        final long rootBefore;
        int index;
        int sent;

        Outgoing(int partition, Ring ring, List<NodeId> owners) {
            this.partition = partition;
            this.ring = ring;
            this.owners = owners;
            this.rootBefore = storage.merkleTree(partition).root();
        }

        void next() {
            if (index == owners.size()) {
                finish();
                return;
            }
            NodeId owner = owners.get(index);
            if (!detector.isReachable(owner)) {
                outgoing = null; // try again later; the data stays
                return;
            }
            paced("hand-off", new MerkleExchange(partition, owner, storage, requests,
                    config.replicaTimeout(), key -> false,
                    key -> !owns(ring, self(), partition, key) && owns(ring, owner, partition, key),
                    Durability.DURABLE, outcome -> {
                        if (outgoing != this) {
                            return;
                        }
                        try {
                            if (!outcome.ok()) {
                                outgoing = null;
                                return;
                            }
                            sent += outcome.sent();
                            index++;
                            next();
                        } catch (RuntimeException e) {
                            failures++;
                            outgoing = null;
                        }
                    })).start();
        }

        void finish() {
            outgoing = null;
            keysHandedOff += sent;
            if (sent > 0 || storage.merkleTree(partition).root() != rootBefore) {
                return; // owners lacked something, or keys arrived: another round confirms
            }
            boolean ownsAny = false;
            for (int n : namespaces.view().replicationFactors()) {
                ownsAny |= ClusterState.owners(ring, partition, n).contains(self());
            }
            if (!ownsAny) {
                storage.dropPartition(partition);
            } else {
                StoredKey after = null;
                List<StoredEntry> page;
                do {
                    page = storage.scan(partition, after, 1024);
                    for (StoredEntry e : page) {
                        after = e.key();
                        if (!owns(ring, self(), partition, e.key())) {
                            storage.removeIfUnchanged(partition, e.key(), e.state());
                        }
                    }
                } while (page.size() == 1024);
            }
            handedOff++;
            clean.put(partition, storage.merkleTree(partition).root());
        }
    }

    // ------------------------------------------------------------------ observation

    public Progress progress() {
        ClusterState s = state.get();
        List<Transfer> mine = mine(s);
        int pending = mine.size() - (incoming != null && mine.contains(incoming.transfer) ? 1 : 0);
        double seconds = streamingNanos / 1e9;
        OptionalInt active = incoming == null ? OptionalInt.empty() : OptionalInt.of(incoming.transfer.partition());
        return new Progress(pending, active,
                incoming == null ? "" : incoming.confirming ? "confirming" : "streaming", done, keysMoved, bytesMoved,
                seconds == 0 ? 0 : bytesMoved / seconds, handedOff, keysHandedOff);
    }

    /** Transfers that resumed from a checkpoint instead of the partition's first key. */
    public long resumed() {
        return resumed;
    }

    /** Entries this node sent to new owners. */
    public long served() {
        return served;
    }

    /** Ticks that failed (a storage error); counted, retried. */
    public long failures() {
        return failures;
    }
}

package io.dynamo.server.antientropy;

import io.dynamo.core.merkle.Descent;
import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.merkle.TreeView;
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
import io.dynamo.server.membership.FailureDetector;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.ReplicaWrite;
import io.dynamo.server.transport.Message.SegmentReply;
import io.dynamo.server.transport.Message.SegmentRequest;
import io.dynamo.server.transport.Message.TreeLevelReply;
import io.dynamo.server.transport.Message.TreeLevelRequest;
import io.dynamo.server.transport.Requests;
import io.dynamo.server.transport.Transport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Always-on anti-entropy (paper section 4.7): no operator schedules it. Every interval, if no
 * exchange is running, the node takes the next partition it owns and a random other reachable
 * owner, and the two compare their partition's Merkle trees: root first, then only the children
 * of nodes that differ, down to the differing segments; then this node fetches the peer's entries
 * of those segments and merges them (causally, so nothing is lost and nothing old wins), and sends
 * the peer its own entries of those segments as replica writes. Both replicas end with the merge
 * of the two. Per partition and peer the time of the last successful exchange is kept.
 *
 * <p>A key is exchanged only between nodes that both own it under its namespace's N, so a
 * namespace with a smaller N never gains replicas this way.
 *
 * <p>Not thread-safe: owned by the node's thread.
 */
public final class AntiEntropy {

    private final NodeConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RandomSource random;
    private final StorageEngine storage;
    private final Transport transport;
    private final Requests requests;
    private final FailureDetector detector;
    private final Supplier<Ring> ring;
    private final io.dynamo.server.admission.AdmissionController admission;
    private final Map<String, Long> lastSync = new HashMap<>();
    private boolean started;
    private boolean running;
    /** The exchange under way; callbacks of an older one are ignored. */
    private Exchange current;
    private int cursor;
    private long exchanges;
    private long exchangesFailed;
    private long keysRepaired;

    public AntiEntropy(NodeConfig config, Clock clock, Scheduler scheduler, RandomSource random, StorageEngine storage,
            Transport transport, Requests requests, FailureDetector detector, Supplier<Ring> ring,
            io.dynamo.server.admission.AdmissionController admission) {
        this.admission = admission;
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.ring = Objects.requireNonNull(ring, "ring");
    }

    public void start() {
        if (!started) {
            started = true;
            scheduler.schedule(config.antiEntropyInterval(), this::tick);
        }
    }

    private int maxN() {
        int n = config.defaults().n();
        for (var p : config.namespaces().values()) {
            n = Math.max(n, p.n());
        }
        return n;
    }

    private void tick() {
        try {
            if (!running && (admission == null || admission.tryAcquire("anti-entropy"))) {
                startNext();
            }
        } catch (RuntimeException e) {
            running = false;
            current = null;
            exchangesFailed++;
        } finally {
            scheduler.schedule(config.antiEntropyInterval(), this::tick);
        }
    }

    private void startNext() {
        Ring r = ring.get();
        int n = Math.min(maxN(), r.members().size());
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
            Exchange exchange = new Exchange(p, peers.get(random.nextInt(peers.size())));
            exchange.descend(Descent.start(storage.merkleTree(p).shape()));
            return;
        }
    }

    /** One exchange of one partition with one peer. */
    private final class Exchange {
        final int partition;
        final NodeId peer;

        Exchange(int partition, NodeId peer) {
            this.partition = partition;
            this.peer = peer;
            running = true;
            current = this;
        }

        void descend(Descent descent) {
            requests.send(peer, id -> new TreeLevelRequest(id, partition, descent.level(), descent.nodes()),
                    config.replicaTimeout(), callback(reply -> {
                        if (!(reply instanceof TreeLevelReply r) || !r.ok()) {
                            fail();
                            return;
                        }
                        TreeView local = storage.merkleTree(partition);
                        Descent next = descent.next(local, r.hashes());
                        if (next.isComplete()) {
                            fetch(next.differingSegments());
                        } else {
                            descend(next);
                        }
                    }));
        }

        void fetch(int[] segments) {
            if (segments.length == 0) {
                succeed();
                return;
            }
            requests.send(peer, id -> new SegmentRequest(id, partition, segments), config.replicaTimeout(),
                    callback(reply -> {
                        if (!(reply instanceof SegmentReply r) || !r.ok()) {
                            fail();
                            return;
                        }
                        repair(segments, r.entries());
                        succeed();
                    }));
        }

        /** Merges the peer's entries here and sends it ours, both ways only for keys both own. */
        void repair(int[] segments, List<StoredEntry> theirs) {
            Ring r = ring.get();
            Set<StoredKey> seen = new HashSet<>();
            for (StoredEntry e : theirs) {
                seen.add(e.key());
                if (bothOwn(r, e.key())) {
                    var result = storage.merge(partition, e.key(), e.state(), Durability.BUFFERED);
                    if (result.changed()) {
                        keysRepaired++;
                    }
                }
            }
            TreeShape shape = storage.merkleTree(partition).shape();
            for (int s : segments) {
                long from = shape.firstKeyHash(s);
                for (StoredEntry mine : storage.scanKeyHashRange(partition, from, shape.lastKeyHash(s))) {
                    if (bothOwn(r, mine.key())) {
                        transport.send(peer, new ReplicaWrite(requests.nextId(), partition, mine.key(), mine.state(),
                                Durability.BUFFERED, null));
                    }
                }
            }
        }

        boolean bothOwn(Ring r, StoredKey key) {
            int n;
            try {
                n = config.namespace(key.namespace()).n();
            } catch (IllegalArgumentException e) {
                return false;
            }
            List<NodeId> owners = r.preferenceList(key.token(), Math.min(n, r.members().size())).primaries();
            return owners.contains(config.self()) && owners.contains(peer);
        }

        void succeed() {
            exchanges++;
            lastSync.put(partition + "/" + peer.value(), clock.millis());
            running = false;
            current = null;
        }

        void fail() {
            exchangesFailed++;
            running = false;
            current = null;
        }

        Requests.Callback callback(java.util.function.Consumer<Message> onReply) {
            return new Requests.Callback() {
                @Override
                public void onReply(Message reply) {
                    if (current != Exchange.this) {
                        return; // an exchange that was given up on
                    }
                    try {
                        onReply.accept(reply);
                    } catch (RuntimeException e) {
                        fail();
                    }
                }

                @Override
                public void onTimeout() {
                    if (current == Exchange.this) {
                        fail();
                    }
                }
            };
        }
    }

    /** Serves a peer's tree and segment requests; false if {@code message} is not one. */
    public boolean handle(NodeId from, Message message) {
        switch (message) {
            case TreeLevelRequest t -> {
                try {
                    transport.send(from, new TreeLevelReply(t.requestId(),
                            storage.merkleTree(t.partition()).levelHashes(t.level(), t.nodes()), null));
                } catch (StorageException | IllegalArgumentException e) {
                    transport.send(from, new TreeLevelReply(t.requestId(), null, String.valueOf(e.getMessage())));
                }
            }
            case SegmentRequest s -> {
                if (admission != null && !admission.tryAcquire("anti-entropy served")) {
                    transport.send(from, new SegmentReply(s.requestId(), List.of(), "busy: background work is paused"));
                    return true;
                }
                try {
                    TreeShape shape = storage.merkleTree(s.partition()).shape();
                    List<StoredEntry> out = new ArrayList<>();
                    for (int seg : s.segments()) {
                        out.addAll(storage.scanKeyHashRange(s.partition(), shape.firstKeyHash(seg),
                                shape.lastKeyHash(seg)));
                    }
                    transport.send(from, new SegmentReply(s.requestId(), out, null));
                } catch (StorageException | IllegalArgumentException e) {
                    transport.send(from, new SegmentReply(s.requestId(), List.of(), String.valueOf(e.getMessage())));
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
        return Optional.ofNullable(lastSync.get(partition + "/" + peer.value()));
    }

    /** Exchanges completed (whether or not they found differences). */
    public long exchanges() {
        return exchanges;
    }

    public long exchangesFailed() {
        return exchangesFailed;
    }

    /** Keys whose local state an exchange changed. */
    public long keysRepaired() {
        return keysRepaired;
    }
}

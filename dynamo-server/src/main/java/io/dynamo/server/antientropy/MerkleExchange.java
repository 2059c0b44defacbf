package io.dynamo.server.antientropy;

import io.dynamo.core.merkle.Descent;
import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.merkle.TreeView;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StoredEntry;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.ReplicaWrite;
import io.dynamo.server.transport.Message.SegmentReply;
import io.dynamo.server.transport.Message.SegmentRequest;
import io.dynamo.server.transport.Message.TreeLevelReply;
import io.dynamo.server.transport.Message.TreeLevelRequest;
import io.dynamo.server.transport.Requests;
import io.dynamo.server.transport.Transport;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One Merkle comparison of a partition with a peer, the step shared by anti-entropy, the
 * confirmation of an ownership transfer and the hand-off before a partition is dropped: compare
 * the two trees root first, descending only into nodes that differ, down to the differing
 * segments; fetch the peer's entries of those segments; merge here those that {@code pull}
 * accepts, and send the peer, as replica writes, this node's entries that {@code push} accepts
 * and that the peer lacks (its state does not already cover them). Causal merges both ways:
 * nothing is lost and nothing old wins.
 *
 * <p>The {@link Outcome} says what the exchange found; an exchange that finds both trees equal
 * ends after one request. Not thread-safe: runs on the node's thread; completes exactly once.
 */
public final class MerkleExchange {

    /**
     * @param ok whether the exchange completed (false: the peer did not answer, or refused)
     * @param differingSegments the segments whose hashes differed
     * @param changedHere keys whose local state the pulled entries changed
     * @param sent keys sent to the peer because it lacked something this node holds
     * @param error why it did not complete, or null
     */
    public record Outcome(boolean ok, int differingSegments, int changedHere, int sent, String error) {
        static Outcome failed(String error) {
            return new Outcome(false, 0, 0, 0, error);
        }
    }

    private final int partition;
    private final NodeId peer;
    private final StorageEngine storage;
    private final Transport transport;
    private final Requests requests;
    private final Duration timeout;
    private final Predicate<StoredKey> pull;
    private final Predicate<StoredKey> push;
    private final Durability pushDurability;
    private final Consumer<Outcome> done;
    private boolean finished;
    private int changed;
    private int sent;

    private io.dynamo.server.admission.AdmissionController admission;
    private String kind;
    private io.dynamo.core.time.Scheduler pacer;

    /** Differing segments asked for in one request at most. */
    public static final int SEGMENTS_PER_REQUEST = 32;

    /** How long a paced exchange waits before asking again for a permit it was refused. */
    static final Duration PACE_RETRY = Duration.ofMillis(50);

    /**
     * @param pull which of the peer's keys to merge here
     * @param push which of this node's keys to send the peer when it lacks them
     * @param pushDurability how the peer should write what it is sent
     * @param done called once, on the node's thread, with the outcome
     */
    public MerkleExchange(int partition, NodeId peer, StorageEngine storage, Transport transport, Requests requests,
            Duration timeout, Predicate<StoredKey> pull, Predicate<StoredKey> push, Durability pushDurability,
            Consumer<Outcome> done) {
        this.partition = partition;
        this.peer = Objects.requireNonNull(peer, "peer");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.pull = Objects.requireNonNull(pull, "pull");
        this.push = Objects.requireNonNull(push, "push");
        this.pushDurability = Objects.requireNonNull(pushDurability, "pushDurability");
        this.done = Objects.requireNonNull(done, "done");
    }

    /**
     * Paces the exchange as background work of {@code kind}: each batch of segments waits for a
     * permit from {@code admission} (asking again every {@link #PACE_RETRY} on {@code scheduler}
     * while refused), and the keys it merged and sent are charged to it.
     */
    public MerkleExchange pacedBy(io.dynamo.server.admission.AdmissionController controller, String what,
            io.dynamo.core.time.Scheduler scheduler) {
        this.admission = Objects.requireNonNull(controller, "controller");
        this.kind = Objects.requireNonNull(what, "what");
        this.pacer = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    public int partition() {
        return partition;
    }

    public NodeId peer() {
        return peer;
    }

    /** Sends the first request. */
    public void start() {
        try {
            descend(Descent.start(storage.merkleTree(partition).shape()));
        } catch (RuntimeException e) {
            finish(Outcome.failed(String.valueOf(e.getMessage())));
        }
    }

    private void descend(Descent descent) {
        requests.send(peer, id -> new TreeLevelRequest(id, partition, descent.level(), descent.nodes()), timeout,
                callback(reply -> {
                    if (!(reply instanceof TreeLevelReply r) || !r.ok()) {
                        finish(Outcome.failed(reply instanceof TreeLevelReply r ? r.error() : "unexpected reply"));
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

    private void fetch(int[] segments) {
        if (segments.length == 0) {
            finish(new Outcome(true, 0, 0, 0, null));
            return;
        }
        fetchBatch(segments, 0);
    }

    /**
     * Fetches the peer's entries of at most {@link #SEGMENTS_PER_REQUEST} differing segments from
     * {@code from} on, repairs them, and goes on with the next batch: each reply stays small (a
     * bounded message, and a bounded stretch of the peer's and this node's time) however many
     * segments differ, as when a node comes back with an empty disk.
     */
    private void fetchBatch(int[] segments, int from) {
        if (finished) {
            return;
        }
        if (admission != null && !admission.tryAcquire(kind)) {
            pacer.schedule(PACE_RETRY, () -> { // background work yields to the foreground
                try {
                    fetchBatch(segments, from);
                } catch (RuntimeException e) {
                    finish(Outcome.failed(String.valueOf(e.getMessage())));
                }
            });
            return;
        }
        int[] batch = Arrays.copyOfRange(segments, from, Math.min(segments.length, from + SEGMENTS_PER_REQUEST));
        requests.send(peer, id -> new SegmentRequest(id, partition, batch), timeout, callback(reply -> {
            if (!(reply instanceof SegmentReply r) || !r.ok()) {
                finish(Outcome.failed(reply instanceof SegmentReply r ? r.error() : "unexpected reply"));
                return;
            }
            int before = changed + sent;
            repair(batch, r.entries());
            if (admission != null) {
                admission.charge(kind, changed + sent - before);
            }
            int next = from + batch.length;
            if (next < segments.length) {
                fetchBatch(segments, next);
            } else {
                finish(new Outcome(true, segments.length, changed, sent, null));
            }
        }));
    }

    private void repair(int[] segments, List<StoredEntry> theirs) {
        Map<StoredKey, Siblings<Content>> peerState = new HashMap<>();
        for (StoredEntry e : theirs) {
            peerState.put(e.key(), e.state());
            if (pull.test(e.key()) && storage.merge(partition, e.key(), e.state(), Durability.BUFFERED).changed()) {
                changed++;
            }
        }
        TreeShape shape = storage.merkleTree(partition).shape();
        for (int s : segments) {
            for (StoredEntry mine : storage.scanKeyHashRange(partition, shape.firstKeyHash(s), shape.lastKeyHash(s))) {
                if (!push.test(mine.key())) {
                    continue;
                }
                Siblings<Content> their = peerState.get(mine.key());
                if (their == null || !their.sync(mine.state()).equals(their)) {
                    sent++;
                    transport.send(peer, new ReplicaWrite(requests.nextId(), partition, mine.key(), mine.state(),
                            pushDurability, null));
                }
            }
        }
    }

    private void finish(Outcome outcome) {
        if (!finished) {
            finished = true;
            done.accept(outcome);
        }
    }

    private Requests.Callback callback(Consumer<Message> onReply) {
        return new Requests.Callback() {
            @Override
            public void onReply(Message reply) {
                if (finished) {
                    return;
                }
                try {
                    onReply.accept(reply);
                } catch (RuntimeException e) {
                    finish(Outcome.failed(String.valueOf(e.getMessage())));
                }
            }

            @Override
            public void onTimeout() {
                finish(Outcome.failed("no answer from " + peer + " within " + timeout.toMillis() + " ms"));
            }
        };
    }
}

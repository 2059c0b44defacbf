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
import io.dynamo.server.transport.Message.ReplicaWriteReply;
import io.dynamo.server.transport.Message.SegmentReply;
import io.dynamo.server.transport.Message.SegmentRequest;
import io.dynamo.server.transport.Message.TreeLevelReply;
import io.dynamo.server.transport.Message.TreeLevelRequest;
import io.dynamo.server.transport.Requests;
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

    /**
     * Entries one reply carries at most (but always one whole segment): a reply, and merging it,
     * is a bounded stretch of the peer's and this node's time, so that a foreground request
     * never waits long behind one.
     */
    public static final int ENTRIES_PER_REPLY = 32;

    /**
     * Keys pushed to the peer in flight at once: the next goes when one is acknowledged, so that
     * the peer's queue never holds a burst of them ahead of its foreground requests, and the
     * next batch of segments is fetched only when all are acknowledged.
     */
    public static final int PUSH_WINDOW = 4;

    /** How long a paced exchange waits before asking again for a permit it was refused. */
    static final Duration PACE_RETRY = Duration.ofMillis(50);

    /**
     * @param pull which of the peer's keys to merge here
     * @param push which of this node's keys to send the peer when it lacks them
     * @param pushDurability how the peer should write what it is sent
     * @param done called once, on the node's thread, with the outcome
     */
    public MerkleExchange(int partition, NodeId peer, StorageEngine storage, Requests requests,
            Duration timeout, Predicate<StoredKey> pull, Predicate<StoredKey> push, Durability pushDurability,
            Consumer<Outcome> done) {
        this.partition = partition;
        this.peer = Objects.requireNonNull(peer, "peer");
        this.storage = Objects.requireNonNull(storage, "storage");
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
     * {@code from} on (fewer when they hold more than {@link #ENTRIES_PER_REPLY} entries), repairs
     * them, and goes on with the next batch: each reply stays small (a bounded message, and a
     * bounded stretch of the peer's and this node's time) however many segments differ, as when a
     * node comes back with an empty disk.
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
        // As many segments as hold at most a reply's worth of this node's entries (at least one):
        // what this node may push back is bounded as the peer's reply is.
        TreeShape shape = storage.merkleTree(partition).shape();
        Map<Integer, List<StoredEntry>> mine = new HashMap<>();
        int end = from;
        int entries = 0;
        while (end < segments.length && end - from < SEGMENTS_PER_REQUEST) {
            List<StoredEntry> local = storage.scanKeyHashRange(partition, shape.firstKeyHash(segments[end]),
                    shape.lastKeyHash(segments[end]));
            if (end > from && entries + local.size() > ENTRIES_PER_REPLY) {
                break;
            }
            mine.put(segments[end], local);
            entries += local.size();
            end++;
        }
        int[] batch = Arrays.copyOfRange(segments, from, end);
        requests.send(peer, id -> new SegmentRequest(id, partition, batch, ENTRIES_PER_REPLY), timeout,
                callback(reply -> repaired(segments, from, batch, mine, reply)));
    }

    private void repaired(int[] segments, int from, int[] batch, Map<Integer, List<StoredEntry>> mine,
            Message reply) {
        if (!(reply instanceof SegmentReply r) || !r.ok()) {
            finish(Outcome.failed(reply instanceof SegmentReply r ? r.error() : "unexpected reply"));
            return;
        }
        if (r.served() < 1 || r.served() > batch.length) {
            finish(Outcome.failed("peer served " + r.served() + " of " + batch.length + " segments"));
            return;
        }
        int before = changed;
        List<StoredEntry> lacking = repair(Arrays.copyOf(batch, r.served()), mine, r.entries());
        if (admission != null) {
            admission.charge(kind, changed - before + lacking.size());
        }
        int next = from + r.served();
        push(lacking, new int[] {0, 0}, () -> {
            if (next < segments.length) {
                fetchBatch(segments, next);
            } else {
                finish(new Outcome(true, segments.length, changed, sent, null));
            }
        });
    }

    /**
     * Sends the peer {@code lacking}, {@link #PUSH_WINDOW} writes in flight at most, then runs
     * {@code then} once the peer acknowledged them all. {@code progress} holds the writes sent
     * and acknowledged so far.
     */
    private void push(List<StoredEntry> lacking, int[] progress, Runnable then) {
        if (finished) {
            return;
        }
        if (progress[1] == lacking.size()) {
            then.run();
            return;
        }
        while (progress[0] < lacking.size() && progress[0] - progress[1] < PUSH_WINDOW) {
            StoredEntry e = lacking.get(progress[0]++);
            sent++;
            requests.send(peer, id -> new ReplicaWrite(id, partition, e.key(), e.state(), pushDurability, null),
                    timeout, callback(reply -> {
                        if (!(reply instanceof ReplicaWriteReply)) {
                            finish(Outcome.failed("unexpected reply to a pushed key: " + reply));
                            return;
                        }
                        // A refusal (a merge past a limit, say) skips that key only: the rest of
                        // the partition still converges. No answer at all fails the exchange.
                        progress[1]++;
                        push(lacking, progress, then);
                    }));
        }
    }

    /**
     * Merges the peer's entries here, and returns this node's entries of the same segments that
     * the peer lacks, to push. {@code mine} is what this node held when it asked: a write since
     * then reached the peer, or will, by its own way.
     */
    private List<StoredEntry> repair(int[] segments, Map<Integer, List<StoredEntry>> mine, List<StoredEntry> theirs) {
        Map<StoredKey, Siblings<Content>> peerState = new HashMap<>();
        for (StoredEntry e : theirs) {
            peerState.put(e.key(), e.state());
            if (pull.test(e.key()) && storage.merge(partition, e.key(), e.state(), Durability.BUFFERED).changed()) {
                changed++;
            }
        }
        List<StoredEntry> lacking = new java.util.ArrayList<>();
        for (int s : segments) {
            for (StoredEntry local : mine.get(s)) {
                if (!push.test(local.key())) {
                    continue;
                }
                Siblings<Content> their = peerState.get(local.key());
                if (their == null || !their.sync(local.state()).equals(their)) {
                    lacking.add(local);
                }
            }
        }
        return lacking;
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

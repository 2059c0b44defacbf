package io.dynamo.server.antientropy;

import io.dynamo.core.ring.NodeId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An anti-entropy round an operator asked for ({@code dynamo admin repair}, as Cassandra's
 * {@code nodetool repair}): one Merkle exchange for each partition this node owns (or the one
 * named) with each other owner, one after another, at once rather than at the always-on pace.
 * The exchanges are the same as the periodic ones, so a repair finds and mends exactly what they
 * would, only sooner. Owners that are unreachable when the round starts are skipped and named.
 *
 * <p>Not thread-safe: owned by the node's thread.
 */
public final class RepairRound {

    /** One exchange of the round. */
    record Pair(int partition, NodeId peer) {
    }

    /**
     * Where a round stands.
     *
     * @param id this node's number for the round (1, 2, ...)
     * @param bucket the bucket it is limited to, or null for every bucket
     * @param partition the partition it is limited to, or -1 for every partition this node owns
     * @param total exchanges planned
     * @param done exchanges completed (in sync or mended)
     * @param failed exchanges that did not complete (the peer stopped answering), with why
     * @param skipped owners unreachable when the round started, per partition
     * @param keysRepaired keys whose state here the round changed
     * @param keysSent keys sent to peers that lacked them
     * @param differingSegments Merkle segments found different, over all exchanges
     * @param startedMillis when it started (wall-clock millis)
     * @param finishedMillis when it finished, or 0 while it runs
     * @param current the exchange running now ("partition 7 with n3"), or empty
     */
    public record Status(long id, String bucket, int partition, int total, int done, Map<String, String> failed,
            Map<String, String> skipped, long keysRepaired, long keysSent, long differingSegments, long startedMillis,
            long finishedMillis, String current) {
        public boolean finished() {
            return finishedMillis > 0;
        }
    }

    private final long id;
    private final String bucket;
    private final int partition;
    private final Deque<Pair> todo;
    private final int total;
    private final Map<String, String> failed = new LinkedHashMap<>();
    private final Map<String, String> skipped;
    private final long startedMillis;
    private int done;
    private long keysRepaired;
    private long keysSent;
    private long differingSegments;
    private long finishedMillis;
    private Pair current;

    RepairRound(long id, String bucket, int partition, List<Pair> pairs, Map<String, String> skipped,
            long startedMillis) {
        this.id = id;
        this.bucket = bucket;
        this.partition = partition;
        this.todo = new ArrayDeque<>(pairs);
        this.total = pairs.size();
        this.skipped = new LinkedHashMap<>(Objects.requireNonNull(skipped, "skipped"));
        this.startedMillis = startedMillis;
    }

    /** The bucket the round is limited to, or null. */
    String bucket() {
        return bucket;
    }

    /** The next exchange to run, now marked current; null when none is left. */
    Pair next() {
        current = todo.poll();
        return current;
    }

    /** The current exchange ended with {@code outcome}. */
    void record(MerkleExchange.Outcome outcome) {
        Pair p = Objects.requireNonNull(current, "no exchange is running");
        current = null;
        if (outcome.ok()) {
            done++;
            keysRepaired += outcome.changedHere();
            keysSent += outcome.sent();
            differingSegments += outcome.differingSegments();
        } else {
            failed.put(label(p), outcome.error() == null ? "failed" : outcome.error());
        }
    }

    /** Marks the round finished at {@code nowMillis} if nothing is left. */
    boolean finishIfDone(long nowMillis) {
        if (current == null && todo.isEmpty() && finishedMillis == 0) {
            finishedMillis = Math.max(1, nowMillis);
            return true;
        }
        return false;
    }

    boolean finished() {
        return finishedMillis > 0;
    }

    Status status() {
        return new Status(id, bucket, partition, total, done, Map.copyOf(failed), Map.copyOf(skipped), keysRepaired,
                keysSent, differingSegments, startedMillis, finishedMillis, current == null ? "" : label(current));
    }

    static String label(Pair p) {
        return "partition " + p.partition() + " with " + p.peer();
    }

    static List<Pair> pairs(int partition, List<NodeId> owners, NodeId self, java.util.function.Predicate<NodeId> reachable,
            Map<String, String> skipped) {
        List<Pair> out = new ArrayList<>();
        for (NodeId o : owners) {
            if (o.equals(self)) {
                continue;
            }
            if (reachable.test(o)) {
                out.add(new Pair(partition, o));
            } else {
                skipped.put(label(new Pair(partition, o)), o + " is unreachable");
            }
        }
        return out;
    }
}

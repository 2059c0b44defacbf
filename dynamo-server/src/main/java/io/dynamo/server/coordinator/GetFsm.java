package io.dynamo.server.coordinator;

import io.dynamo.core.quorum.ReadOutcome;
import io.dynamo.core.quorum.ReadReply;
import io.dynamo.core.quorum.ReadTally;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.PreferenceList;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.Scheduler;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.ReplicaRead;
import io.dynamo.server.transport.Message.ReplicaReadReply;
import io.dynamo.server.transport.Message.ReplicaWrite;
import io.dynamo.server.transport.Requests;
import io.dynamo.server.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One get (paper section 5):
 *
 * <ol>
 *   <li>{@link State#AWAITING_QUORUM}: the first N reachable nodes of the extended preference
 *       list are asked (a fallback answers from its hint for the owner it stands in for); once R
 *       have answered, the states are reconciled (synced: only versions no other version
 *       descends from survive) and the client gets every live sibling and one context.</li>
 *   <li>{@link State#AWAITING_STRAGGLERS}: for at most the read-repair wait, the remaining
 *       replies are still collected.</li>
 *   <li>Read repair: every owner that answered with a state older than, or concurrent with, the
 *       reconciled one (or not found while the key exists) is sent the reconciled state.
 *       Fallbacks are not repaired: their hints reach the owner anyway.</li>
 * </ol>
 *
 * In {@code lww} mode the client sees only the newest live value (by timestamp, then dot).
 */
final class GetFsm {

    enum State { AWAITING_QUORUM, AWAITING_STRAGGLERS, DONE }

    private final Coordinator c;
    private final NamespaceProperties properties;
    private final StoredKey key;
    private final PreferenceList preferenceList;
    private final Duration timeout;
    private final CompletableFuture<GetResult> result;
    private final ReadTally<NodeId, Content> tally;
    private final List<NodeId> outstanding = new ArrayList<>();
    private final Map<NodeId, NodeId> fallbackFor = new HashMap<>();
    /** Every node asked (the coordinator included). */
    private final java.util.Set<NodeId> tried = new java.util.HashSet<>();
    private State state = State.AWAITING_QUORUM;
    private Scheduler.Cancellable timer;
    private Runnable onDone = () -> { };

    GetFsm(Coordinator c, NamespaceProperties properties, StoredKey key, PreferenceList preferenceList, int r,
            Duration timeout, CompletableFuture<GetResult> result) {
        this.c = c;
        this.properties = properties;
        this.key = key;
        this.preferenceList = preferenceList;
        this.timeout = timeout;
        this.result = result;
        this.tally = ReadTally.create(properties.n(), r, Content::isTombstone);
    }

    /** Also runs {@code then} when this machine is done (answered, then repaired). */
    void onDone(Runnable then) {
        Runnable before = onDone;
        this.onDone = () -> {
            before.run();
            then.run();
        };
    }

    void start() {
        List<PreferenceList.Target> targets = new ArrayList<>(preferenceList.sloppyTargets(c.detector::isReachable));
        // A primary routed around with no reachable fallback is asked anyway (see PutFsm).
        for (NodeId primary : preferenceList.primaries()) {
            boolean covered = targets.stream().anyMatch(t -> t.node().equals(primary) || primary.equals(t.intendedFor()));
            if (!covered) {
                targets.add(new PreferenceList.Target(primary, null));
            }
        }
        timer = c.scheduler.schedule(timeout, this::onTimeout);
        // Always the full replica timeout: a short request timeout must not brand healthy peers
        // unreachable; the request's own deadline closes the machine without blaming anyone.
        Duration replicaTimeout = c.config.replicaTimeout();
        int partition = preferenceList.partition();
        for (PreferenceList.Target t : targets) {
            outstanding.add(t.node());
            if (t.isFallback()) {
                fallbackFor.put(t.node(), t.intendedFor());
            }
        }
        tried.add(c.self());
        for (PreferenceList.Target t : targets) {
            tried.add(t.node());
        }
        for (PreferenceList.Target t : targets) {
            if (t.node().equals(c.self()) && !t.isFallback()) {
                record(t.node(), readLocally(partition));
                continue;
            }
            ask(t);
        }
        check();
    }

    private void ask(PreferenceList.Target t) {
        Duration replicaTimeout = c.config.replicaTimeout();
        int partition = preferenceList.partition();
        c.requests.send(t.node(), id -> new ReplicaRead(id, partition, key, t.intendedFor()), replicaTimeout,
                new Requests.Callback() {
                    @Override
                    public void onReply(Message reply) {
                        if (reply instanceof ReplicaReadReply r && r.ok()) {
                            record(t.node(), r.state().isEmpty() ? ReadReply.notFound() : ReadReply.found(r.state()));
                        } else {
                            replicaFailed(t, reply instanceof ReplicaReadReply r
                                    ? r.error() : "unexpected reply " + reply.getClass().getSimpleName());
                        }
                    }

                    @Override
                    public void onTimeout() {
                        replicaFailed(t, "timed out after " + replicaTimeout.toMillis() + " ms");
                    }

                    @Override
                    public void onRefused(Transport.Sent why, String reason) {
                        replicaFailed(t, reason);
                    }
                });
    }

    /**
     * {@code t} did not answer (timeout, lost connection, refusal or error). While the quorum is
     * still undecided, the next reachable fallback not asked yet is asked in its place (it answers
     * from any hint it holds for the owner), as the sloppy quorum of section 4.6 does for reads;
     * when none is left, an owner that was routed around at the start (unreachable or suspected)
     * is asked itself before its share is given up. Reads have no effect, so asking more nodes
     * is always safe.
     */
    private void replicaFailed(PreferenceList.Target t, String reason) {
        if (state == State.AWAITING_QUORUM) {
            NodeId owner = t.isFallback() ? t.intendedFor() : t.node();
            for (NodeId fallback : preferenceList.fallbacks()) {
                if (!tried.contains(fallback) && c.detector.isReachable(fallback)) {
                    tried.add(fallback);
                    outstanding.remove(t.node());
                    outstanding.add(fallback);
                    fallbackFor.put(fallback, owner);
                    ask(new PreferenceList.Target(fallback, owner));
                    return;
                }
            }
        }
        if (state == State.AWAITING_QUORUM && t.isFallback() && !tried.contains(t.intendedFor())) {
            NodeId owner = t.intendedFor();
            tried.add(owner);
            outstanding.remove(t.node());
            outstanding.add(owner);
            ask(new PreferenceList.Target(owner, null)); // its answer takes the fallback's place in the tally
            return;
        }
        record(t.node(), ReadReply.failed(reason));
    }

    private ReadReply<Content> readLocally(int partition) {
        try {
            Siblings<Content> s = c.storage.get(partition, key);
            return s.isEmpty() ? ReadReply.notFound() : ReadReply.found(s);
        } catch (StorageException e) {
            return ReadReply.failed("local read failed: " + e.getMessage());
        }
    }

    private void record(NodeId replica, ReadReply<Content> reply) {
        if (state == State.DONE) {
            return;
        }
        outstanding.remove(replica);
        tally.add(replica, reply);
        check();
    }

    private void check() {
        if (state == State.AWAITING_QUORUM && tally.isDone()) {
            answer();
            state = State.AWAITING_STRAGGLERS;
            timer.cancel();
            timer = c.scheduler.schedule(c.config.readRepairWait(), this::repairAndFinish);
        }
        if (state == State.AWAITING_STRAGGLERS && outstanding.isEmpty()) {
            repairAndFinish();
        }
    }

    private void onTimeout() {
        for (NodeId node : List.copyOf(outstanding)) {
            record(node, ReadReply.failed("no answer within the request timeout of " + timeout.toMillis() + " ms"));
        }
        if (state == State.AWAITING_QUORUM) {
            answer();
            repairAndFinish();
        }
    }

    private void answer() {
        ReadOutcome<NodeId, Content> outcome = tally.isDone() ? tally.outcome() : null;
        switch (outcome) {
            case ReadOutcome.Found<NodeId, Content> f -> result.complete(present(f.merged()));
            case ReadOutcome.NotFound<NodeId, Content> nf -> result.complete(new GetResult(List.of(), nf.context()));
            case ReadOutcome.Insufficient<NodeId, Content> i -> result.completeExceptionally(
                    new InsufficientReplicasException("get", i.required(), i.achieved(), 0, 0, i.failures()));
            case null -> result.completeExceptionally(new InsufficientReplicasException("get", 0, 0, 0, 0, Map.of()));
        }
    }

    private GetResult present(Siblings<Content> merged) {
        List<Versioned<Content>> live = new ArrayList<>();
        for (Versioned<Content> v : merged.values()) {
            if (!v.value().isTombstone()) {
                live.add(v);
            }
        }
        if (properties.conflictMode() == ConflictMode.LWW && merged.values().size() > 1) {
            Versioned<Content> newest = merged.values().stream().max(Comparator
                    .comparingLong((Versioned<Content> v) -> v.value().timestampMillis())
                    .thenComparing(v -> v.dot().actor()).thenComparingLong(v -> v.dot().counter())).orElseThrow();
            live = newest.value().isTombstone() ? List.of() : List.of(newest);
        }
        return new GetResult(live, merged.context());
    }

    private void repairAndFinish() {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        timer.cancel();
        onDone.run();
        Siblings<Content> merged = tally.merged();
        if (merged.isEmpty()) {
            return;
        }
        int partition = preferenceList.partition();
        for (NodeId stale : tally.repairTargets()) {
            if (fallbackFor.containsKey(stale) || !preferenceList.primaries().contains(stale)) {
                continue;
            }
            c.readRepairs++;
            if (stale.equals(c.self())) {
                try {
                    c.storage.merge(partition, key, merged, Durability.BUFFERED);
                } catch (StorageException | IllegalArgumentException e) {
                    c.readRepairFailures++;
                }
            } else {
                c.transport.send(stale, new ReplicaWrite(c.requests.nextId(), partition, key, merged,
                        Durability.BUFFERED, null));
            }
        }
    }
}

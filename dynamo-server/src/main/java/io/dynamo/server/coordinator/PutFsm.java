package io.dynamo.server.coordinator;

import io.dynamo.core.quorum.WriteOutcome;
import io.dynamo.core.quorum.WriteReply;
import io.dynamo.core.quorum.WriteTally;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.PreferenceList;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.storage.WriteResult;
import io.dynamo.core.time.Scheduler;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.ReplicaWrite;
import io.dynamo.server.transport.Message.ReplicaWriteReply;
import io.dynamo.server.transport.Requests;
import io.dynamo.server.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One put, coordinated by a node among the key's top N (paper section 5):
 *
 * <ol>
 *   <li>{@link State#WRITING_LOCALLY}: the coordinator applies the write to its own replica,
 *       which issues the new version's dot (its actor, the next counter for the key) and merges
 *       it with whatever it holds that the client's context does not cover (siblings stay).</li>
 *   <li>{@link State#AWAITING_QUORUM}: the resulting state goes to the other targets of the
 *       sloppy quorum (reachable primaries, and a fallback with a hint for each unreachable one);
 *       the first DW targets, the coordinator first, write durably, the rest buffered (section
 *       6.1). Every acknowledgement counts toward W, a durable one toward DW as well.</li>
 *   <li>{@link State#AWAITING_STRAGGLERS}: the client has its answer (success with a write
 *       receipt, or {@link InsufficientReplicasException} saying how many of W were reached);
 *       the remaining replies are still collected, for the failure detector and so that a
 *       replica that timed out is known.</li>
 * </ol>
 *
 * While a ring change is under way, the state written also goes to the key's owners under the
 * next ring that are not owners now ({@code nextOwners}): a new owner streaming the partition
 * must not miss a write made meanwhile. Their replies count for nothing: W and DW are reached on
 * the ring in force, whose owners keep the data until the change is complete.
 *
 * <p>A replica that does not answer within the replica timeout, whose connection is lost, or
 * that refuses the write, is marked unreachable (for the first two) and the write moves on to the
 * next reachable fallback of the extended preference list, which holds it with a hint for the
 * owner (sloppy quorum, section 4.6), before and after the client's answer. Only when no fallback
 * is left does that owner count as failed.
 */
final class PutFsm {

    enum State { WRITING_LOCALLY, AWAITING_QUORUM, AWAITING_STRAGGLERS, DONE }

    private final Coordinator c;
    final String operation;
    private final NamespaceProperties properties;
    final StoredKey key;
    final PreferenceList preferenceList;
    private final List<NodeId> nextOwners;
    private final VersionVector context;
    private final Content value;
    private final int w;
    private final int dw;
    private final Duration timeout;
    private final CompletableFuture<PutResult> result;
    private final WriteTally<NodeId> tally;
    private final List<NodeId> outstanding = new ArrayList<>();
    private final java.util.Set<NodeId> ownersAcked = new java.util.TreeSet<>();
    /** Every node the write was sent to (or tried), the coordinator included. */
    private final java.util.Set<NodeId> tried = new java.util.HashSet<>();
    /** Per owner whose write failed somewhere: each node tried for it and why it failed. */
    private final java.util.Map<NodeId, String> attempts = new java.util.TreeMap<>();
    private State state = State.WRITING_LOCALLY;
    private Siblings<Content> written;
    private Scheduler.Cancellable deadline;
    private Runnable onDone = () -> { };

    PutFsm(Coordinator c, String operation, NamespaceProperties properties, StoredKey key,
            PreferenceList preferenceList, List<NodeId> nextOwners, VersionVector context, Content value, int w,
            int dw, Duration timeout, CompletableFuture<PutResult> result) {
        this.nextOwners = List.copyOf(nextOwners);
        this.c = c;
        this.operation = operation;
        this.properties = properties;
        this.key = key;
        this.preferenceList = preferenceList;
        this.context = context;
        this.value = value;
        this.w = w;
        this.dw = dw;
        this.timeout = timeout;
        this.result = result;
        this.tally = WriteTally.create(properties.n(), w, dw);
    }

    State state() {
        return state;
    }

    /** The state the coordinator wrote, once written. */
    Siblings<Content> written() {
        return written;
    }

    /** Also runs {@code then} when this machine is done (every target answered or timed out). */
    void onDone(Runnable then) {
        Runnable before = onDone;
        this.onDone = () -> {
            before.run();
            then.run();
        };
    }

    /** The key's owners (primaries) that acknowledged the write themselves, not through a fallback. */
    java.util.Set<NodeId> ownersAcknowledged() {
        return java.util.Collections.unmodifiableSet(ownersAcked);
    }

    /** The replicas' replies so far, as the tally holds them. */
    WriteTally<NodeId> tally() {
        return tally;
    }

    void start() {
        List<PreferenceList.Target> targets = new ArrayList<>(preferenceList.sloppyTargets(c.detector::isReachable));
        // The coordinator is a reachable primary, so it is a target; it writes first, and durably.
        targets.sort((a, b) -> Boolean.compare(!a.node().equals(c.self()), !b.node().equals(c.self())));
        int partition = preferenceList.partition();
        int durableLeft = dw;
        VersionVector writeContext = context;
        WriteResult local;
        Durability localDurability = durableLeft > 0 ? Durability.DURABLE : Durability.BUFFERED;
        try {
            if (properties.conflictMode() == ConflictMode.LWW) {
                // Last write wins: the write supersedes everything this replica holds (lossy by design).
                writeContext = c.storage.get(partition, key).context().merge(context);
            }
            local = c.storage.update(partition, key, writeContext, value, c.actor, localDurability);
        } catch (IllegalArgumentException e) {
            finish(new InvalidRequestException(e.getMessage()));
            return;
        } catch (StorageException e) {
            tally.add(c.self(), WriteReply.failed("local write failed: " + e.getMessage()));
            finish(new InsufficientReplicasException(operation, w, 0, dw, 0,
                    java.util.Map.of(c.self(), "local write failed: " + e.getMessage())));
            return;
        }
        written = local.state();
        state = State.AWAITING_QUORUM;
        deadline = c.scheduler.schedule(timeout, this::onDeadline);
        // A primary routed around with no reachable fallback to stand in for it is asked anyway,
        // last: the failure detector may be wrong (a suspicion from late heartbeats on a busy
        // machine), and failing the owner unasked would fail writes that could succeed.
        for (NodeId primary : preferenceList.primaries()) {
            boolean covered = targets.stream().anyMatch(t -> t.node().equals(primary) || primary.equals(t.intendedFor()));
            if (!covered) {
                attempts.put(primary, primary + ": routed around (unreachable or suspected), and no fallback was"
                        + " reachable");
                targets.add(new PreferenceList.Target(primary, null));
            }
        }
        // Always the full replica timeout: a short request timeout must not brand healthy peers
        // unreachable; the request's own deadline closes the machine without blaming anyone.
        Duration replicaTimeout = c.config.replicaTimeout();
        for (PreferenceList.Target t : targets) {
            outstanding.add(t.node());
        }
        boolean localDurable = false;
        tried.add(c.self());
        for (PreferenceList.Target t : targets) {
            tried.add(t.node());
        }
        for (PreferenceList.Target t : targets) {
            boolean durable = durableLeft > 0;
            durableLeft--;
            if (t.node().equals(c.self())) {
                localDurable = durable;
                continue;
            }
            sendTo(t, durable ? Durability.DURABLE : Durability.BUFFERED);
        }
        for (NodeId owner : nextOwners) {
            Siblings<Content> state0 = written;
            c.requests.send(owner, id -> new ReplicaWrite(id, partition, key, state0, Durability.BUFFERED, null),
                    replicaTimeout, new Requests.Callback() {
                        @Override
                        public void onReply(Message reply) {
                            // uncounted: the transfer's confirmation catches anything missed
                        }

                        @Override
                        public void onTimeout() {
                        }
                    });
        }
        // Last, so that every target is outstanding before the first acknowledgement is counted.
        whenDurable(local, localDurable);
        check();
    }

    /** Sends the written state to {@code t}; a failure there moves the write on to a fallback. */
    private void sendTo(PreferenceList.Target t, Durability d) {
        Duration replicaTimeout = c.config.replicaTimeout();
        int partition = preferenceList.partition();
        Siblings<Content> state0 = written;
        c.requests.send(t.node(), id -> new ReplicaWrite(id, partition, key, state0, d, t.intendedFor()),
                replicaTimeout, new Requests.Callback() {
                    @Override
                    public void onReply(Message reply) {
                        if (reply instanceof ReplicaWriteReply r && r.ok()) {
                            record(t.node(), t.isFallback() ? WriteReply.fallbackAck(r.durable(), t.intendedFor())
                                    : WriteReply.ack(r.durable()));
                        } else {
                            replicaFailed(t, d, reply instanceof ReplicaWriteReply r
                                    ? r.error() : "unexpected reply " + reply.getClass().getSimpleName());
                        }
                    }

                    @Override
                    public void onTimeout() {
                        replicaFailed(t, d, "timed out after " + replicaTimeout.toMillis() + " ms");
                    }

                    @Override
                    public void onRefused(Transport.Sent why, String reason) {
                        replicaFailed(t, d, reason);
                    }
                });
    }

    /**
     * {@code t} failed to take the write (no answer within the replica timeout, a lost
     * connection, a refusal or an error). Sloppy quorum (paper section 4.6): the next reachable
     * node of the extended preference list not yet written to stands in for the owner {@code t}
     * was writing for, and holds the write with a hint naming that owner; its acknowledgement
     * counts toward W as {@code t}'s would have. Also after the client has its answer, so that N
     * copies exist. Only when no fallback is left does the owner's share count as failed.
     */
    private void replicaFailed(PreferenceList.Target t, Durability d, String reason) {
        if (state == State.DONE) {
            return;
        }
        NodeId owner = t.isFallback() ? t.intendedFor() : t.node();
        String history = attempts.merge(owner, t.node() + ": " + reason, (a, b) -> a + "; " + b);
        for (NodeId fallback : preferenceList.fallbacks()) {
            if (!tried.contains(fallback) && c.detector.isReachable(fallback)) {
                tried.add(fallback);
                outstanding.remove(t.node());
                outstanding.add(fallback);
                sendTo(new PreferenceList.Target(fallback, owner), d);
                return;
            }
        }
        if (!tried.contains(owner)) {
            // The owner itself was routed around: before giving its share up, ask it anyway.
            tried.add(owner);
            outstanding.remove(t.node());
            outstanding.add(owner);
            sendTo(new PreferenceList.Target(owner, null), d);
            return;
        }
        record(t.node(), WriteReply.failed(t.isFallback() || history.indexOf(';') >= 0 ? history : reason));
    }

    private void whenDurable(WriteResult local, boolean durable) {
        CompletableFuture<Void> f = local.durable();
        if (f.isDone() && !f.isCompletedExceptionally()) {
            record(c.self(), WriteReply.ack(durable));
            return;
        }
        f.whenComplete((ignored, error) -> c.scheduler.execute(() -> record(c.self(), error == null
                ? WriteReply.ack(durable) : WriteReply.failed("local write not durable: " + error.getMessage()))));
    }

    private void record(NodeId replica, WriteReply<NodeId> reply) {
        if (state == State.DONE) {
            return;
        }
        outstanding.remove(replica);
        if (tally.add(replica, reply) && reply instanceof WriteReply.Ack<NodeId> ack && ack.fallbackFor() == null
                && preferenceList.primaries().contains(replica)) {
            ownersAcked.add(replica);
        }
        check();
    }

    private void check() {
        if (state == State.AWAITING_QUORUM && tally.isDone()) {
            state = State.AWAITING_STRAGGLERS;
            answer();
        }
        if (state != State.DONE && (outstanding.isEmpty() || tally.allReplied())) {
            if (state == State.AWAITING_QUORUM) {
                // Every target answered and the tally is still undecided: impossible unless
                // fewer targets than n were reachable, which the failed primaries account for.
                state = State.AWAITING_STRAGGLERS;
                answer();
            }
            done();
        }
    }

    private void onDeadline() {
        for (NodeId node : List.copyOf(outstanding)) {
            record(node, WriteReply.failed("no answer within the request timeout of " + timeout.toMillis() + " ms"));
        }
        if (state != State.DONE) {
            if (state == State.AWAITING_QUORUM) {
                state = State.AWAITING_STRAGGLERS;
                answer();
            }
            done();
        }
    }

    private void answer() {
        WriteOutcome<NodeId> outcome = tally.isDone() ? tally.outcome() : null;
        if (outcome instanceof WriteOutcome.Success<NodeId> s) {
            result.complete(PutResult.of(written, s.receipt()));
        } else if (outcome instanceof WriteOutcome.Insufficient<NodeId> i) {
            result.completeExceptionally(new InsufficientReplicasException(operation, i.requiredW(), i.achievedW(),
                    i.requiredDW(), i.achievedDW(), i.failures()));
        } else {
            result.completeExceptionally(new InsufficientReplicasException(operation, w, 0, dw, 0,
                    java.util.Map.of()));
        }
    }

    private void finish(RuntimeException error) {
        result.completeExceptionally(error);
        state = State.DONE;
        onDone.run();
    }

    private void done() {
        state = State.DONE;
        if (deadline != null) {
            deadline.cancel();
        }
        onDone.run();
    }
}

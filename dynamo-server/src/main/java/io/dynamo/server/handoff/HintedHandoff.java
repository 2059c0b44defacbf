package io.dynamo.server.handoff;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Hint;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.Clock;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.time.Scheduler;
import io.dynamo.server.NodeConfig;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.HintDelivery;
import io.dynamo.server.transport.Message.HintDeliveryReply;
import io.dynamo.server.transport.Requests;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Delivers the hints this node holds as a fallback to the owners they were meant for (paper
 * section 4.6). Every hint interval it walks the hint store target by target, sending up to a
 * batch of hints to each target that is not backing off, within a node-wide rate limit; a target
 * that acknowledged its whole batch gets the next one at once, within the same limit. A hint is
 * deleted only when its owner acknowledges it (the owner acknowledges once the state is durable),
 * and only if it has not changed since it was sent (its sequence), so a write that merged into
 * the hint meanwhile is delivered next time. A failed or unanswered delivery backs the target off
 * exponentially, with jitter, from the minimum to the maximum backoff; one success resets it. An
 * owner shedding background work answers "not now" with how long to wait: the target then gets
 * nothing for that long (plus jitter), then one hint, and each batch it acknowledges whole
 * doubles the next, back up to the configured batch.
 *
 * <p>Not thread-safe: owned by the node's thread.
 */
public final class HintedHandoff {

    private final NodeConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RandomSource random;
    private final StorageEngine storage;
    private final Requests requests;
    private final Map<NodeId, TargetState> targets = new HashMap<>();
    private final io.dynamo.server.admission.AdmissionController admission;
    private boolean started;
    /** Hints the node may still send until the next tick (the rate limit's share of one interval). */
    private int budget;
    private long delivered;
    private long failedAttempts;
    private long rejected;
    private long deferred;

    public HintedHandoff(NodeConfig config, Clock clock, Scheduler scheduler, RandomSource random,
            StorageEngine storage, Requests requests) {
        this(config, clock, scheduler, random, storage, requests, null);
    }

    /** With {@code admission} (may be null: no admission control) granting a permit per hint. */
    public HintedHandoff(NodeConfig config, Clock clock, Scheduler scheduler, RandomSource random,
            StorageEngine storage, Requests requests, io.dynamo.server.admission.AdmissionController admission) {
        this.admission = admission;
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.requests = Objects.requireNonNull(requests, "requests");
    }

    private io.dynamo.server.events.ClusterEvents events = io.dynamo.server.events.ClusterEvents.NONE;

    /** Reports each owner whose hints were all delivered, and each hint an owner refused, to {@code sink}. */
    public void reportTo(io.dynamo.server.events.ClusterEvents sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /** Starts the periodic delivery. */
    public void start() {
        if (!started) {
            started = true;
            scheduler.schedule(config.hintInterval(), this::tick);
        }
    }

    private static final class TargetState {
        StoredKey cursor;
        int inFlight;
        /**
         * Hints sent together at most: the configured batch, cut to one when the owner answers
         * "not now" and doubled again with each batch it acknowledges whole, so that a busy owner
         * gets one probe per wait it asked for, not a batch to refuse.
         */
        int window;
        int failures;
        long notBeforeNanos;
        /** Batches sent so far; a batch's failures count as one failed round. */
        long round;
        long failedRound = -1;
        /** Hints the owner rejected for good, by key, with the sequence it rejected. */
        final Map<StoredKey, Long> rejected = new HashMap<>();
        /** Hints delivered to the owner since this node last held none for it, and since when. */
        long delivered;
        long sinceNanos;
    }

    private void tick() {
        try {
            deliver();
        } catch (StorageException e) {
            failedAttempts++;
        } finally {
            scheduler.schedule(config.hintInterval(), this::tick);
        }
    }

    private void deliver() {
        double perTick = config.hintsPerSecond() * (config.hintInterval().toNanos() / 1e9);
        budget = (int) Math.max(1, Math.round(perTick));
        Map<NodeId, Long> counts = storage.hints().countsByTarget();
        for (Map.Entry<NodeId, TargetState> t : targets.entrySet()) {
            if (!counts.containsKey(t.getKey()) && t.getValue().delivered > 0) {
                events.event(io.dynamo.server.events.ClusterEvents.Kind.HINTS_DELIVERED, "every hint held for " + t.getKey() + " is delivered: "
                        + t.getValue().delivered + " in " + java.time.Duration.ofNanos(clock.nanoTime()
                                - t.getValue().sinceNanos).toMillis() + " ms");
            }
        }
        targets.keySet().retainAll(counts.keySet());
        for (NodeId target : counts.keySet()) {
            if (budget <= 0) {
                return;
            }
            deliverTo(target, targets.computeIfAbsent(target, t -> {
                TargetState st = new TargetState();
                st.sinceNanos = clock.nanoTime();
                return st;
            }));
        }
    }

    /**
     * Sends {@code target} its next batch, unless one is in flight, it is backing off, or the
     * tick's rate budget or admission control says not now; false if admission control refused.
     */
    private boolean deliverTo(NodeId target, TargetState st) {
        if (st.inFlight > 0 || clock.nanoTime() - st.notBeforeNanos < 0 || budget <= 0) {
            return true;
        }
        if (st.window <= 0) {
            st.window = config.hintBatch();
        }
        int size = Math.min(st.window, budget);
        List<Hint> batch = storage.hints().list(target, st.cursor, size);
        if (batch.isEmpty() && st.cursor != null) {
            st.cursor = null;
            batch = storage.hints().list(target, null, size);
        }
        if (!batch.isEmpty()) {
            st.round++;
        }
        for (Hint h : batch) {
            st.cursor = h.key();
            Long refused = st.rejected.get(h.key());
            if (refused != null && refused == h.sequence()) {
                continue; // kept aside until a new write changes it
            }
            if (admission != null && !admission.tryAcquire("hint")) {
                return false; // foreground latency is high: deliver later
            }
            budget--;
            st.inFlight++;
            send(st, h, st.round);
        }
        return true;
    }

    /**
     * A whole batch was acknowledged: the next one goes out now rather than at the next tick
     * (within the tick's rate budget), so that a long backlog drains at the configured rate and
     * not at one batch per interval.
     */
    private void next(NodeId target, TargetState st, long round) {
        if (st.inFlight == 0 && st.failedRound != round && st.round == round) {
            st.window = Math.min(config.hintBatch(), st.window * 2);
            scheduler.execute(() -> {
                try {
                    if (targets.get(target) == st) {
                        deliverTo(target, st);
                    }
                } catch (StorageException e) {
                    failedAttempts++;
                }
            });
        }
    }

    private void send(TargetState st, Hint h, long round) {
        requests.send(h.target(), id -> new HintDelivery(id, h.partition(), h.key(), h.state()),
                config.replicaTimeout(), new Requests.Callback() {
                    @Override
                    public void onReply(Message reply) {
                        st.inFlight--;
                        if (reply instanceof HintDeliveryReply r && r.ok()) {
                            st.failures = 0;
                            try {
                                if (storage.hints().delete(h.target(), h.key(), h.sequence())) {
                                    delivered++;
                                    st.delivered++;
                                }
                            } catch (StorageException e) {
                                failedAttempts++;
                            }
                            next(h.target(), st, round);
                        } else if (reply instanceof HintDeliveryReply r && r.busy()) {
                            deferred++;
                            notNow(st, round, r.retryAfterMillis());
                        } else if (reply instanceof HintDeliveryReply r && r.rejected()) {
                            // The owner will never take it: no backoff for the others, and the
                            // hint stays (counted) for an operator, not resent unless it changes.
                            rejected++;
                            st.rejected.put(h.key(), h.sequence());
                            events.event(io.dynamo.server.events.ClusterEvents.Kind.HINT_REFUSED, h.target() + " refused the hint for a key of bucket '"
                                    + h.key().namespace() + "' (merging it would pass its sibling limit); it is kept"
                                    + " aside here and not resent until a new write changes it");
                        } else {
                            backOff(st, round);
                        }
                    }

                    @Override
                    public void onTimeout() {
                        st.inFlight--;
                        backOff(st, round);
                    }
                });
    }

    /**
     * The owner is shedding background work: wait what it asked (plus up to half again, so
     * that fallbacks do not come back together), then probe with one hint. Not a failure: the
     * exponential backoff stays as it was.
     */
    private void notNow(TargetState st, long round, long retryAfterMillis) {
        st.window = 1;
        if (st.failedRound == round) {
            return;
        }
        st.failedRound = round;
        long wait = Duration.ofMillis(Math.min(retryAfterMillis, config.hintBackoffMax().toMillis())).toNanos();
        st.notBeforeNanos = clock.nanoTime() + wait + random.nextLong(0, wait / 2 + 1);
    }

    private void backOff(TargetState st, long round) {
        failedAttempts++;
        if (st.failedRound == round) {
            return; // a batch's failures count as one failed round
        }
        st.failedRound = round;
        st.failures++;
        long min = config.hintBackoffMin().toNanos();
        long max = config.hintBackoffMax().toNanos();
        long wait = min << Math.min(20, st.failures - 1);
        if (wait <= 0 || wait > max) {
            wait = max;
        }
        // Full jitter over the upper half, so that fallbacks do not retry in lockstep.
        long jittered = wait / 2 + random.nextLong(0, wait / 2 + 1);
        st.notBeforeNanos = clock.nanoTime() + jittered;
    }

    /** Hints delivered and deleted so far. */
    public long delivered() {
        return delivered;
    }

    /** Deliveries the owner refused for good (a limit the merge would break). */
    public long rejected() {
        return rejected;
    }

    /** Deliveries the owner answered "not now" (it was shedding background work) so far. */
    public long deferred() {
        return deferred;
    }

    /** Deliveries that failed or went unanswered so far. */
    public long failedAttempts() {
        return failedAttempts;
    }

    /** How long the next attempt for {@code target} waits at least; zero if it is not backing off. */
    public Duration backoff(NodeId target) {
        TargetState st = targets.get(target);
        long left = st == null ? 0 : st.notBeforeNanos - clock.nanoTime();
        return Duration.ofNanos(Math.max(0, left));
    }
}

package io.dynamo.server.coordinator;

import io.dynamo.core.quorum.WriteOutcome;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.PreferenceList;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.Clock;
import io.dynamo.core.time.Scheduler;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.NodeConfig;
import io.dynamo.server.membership.FailureDetector;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.CoordinatePut;
import io.dynamo.server.transport.Message.CoordinatePutAccepted;
import io.dynamo.server.transport.Message.CoordinatePutReply;
import io.dynamo.server.transport.Message.PutError;
import io.dynamo.server.transport.Requests;
import io.dynamo.server.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Starts one state machine per client request (paper section 5) and owns what they share:
 * admission (a bounded number of requests in flight; past it {@link OverloadedException}), request
 * validation, and the choice of coordinator for writes. A get is coordinated by whichever node
 * receives it. A put or delete is coordinated by one of the key's top N nodes: a node that is not
 * one forwards it to the first reachable one ({@link CoordinatePut}); if none is reachable the
 * write fails with {@link UnavailableException} rather than being coordinated by a node that
 * does not hold the key, which could not issue a version that is safe to merge.
 *
 * <p>Every method runs on the node's thread; the futures complete there.
 */
public final class Coordinator {

    /** How many forwarded puts are remembered to recognise duplicates. */
    static final int RECENT_FORWARDS = 65_536;

    private record Forwarded(NodeId from, long requestId) {
    }

    final NodeConfig config;
    private final Namespaces namespaces;
    final ActorId actor;
    final Clock clock;
    final Scheduler scheduler;
    final Transport transport;
    final StorageEngine storage;
    final Requests requests;
    final FailureDetector detector;
    private final Supplier<Ring> ring;
    private final Supplier<Ring> next;
    /** Nodes that left the ring and may still hold data: a purge asks them too. */
    private Supplier<java.util.Collection<NodeId>> departed = List::of;
    private io.dynamo.server.admission.AdmissionController admission;
    private int inFlight;
    private long answered;
    private long duplicateForwards;
    /** Forwarded puts seen lately, oldest first, to drop network duplicates. */
    private final java.util.Set<Forwarded> recentForwards = java.util.Collections.newSetFromMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Forwarded, Boolean> eldest) {
                    return size() > RECENT_FORWARDS;
                }
            });
    long readRepairs;
    long readRepairFailures;
    long purgesStarted;
    long tombstonesKept;
    private long forwarded;

    /**
     * With {@code next}: the next ring while a ring change is under way (null otherwise). Writes
     * then also go to the key's owners under it, so that a partition streaming to a new owner
     * misses nothing written meanwhile; reads stay with the current owners.
     */
    public Coordinator(NodeConfig config, Namespaces namespaces, ActorId actor, Clock clock, Scheduler scheduler,
            Transport transport, StorageEngine storage, Requests requests, FailureDetector detector, Supplier<Ring> ring,
            Supplier<Ring> next) {
        this.next = Objects.requireNonNull(next, "next");
        this.config = Objects.requireNonNull(config, "config");
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.ring = Objects.requireNonNull(ring, "ring");
        this.tombstonePurge = new TombstonePurge(config.self(), storage, requests, scheduler, config.replicaTimeout());
    }

    /** Reports every answered request's latency to {@code controller}, which paces background work. */
    public void reportTo(io.dynamo.server.admission.AdmissionController controller) {
        this.admission = controller;
    }

    NodeId self() {
        return config.self();
    }

    /** State machines running (answering, collecting late replies or repairing) and puts forwarded. */
    public int inFlight() {
        return inFlight;
    }

    /** Forwarded puts and deletes so far. */
    public long forwarded() {
        return forwarded;
    }

    // ---------------------------------------------------------------- client requests

    /** Reads {@code key}; see {@link GetFsm}. */
    public CompletableFuture<GetResult> get(String namespace, byte[] key, RequestOptions options) {
        CompletableFuture<GetResult> result = new CompletableFuture<>();
        Request request;
        int r;
        try {
            Objects.requireNonNull(options, "options must be given");
            request = request(namespace, key);
            r = options.readQuorum(request.properties);
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(new InvalidRequestException(e.getMessage()));
        } catch (UnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!admit(result)) {
            return result;
        }
        GetFsm fsm = new GetFsm(this, request.properties, request.key, request.preferenceList, r, options.timeout(),
                result);
        run(fsm::onDone, fsm::start, result);
        return result;
    }

    /** Writes {@code value} under {@code key} as a successor of {@code context}; see {@link PutFsm}. */
    public CompletableFuture<PutResult> put(String namespace, byte[] key, VersionVector context, Content value,
            RequestOptions options) {
        return write("put", namespace, key, context, value, options);
    }

    /**
     * Deletes {@code key}: a put of a tombstone, which replicates and is ordered causally like any
     * value; see {@link DeleteFsm}.
     */
    public CompletableFuture<PutResult> delete(String namespace, byte[] key, VersionVector context,
            RequestOptions options) {
        return write("delete", namespace, key, context, Content.tombstone(clock.millis()), options);
    }

    private CompletableFuture<PutResult> write(String operation, String namespace, byte[] key, VersionVector context,
            Content value, RequestOptions options) {
        CompletableFuture<PutResult> result = new CompletableFuture<>();
        Request request;
        int w;
        int dw;
        try {
            Objects.requireNonNull(options, "options must be given");
            Objects.requireNonNull(context, "context must be given (empty for a new key)");
            Objects.requireNonNull(value, "value must be given");
            request = request(namespace, key);
            request.properties.limits().checkValue(value);
            w = options.writeQuorum(request.properties);
            dw = options.durableQuorum(request.properties, w);
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(new InvalidRequestException(e.getMessage()));
        } catch (UnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!admit(result)) {
            return result;
        }
        if (request.preferenceList.primaries().contains(self())) {
            startWrite(operation, request, context, value, w, dw, options.timeout(), result);
            return result;
        }
        new Forward(request.preferenceList.primaries(), namespace, key, context, value, options, track(result)).next();
        return result;
    }

    private void startWrite(String operation, Request request, VersionVector context, Content value, int w, int dw,
            Duration timeout, CompletableFuture<PutResult> result) {
        PutFsm fsm = new PutFsm(this, operation, request.properties, request.key, request.preferenceList,
                request.nextOwners, context, value, w, dw, timeout, result);
        run(fsm::onDone, value.isTombstone() ? new DeleteFsm(this, fsm)::start : fsm::start, result);
    }

    /**
     * Starts a state machine, counting it in flight until it is done (answer, then stragglers
     * and repair), so that requests in their tail phase count against the limit too. A bug that
     * throws fails the request instead of leaving it hanging.
     */
    private void run(java.util.function.Consumer<Runnable> onDone, Runnable start, CompletableFuture<?> result) {
        inFlight++;
        long started = clock.nanoTime();
        result.whenComplete((ok, error) -> {
            if (admission != null) {
                admission.recordForeground(clock.nanoTime() - started);
                admission.foregroundInFlight(inFlight);
            }
        });
        boolean[] finished = new boolean[1];
        onDone.accept(() -> {
            if (!finished[0]) {
                finished[0] = true;
                inFlight--;
            }
        });
        result.whenComplete((ok, error) -> answered++);
        try {
            start.run();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            if (!finished[0]) {
                finished[0] = true;
                inFlight--;
            }
        }
    }

    /**
     * A put or delete forwarded to one of the key's top N nodes (paper section 5). An owner takes
     * a write on by answering {@link CoordinatePutAccepted} at once, then {@link
     * CoordinatePutReply} when its quorum is decided.
     *
     * <p>Only a forward that certainly did not arrive is tried on the next reachable owner: the
     * transport refused it at once, the connection to the owner could not be opened, or the owner
     * refused to coordinate (its ring does not make it an owner). A forward that may have arrived
     * is never sent again: coordinated twice, a late copy would write the value a second time,
     * with the old context, next to newer writes that had superseded it (a false sibling of an
     * overwritten value; the simulator found exactly that when timeouts were retried). So an owner
     * that does not take the write on within the replica timeout, or whose connection closes
     * while the forward is out, fails the write at once, saying it may or may not have been
     * written: the client decides whether to retry, as after any such 503.
     */
    private final class Forward {
        private final List<NodeId> owners;
        private final String namespace;
        private final byte[] key;
        private final VersionVector context;
        private final Content value;
        private final RequestOptions options;
        private final CompletableFuture<PutResult> result;
        private final long deadline;
        private final Map<NodeId, String> failures = new LinkedHashMap<>();

        Forward(List<NodeId> owners, String namespace, byte[] key, VersionVector context, Content value,
                RequestOptions options, CompletableFuture<PutResult> result) {
            this.owners = owners;
            this.namespace = namespace;
            this.key = key;
            this.context = context;
            this.value = value;
            this.options = options;
            this.result = result;
            this.deadline = clock.nanoTime() + options.timeout().toNanos();
        }

        /** Forwards to the first reachable owner not tried yet, or fails the write if none is left. */
        void next() {
            NodeId target = null;
            for (NodeId owner : owners) {
                if (!failures.containsKey(owner) && detector.isReachable(owner)) {
                    target = owner;
                    break;
                }
            }
            for (int i = 0; target == null && i < owners.size(); i++) {
                // Every owner left is routed around: ask one anyway, the failure detector may be
                // wrong (a suspicion from late heartbeats), and a dead one refuses at once.
                if (!failures.containsKey(owners.get(i))) {
                    target = owners.get(i);
                }
            }
            long remaining = deadline - clock.nanoTime();
            if (target == null || remaining <= 0) {
                String why = failures.isEmpty() ? "" : "; tried " + describe(failures);
                result.completeExceptionally(new UnavailableException(target == null
                        ? "none of the " + owners.size() + " nodes that coordinate writes to this key could take it on"
                                + why
                        : "no node took the write on within the request timeout of " + options.timeout().toMillis()
                                + " ms" + why));
                return;
            }
            send(target, Duration.ofNanos(remaining));
        }

        private void send(NodeId target, Duration remaining) {
            forwarded++;
            long timeoutMillis = Math.max(1, remaining.toMillis());
            int w = options.w().orElse(0);
            int dw = options.dw().orElse(-1);
            Duration acceptWait = config.replicaTimeout();
            long[] sent = new long[1];
            sent[0] = requests.send(target, id -> new CoordinatePut(id, namespace, key, context, value, w, dw,
                    timeoutMillis), acceptWait, new Requests.Callback() {
                        @Override
                        public void onReply(Message reply) {
                            if (reply instanceof CoordinatePutAccepted) {
                                // The coordinator gets the whole remaining time; the forwarder waits a
                                // replica timeout longer for its answer.
                                Duration wait = remaining.plus(config.replicaTimeout());
                                requests.await(target, sent[0], wait, new Answer(target, sent[0], wait));
                            } else {
                                answered(target, reply);
                            }
                        }

                        @Override
                        public void onTimeout() {
                            unknown(target, "did not take the write on within " + acceptWait.toMillis() + " ms");
                        }

                        @Override
                        public void onRefused(Transport.Sent why, String reason) {
                            if (why == Transport.Sent.LOST) {
                                unknown(target, "lost its connection before it answered");
                            } else {
                                failed(target, reason); // it never left this node: safe to send elsewhere
                            }
                        }
                    });
        }

        /** The wait for the answer of an owner that took the write on. */
        private final class Answer implements Requests.Callback {
            private final NodeId target;
            private final long id;
            private final Duration wait;
            private final long until;

            Answer(NodeId target, long id, Duration wait) {
                this.target = target;
                this.id = id;
                this.wait = wait;
                this.until = clock.nanoTime() + wait.toNanos();
            }

            @Override
            public void onReply(Message reply) {
                if (reply instanceof CoordinatePutAccepted) {
                    // A network duplicate of the acceptance: go on waiting for the answer.
                    requests.await(target, id, Duration.ofNanos(Math.max(1, until - clock.nanoTime())), this);
                } else {
                    answered(target, reply);
                }
            }

            @Override
            public void onTimeout() {
                result.completeExceptionally(new UnavailableException("the write was forwarded to " + target
                        + ", which took it on but did not answer within " + wait.toMillis()
                        + " ms; it may or may not have been written"));
            }

            @Override
            public void onRefused(Transport.Sent why, String reason) {
                unknown(target, "took it on, then lost its connection before it answered");
            }
        }

        /** {@code target} certainly did not coordinate the write: the next owner is asked. */
        private void failed(NodeId target, String reason) {
            failures.put(target, reason);
            next();
        }

        /** {@code target} may have coordinated the write: it is not sent again. */
        private void unknown(NodeId target, String reason) {
            failures.put(target, reason);
            result.completeExceptionally(new UnavailableException("the write was forwarded to " + target
                    + ", which " + reason + "; it may or may not have been written: read the key before you"
                    + " retry" + (failures.size() > 1 ? " (tried " + describe(failures) + ")" : "")));
        }

        private void answered(NodeId target, Message reply) {
            String operation = value.isTombstone() ? "delete" : "put";
            if (!(reply instanceof CoordinatePutReply r)) {
                failed(target, "answered with " + reply.getClass().getSimpleName());
            } else if (r.ok()) {
                result.complete(new PutResult(r.values(), r.context(), new WriteOutcome.Receipt<>(
                        new LinkedHashSet<>(r.acknowledged()), r.fallbacks(), r.durable())));
            } else if (r.error().kind().equals(REFUSED)) {
                failed(target, r.error().message()); // it wrote nothing (its ring does not make it an owner)
            } else {
                result.completeExceptionally(fromWire(operation, r.error()));
            }
        }
    }

    private static String describe(Map<NodeId, String> failures) {
        StringBuilder b = new StringBuilder();
        failures.forEach((node, why) -> b.append(b.isEmpty() ? "" : "; ").append(node).append(" (").append(why)
                .append(')'));
        return b.toString();
    }

    /**
     * Coordinates a put another node forwarded; false if {@code message} is not one. A forwarded
     * put is not idempotent (coordinating it twice issues two versions, and a late copy would
     * write an old value over newer ones), so a duplicate of one seen recently is dropped; the
     * forwarder has the answer of the first.
     */
    public boolean handle(NodeId from, Message message) {
        if (!(message instanceof CoordinatePut p)) {
            return false;
        }
        if (!recentForwards.add(new Forwarded(from, p.requestId()))) {
            duplicateForwards++;
            return true;
        }
        CompletableFuture<PutResult> result = new CompletableFuture<>();
        result.whenComplete((ok, error) -> transport.send(from, ok != null
                ? new CoordinatePutReply(p.requestId(), ok.values(), ok.context(), new ArrayList<>(ok.receipt().acknowledged()),
                        new LinkedHashMap<>(ok.receipt().fallbacks()), ok.receipt().durable(), null)
                : CoordinatePutReply.failed(p.requestId(), toWire(error))));
        Request request;
        int w;
        int dw;
        RequestOptions options;
        try {
            request = request(p.namespace(), p.key());
            request.properties.limits().checkValue(p.value());
            options = new RequestOptions(OptionalInt.empty(), p.w() == 0 ? OptionalInt.empty() : OptionalInt.of(p.w()),
                    p.dw() < 0 ? OptionalInt.empty() : OptionalInt.of(p.dw()), Duration.ofMillis(p.timeoutMillis()));
            w = options.writeQuorum(request.properties);
            dw = options.durableQuorum(request.properties, w);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new InvalidRequestException(e.getMessage()));
            return true;
        } catch (UnavailableException e) {
            refuse(from, p, e.getMessage());
            return true;
        }
        if (!request.preferenceList.primaries().contains(self())) {
            refuse(from, p, self() + " is not among the top " + request.properties.n()
                    + " nodes for the key, so it cannot coordinate the write");
            return true;
        }
        if (!admit(result)) {
            return true;
        }
        transport.send(from, new CoordinatePutAccepted(p.requestId()));
        startWrite(p.value().isTombstone() ? "delete" : "put", request, p.context(), p.value(), w, dw, options.timeout(),
                result);
        return true;
    }

    /**
     * Answers a forwarded put this node will not coordinate, before it wrote anything: the
     * forwarder may send it to another owner ({@link #REFUSED}), which no other failure allows.
     */
    private void refuse(NodeId from, CoordinatePut p, String why) {
        transport.send(from, CoordinatePutReply.failed(p.requestId(), new PutError(REFUSED, why, 0, 0, 0, 0, Map.of())));
    }

    /** The kind of a forwarded put's failure that certainly wrote nothing: it may go to another owner. */
    static final String REFUSED = "refused";

    private static PutError toWire(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return switch (e) {
            case InsufficientReplicasException i -> new PutError(i.kind(), i.getMessage(), i.required(), i.achieved(),
                    i.requiredDurable(), i.achievedDurable(), i.failures());
            case OverloadedException o -> new PutError(o.kind(), o.getMessage(), o.limit(), 0, 0, 0, Map.of());
            case DynamoException d -> new PutError(d.kind(), d.getMessage(), 0, 0, 0, 0, Map.of());
            default -> new PutError("unavailable", String.valueOf(e), 0, 0, 0, 0, Map.of());
        };
    }

    private static DynamoException fromWire(String operation, PutError e) {
        return switch (e.kind()) {
            case "insufficient" -> new InsufficientReplicasException(operation, e.requiredW(), e.achievedW(),
                    e.requiredDW(), e.achievedDW(), e.failures());
            case "overloaded" -> new OverloadedException(e.requiredW());
            case "invalid" -> new InvalidRequestException(e.message());
            default -> new UnavailableException(e.message());
        };
    }

    // ---------------------------------------------------------------- shared

    /**
     * @param nextOwners the key's owners under the next ring that are not owners under the current
     *     one (empty unless a ring change is under way): writes go to them too, uncounted
     */
    private record Request(NamespaceProperties properties, StoredKey key, PreferenceList preferenceList,
            List<NodeId> nextOwners) {
    }

    /**
     * Where a key lives, for operators (the dashboard's key box, {@code dynamo admin preflist}).
     *
     * @param partition the key's partition
     * @param n the namespace's replication factor
     * @param primaries the key's N owners, in preference order
     * @param now where a request would go now: each reachable primary, and for each unreachable
     *     primary the fallback standing in for it (fewer than N when too few nodes are reachable)
     * @param nextOwners owners under the ring being moved to that are not owners now
     */
    public record Placement(int partition, int n, List<NodeId> primaries, List<PreferenceList.Target> now,
            List<NodeId> nextOwners) {
    }

    /**
     * Where {@code key} of {@code namespace} lives now. Throws {@link IllegalArgumentException}
     * for a key or namespace a request would refuse. Call on the node's thread.
     */
    public Placement placement(String namespace, byte[] key) {
        Request r = request(namespace, key);
        return new Placement(r.preferenceList.partition(), r.properties.n(), r.preferenceList.primaries(),
                r.preferenceList.sloppyTargets(detector::isReachable), r.nextOwners);
    }

    private Request request(String namespace, byte[] key) {
        NamespaceProperties properties = namespaces.properties(namespace);
        if (key == null) {
            throw new IllegalArgumentException("key must be given");
        }
        StoredKey storedKey = StoredKey.of(namespace, key);
        properties.limits().checkKey(storedKey);
        Ring current = ring.get();
        if (current.members().size() < properties.n()) {
            // A passing state (a node that joined and has not learned the ring yet, or a cluster
            // still forming), not the client's fault: it may retry, here or on another node.
            throw new UnavailableException("bucket '" + namespace + "' has n=" + properties.n() + " but this node ("
                    + self() + ") knows of only " + current.members().size() + (current.members().size() == 1
                            ? " node" : " nodes") + " in its ring; it may have just joined and not yet learned the"
                    + " ring: retry, or send the request to another node");
        }
        PreferenceList list = current.preferenceList(storedKey.token(), properties.n());
        Ring upcoming = next.get();
        List<NodeId> nextOwners = List.of();
        if (upcoming != null && upcoming.epoch() > current.epoch()) {
            List<NodeId> extra = new java.util.ArrayList<>();
            for (NodeId owner : upcoming.preferenceList(storedKey.token(),
                    Math.min(properties.n(), upcoming.members().size())).primaries()) {
                if (!list.primaries().contains(owner)) {
                    extra.add(owner);
                }
            }
            nextOwners = List.copyOf(extra);
        }
        return new Request(properties, storedKey, list, nextOwners);
    }

    private final TombstonePurge tombstonePurge;

    /** The purge's check-then-remove step, shared with the anti-entropy sweep. */
    public TombstonePurge tombstonePurge() {
        return tombstonePurge;
    }

    /** Whether a ring change is under way (tombstones are then kept, not purged). */
    boolean ringChanging() {
        Ring upcoming = next.get();
        return upcoming != null && upcoming.epoch() > ring.get().epoch();
    }

    /** The epoch of the ring in force. */
    long ringEpoch() {
        return ring.get().epoch();
    }

    private boolean admit(CompletableFuture<?> result) {
        if (inFlight >= config.maxInFlight()) {
            result.completeExceptionally(new OverloadedException(config.maxInFlight()));
            return false;
        }
        return true;
    }

    /** Counts a forwarded request in flight until its answer comes back. */
    private <T> CompletableFuture<T> track(CompletableFuture<T> result) {
        inFlight++;
        result.whenComplete((ok, error) -> {
            inFlight--;
            answered++;
        });
        return result;
    }

    /** Deletes whose tombstone this node purged from the owners after the grace period. */
    public long purgesStarted() {
        return purgesStarted;
    }

    /** Deletes whose tombstone is kept (not acknowledged by every owner, or a check found a reason). */
    public long tombstonesKept() {
        return tombstonesKept;
    }

    /**
     * Every node that may hold data: the current ring's members, and the nodes that left it,
     * which may still hold data they have not handed off yet (a purge must ask them too).
     */
    public java.util.List<NodeId> members() {
        java.util.Set<NodeId> all = new java.util.TreeSet<>();
        ring.get().members().forEach(m -> all.add(m.id()));
        all.addAll(departed.get());
        return List.copyOf(all);
    }

    /**
     * Makes a tombstone purge also ask {@code departed} (the nodes that left the ring): one that
     * does not answer, or still holds the key, keeps the tombstone.
     */
    public void purgeAlsoAsks(Supplier<java.util.Collection<NodeId>> departed) {
        this.departed = Objects.requireNonNull(departed, "departed");
    }

    /** Forwarded puts dropped as network duplicates. */
    public long duplicateForwards() {
        return duplicateForwards;
    }

    /** Read-repair writes sent (or applied locally) so far. */
    public long readRepairs() {
        return readRepairs;
    }

    /** Requests answered so far. */
    public long answered() {
        return answered;
    }
}

package io.dynamo.server;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.ClusterStateCodec;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.time.Clock;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.time.Scheduler;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.admission.AdmissionController;
import io.dynamo.server.coordinator.Coordinator;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.InvalidRequestException;
import io.dynamo.server.coordinator.NamespaceProperties;
import io.dynamo.server.coordinator.Namespaces;
import io.dynamo.server.coordinator.PutResult;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.server.handoff.HintedHandoff;
import io.dynamo.server.membership.FailureDetector;
import io.dynamo.server.membership.Gossiper;
import io.dynamo.server.membership.PhiAccrualDetector;
import io.dynamo.server.membership.Prober;
import io.dynamo.server.replica.ReplicaService;
import io.dynamo.server.transfer.Transfers;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Requests;
import io.dynamo.server.transport.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One node: the composition root that builds a node's parts from its config and the injected
 * {@link Clock}, {@link Scheduler}, {@link RandomSource}, {@link Transport} and
 * {@link StorageEngine}, and nothing else. The same node runs in the deterministic simulator
 * (virtual time, simulated network, in-memory storage) and in the real server.
 *
 * <p>All of its logic runs on the scheduler's thread. The client methods may be called from any
 * thread: they hand the request to that thread and return a future completed there. A node that
 * crashes never completes its futures; callers keep their own timeouts.
 *
 * <p>At start the node bumps its incarnation counter in the metadata store (durably, before
 * anything else; a store without one starts at a random epoch) and writes with the actor (node
 * id, incarnation): a node that lost buffered writes in a crash, or its whole disk, never
 * reissues a version it issued before (Riak's KV679).
 */
public final class DynamoNode {

    /** The metadata entry holding the incarnation counter. */
    public static final String INCARNATION_KEY = "node.incarnation";

    private final NodeConfig config;
    private final Namespaces namespaces;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Transport transport;
    private final ActorId actor;
    private final FailureDetector detector;
    /** Where cluster events go ({@link #reportEventsTo}); the subsystems report through {@link #events}. */
    private io.dynamo.server.events.ClusterEvents sink = io.dynamo.server.events.ClusterEvents.NONE;
    private final io.dynamo.server.events.ClusterEvents events = (kind, message) -> sink.event(kind, message);
    /** The cluster state last told apart into events. */
    private ClusterState reported;
    private final Requests requests;
    private final ReplicaService replicas;
    private final Coordinator coordinator;
    private final HintedHandoff handoff;
    private final Prober prober;
    private final io.dynamo.server.antientropy.AntiEntropy antiEntropy;
    private final io.dynamo.server.antientropy.TombstoneReaper reaper;
    private final Gossiper gossiper;
    private final Transfers transfers;
    private final Persister persister;
    private final AdmissionController admission;
    private final StorageEngine storage;
    private long handlerErrors;

    /**
     * How a node learns the ring from the cluster rather than from a fixed snapshot.
     *
     * @param bootstrap the cluster state to start from when nothing is persisted (a new cluster's
     *     {@link ClusterState#bootstrap}, or a joiner's {@link ClusterState#joining})
     * @param seeds nodes gossiped with regularly, so that no group forms a ring of its own
     * @param strategy the claim strategy the claimant rebalances with
     * @param gossipInterval how often the node gossips
     * @param address where other nodes and clients reach this node, gossiped in its member entry;
     *     null keeps the address the cluster state has for it
     */
    public record Membership(ClusterState bootstrap, List<NodeId> seeds, ClaimStrategy strategy,
            Duration gossipInterval, String address) {
        public Membership {
            Objects.requireNonNull(bootstrap, "bootstrap");
            seeds = List.copyOf(seeds);
            Objects.requireNonNull(strategy, "strategy");
            Objects.requireNonNull(gossipInterval, "gossipInterval");
        }

        public Membership(ClusterState bootstrap, List<NodeId> seeds, ClaimStrategy strategy, Duration gossipInterval) {
            this(bootstrap, seeds, strategy, gossipInterval, null);
        }
    }

    /** The metadata entry holding the persisted cluster state. */
    public static final String CLUSTER_STATE_KEY = "cluster.state";

    private DynamoNode(NodeConfig config, Clock clock, Scheduler scheduler, RandomSource random, Transport transport,
            StorageEngine storage, Supplier<Ring> fixedRing, Membership membership) {
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        this.storage = Objects.requireNonNull(storage, "storage");
        if (!transport.self().equals(config.self())) {
            throw new IllegalArgumentException("transport belongs to " + transport.self() + ", config to " + config.self());
        }
        long incarnation = nextIncarnation(storage, random);
        this.actor = new ActorId(config.self().value(), incarnation);
        this.detector = new FailureDetector(config.self(), clock);
        detector.reportTo(events);
        this.requests = new Requests(transport, scheduler, detector, random.nextLong(1, Requests.MAX_NONCE + 1));
        Supplier<Ring> ring;
        Supplier<Ring> next;
        if (membership == null) {
            this.gossiper = null;
            this.persister = null;
            this.namespaces = Namespaces.fixed(config);
            ring = Objects.requireNonNull(fixedRing, "ring");
            next = () -> null;
        } else {
            ClusterState initial = initialState(config.self(), membership.bootstrap(), storage, incarnation,
                    membership.address());
            this.persister = new Persister(storage, initial);
            this.gossiper = new Gossiper(config.self(), initial, membership.seeds(), membership.strategy(),
                    this::replicationFactors, clock,
                    scheduler, random.split(), transport, requests, membership.gossipInterval(),
                    new PhiAccrualDetector(100, PhiAccrualDetector.DEFAULT_THRESHOLD,
                            membership.gossipInterval().toNanos()),
                    this::stateChanged);
            this.reported = initial;
            gossiper.reportTo(events);
            Gossiper g = this.gossiper;
            this.namespaces = new Namespaces(config, () -> g.state().namespaces());
            ring = () -> g.state().ring();
            next = () -> g.state().next().orElse(null);
            detector.alsoRouteAround(g::suspects);
        }
        this.admission = new AdmissionController(clock, config.admission());
        this.coordinator = new Coordinator(config, namespaces, actor, clock, scheduler, transport, storage, requests, detector, ring,
                next);
        coordinator.reportTo(admission);
        transport.reportQueueWaits(admission::recordQueueWait);
        this.replicas = new ReplicaService(transport, scheduler, storage, admission);
        replicas.refusePurgesWhile(() -> next.get() != null);
        this.handoff = new HintedHandoff(config, clock, scheduler, random.split(), storage, requests, admission);
        handoff.reportTo(events);
        this.prober = new Prober(detector, scheduler, requests, config.probeInterval());
        this.antiEntropy = new io.dynamo.server.antientropy.AntiEntropy(config, namespaces, clock, scheduler, random.split(),
                storage, transport, requests, detector, ring, admission);
        this.reaper = new io.dynamo.server.antientropy.TombstoneReaper(config, namespaces, clock, scheduler, storage,
                coordinator.tombstonePurge(), ring, () -> next.get() != null, coordinator::members, admission);
        antiEntropy.onInSync(reaper::inSync);
        if (gossiper != null) {
            Gossiper g = gossiper;
            coordinator.purgeAlsoAsks(() -> g.state().members().values().stream()
                    .filter(e -> e.status() == io.dynamo.core.membership.MemberStatus.LEFT)
                    .map(MemberEntry::id).toList());
            this.transfers = new Transfers(config, namespaces, clock, scheduler, storage, transport, requests, detector,
                    g::state, g::received, admission);
            transfers.reportTo(events);
        } else {
            this.transfers = null;
        }
        transport.setHandler(this::onMessage);
        transport.onConnectionLost(requests::connectionLost);
    }

    /**
     * Builds a node on a fixed ring ({@code ring} is read on every request) and starts its
     * background work (hint delivery, probing, anti-entropy).
     */
    public static DynamoNode start(NodeConfig config, Clock clock, Scheduler scheduler, RandomSource random,
            Transport transport, StorageEngine storage, Supplier<Ring> ring) {
        return started(new DynamoNode(config, clock, scheduler, random, transport, storage, ring, null));
    }

    /**
     * Builds a node that learns the ring by gossip ({@link Membership}) and starts its background
     * work, gossip included. The cluster state persisted by an earlier run, if any, is merged with
     * the bootstrap; this node's own entry takes the new incarnation as its generation.
     *
     * @throws IllegalStateException if the persisted cluster state is unreadable, or this node is
     *     not a member of it
     */
    public static DynamoNode start(NodeConfig config, Clock clock, Scheduler scheduler, RandomSource random,
            Transport transport, StorageEngine storage, Membership membership) {
        return started(new DynamoNode(config, clock, scheduler, random, transport, storage, null,
                Objects.requireNonNull(membership, "membership")));
    }

    /** Every replication factor in use (the gossiper's ring changes move partitions for each). */
    private java.util.Set<Integer> replicationFactors() {
        return namespaces.view().replicationFactors();
    }

    /** The gossiper changed the cluster state: persist what matters, and apply namespace settings. */
    private void stateChanged(ClusterState changed) {
        persister.persist(changed);
        namespaces.refresh();
        io.dynamo.server.events.MembershipEvents.report(reported, changed, events);
        reported = changed;
    }

    /**
     * Reports cluster events (peers unreachable and back, membership and ring changes, transfers,
     * hints delivered or refused) to {@code sink} from now on; call on the node's thread.
     */
    public void reportEventsTo(io.dynamo.server.events.ClusterEvents sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    private static DynamoNode started(DynamoNode node) {
        node.handoff.start();
        node.prober.start();
        node.antiEntropy.start();
        if (node.gossiper != null) {
            node.gossiper.start();
            node.transfers.start();
        }
        return node;
    }

    private static ClusterState initialState(NodeId self, ClusterState bootstrap, StorageEngine storage,
            long incarnation, String address) {
        ClusterState state = bootstrap;
        var persisted = storage.metadata().get(CLUSTER_STATE_KEY);
        if (persisted.isPresent()) {
            try {
                state = ClusterStateCodec.decode(persisted.get()).merge(bootstrap);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the persisted cluster state of " + self + " is unreadable ("
                        + e.getMessage() + "); restore it or start the node as a new joiner", e);
            }
        }
        MemberEntry me = state.member(self).orElseThrow(() -> new IllegalStateException(
                self + " is not a member of its cluster state; start it as a joiner"));
        if (me.status() == io.dynamo.core.membership.MemberStatus.LEFT) {
            throw new IllegalStateException(self + " has left the cluster; wipe its data directory to join it again");
        }
        if (!state.ring().strategy().equals(bootstrap.ring().strategy())) {
            throw new IllegalStateException("the persisted ring of " + self + " uses " + state.ring().strategy().describe()
                    + " but the node is configured for " + bootstrap.ring().strategy().describe());
        }
        boolean moved = address != null && !address.equals(me.address());
        // A new address takes a new version, so that it wins over the old one everywhere.
        return state.with(new MemberEntry(self, me.zone(), moved ? address : me.address(), me.status(),
                Math.max(me.generation() + 1, incarnation), moved ? me.version() + 1 : me.version(), 0));
    }

    /** Persists the cluster state when what nodes must agree on changed (not on every heartbeat). */
    private static final class Persister {
        private final StorageEngine storage;
        private long persistedDigest;

        Persister(StorageEngine storage, ClusterState initial) {
            this.storage = storage;
            persist(initial);
        }

        /** Writes the state if it changed; a failed write is retried at the next change. */
        void persist(ClusterState state) {
            if (state.digest() != persistedDigest) {
                try {
                    storage.metadata().put(CLUSTER_STATE_KEY, ClusterStateCodec.encode(state));
                    persistedDigest = state.digest();
                } catch (io.dynamo.core.storage.StorageException e) {
                    failures++;
                }
            }
        }

        private long failures;
    }

    /**
     * The next incarnation: one more than the stored one; on a store without one (a new node, or
     * one whose disk was wiped, metadata included) a random epoch in [2^32, 2^62), so that a node
     * that lost everything never writes as an actor it was before.
     */
    private static long nextIncarnation(StorageEngine storage, RandomSource random) {
        long next = storage.metadata().get(INCARNATION_KEY)
                .map(b -> ByteBuffer.wrap(b).getLong() + 1)
                .orElseGet(() -> random.nextLong(1L << 32, 1L << 62));
        storage.metadata().put(INCARNATION_KEY, ByteBuffer.allocate(8).putLong(next).array());
        return next;
    }

    public NodeId id() {
        return config.self();
    }

    /** The actor this incarnation writes versions as. */
    public ActorId actor() {
        return actor;
    }

    public NodeConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- client API

    /** Reads {@code key} in {@code namespace}: every live sibling and one context. */
    public CompletableFuture<GetResult> get(String namespace, byte[] key, RequestOptions options) {
        CompletableFuture<GetResult> result = new CompletableFuture<>();
        submit(() -> coordinator.get(namespace, key, options), result);
        return result;
    }

    /**
     * Writes {@code value} with {@code contentType} under {@code key}, superseding what
     * {@code context} (from an earlier get, empty for a blind write) covers.
     */
    public CompletableFuture<PutResult> put(String namespace, byte[] key, VersionVector context, byte[] value,
            String contentType, RequestOptions options) {
        CompletableFuture<PutResult> result = new CompletableFuture<>();
        if (value == null || contentType == null) {
            result.completeExceptionally(new InvalidRequestException(
                    value == null ? "value must be given" : "content type must be given"));
            return result;
        }
        byte[] copy = value.clone(); // the caller may reuse its array once this returns
        submit(() -> coordinator.put(namespace, key, context,
                Content.wrap(copy, 0, copy.length, contentType, clock.millis()), options), result);
        return result;
    }

    /** Deletes {@code key}, superseding what {@code context} covers. */
    public CompletableFuture<PutResult> delete(String namespace, byte[] key, VersionVector context,
            RequestOptions options) {
        CompletableFuture<PutResult> result = new CompletableFuture<>();
        submit(() -> coordinator.delete(namespace, key, context, options), result);
        return result;
    }

    /** Runs {@code request} on the node's thread and relays its outcome; a bug fails the future, never hangs it. */
    private <T> void submit(Supplier<CompletableFuture<T>> request, CompletableFuture<T> result) {
        scheduler.execute(() -> {
            try {
                relay(request.get(), result);
            } catch (RuntimeException e) {
                handlerErrors++;
                result.completeExceptionally(e);
            }
        });
    }

    private static <T> void relay(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((ok, error) -> {
            if (error != null) {
                to.completeExceptionally(error);
            } else {
                to.complete(ok);
            }
        });
    }

    // ---------------------------------------------------------------- messages

    private void onMessage(NodeId from, Message message) {
        try {
            switch (message) {
                case Message.ReplicaWriteReply r -> requests.onReply(from, r);
                case Message.ReplicaReadReply r -> requests.onReply(from, r);
                case Message.HintDeliveryReply r -> requests.onReply(from, r);
                case Message.CoordinatePutReply r -> requests.onReply(from, r);
                case Message.CoordinatePutAccepted r -> requests.onReply(from, r);
                case Message.Pong p -> requests.onReply(from, p);
                case Message.PurgeCheckReply r -> requests.onReply(from, r);
                case Message.PurgeReply r -> requests.onReply(from, r);
                case Message.GossipPull r -> requests.onReply(from, r);
                case Message.TreeLevelReply r -> requests.onReply(from, r);
                case Message.SegmentReply r -> requests.onReply(from, r);
                case Message.TransferChunkReply r -> requests.onReply(from, r);
                case Message.TransferChunkRequest t -> {
                    if (transfers != null) {
                        transfers.handle(from, t);
                    }
                }
                case Message.TreeLevelRequest t -> antiEntropy.handle(from, t);
                case Message.SegmentRequest s -> antiEntropy.handle(from, s);
                case Message.GossipPush p -> {
                    if (gossiper != null) {
                        gossiper.handle(from, p);
                    }
                }
                case Message.PurgeCheck c -> replicas.handle(from, c);
                case Message.Purge p -> replicas.handle(from, p);
                case Message.Ping p -> transport.send(from, new Message.Pong(p.requestId()));
                case Message.StatusRequest r -> transport.send(from, new Message.StatusReply(r.requestId(),
                        status(r.trafficSinceMillis())));
                case Message.StatusReply r -> requests.onReply(from, r);
                case Message.CoordinatePut p -> coordinator.handle(from, p);
                case Message.ReplicaWrite w -> replicas.handle(from, w);
                case Message.ReplicaRead r -> replicas.handle(from, r);
                case Message.HintDelivery h -> replicas.handle(from, h);
            }
        } catch (RuntimeException e) {
            // A handler must never throw into the transport; the request's sender times out.
            handlerErrors++;
        }
    }

    // ---------------------------------------------------------------- observation

    /** Peers this node currently routes around. */
    public java.util.Set<NodeId> unreachablePeers() {
        return detector.unreachable();
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    public ReplicaService replicas() {
        return replicas;
    }

    /**
     * An operator's leave of {@code node}: marked leaving here and persisted before the future
     * completes, then spread by gossip; the claimant plans its partitions away, and it is left once
     * they have moved.
     */
    public CompletableFuture<Void> leave(NodeId node) {
        return operatorChange(g -> g.leave(node));
    }

    /**
     * An operator's replace: {@code newcomer}, a new node that has asked to join (with an empty
     * disk), takes {@code replaced}'s partitions unchanged, streaming them from the other owners;
     * {@code replaced} (typically dead for good) is marked leaving. Persisted before the future
     * completes.
     */
    public CompletableFuture<Void> replace(NodeId replaced, NodeId newcomer) {
        return operatorChange(g -> g.replace(replaced, newcomer));
    }

    /**
     * The properties of every namespace at this node: its configuration, overridden by the
     * operators' settings in the cluster state. {@code namespaces().view()} may be read on any
     * thread.
     */
    public Namespaces namespaces() {
        return namespaces;
    }

    /**
     * An operator's change of {@code namespace}'s properties (by name: {@code n}, {@code r},
     * {@code w}, {@code dw}, {@code conflict_mode}, {@code max_key_bytes}, {@code max_value_bytes}),
     * applied to what the namespace has now and set cluster-wide: made here, persisted before the
     * future completes, then spread by gossip. Fails with {@link InvalidRequestException}, changing
     * nothing, if a name or value is bad, or a limit exceeds what this node's storage accepts.
     *
     * @return the namespace's properties after the change
     */
    public CompletableFuture<NamespaceProperties> setNamespace(String namespace, java.util.Map<String, String> changes) {
        CompletableFuture<NamespaceProperties> done = new CompletableFuture<>();
        operatorChange(g -> {
            NamespaceProperties now = namespaces.properties(namespace);
            NamespaceProperties next = now.with(changes);
            if (next.limits().maxSiblings() != config.defaults().limits().maxSiblings()) {
                throw new IllegalArgumentException("max_siblings is a limit of the storage engine, the same for every "
                        + "bucket (" + config.defaults().limits().maxSiblings() + "); set defaults.max_siblings "
                        + "in the nodes' configuration instead");
            }
            var engine = storage.limits();
            if (next.limits().maxKeyBytes() > engine.maxKeyBytes()) {
                throw new IllegalArgumentException("max_key_bytes " + next.limits().maxKeyBytes() + " is more than "
                        + "this node's storage accepts (" + engine.maxKeyBytes() + ", the largest configured)");
            }
            if (next.limits().maxValueBytes() > engine.maxValueBytes()) {
                throw new IllegalArgumentException("max_value_bytes " + next.limits().maxValueBytes() + " is more "
                        + "than this node's storage accepts (" + engine.maxValueBytes() + ", the largest configured)");
            }
            g.change(g.state().withNamespace(namespace, next.toMap(), config.self()));
        }).whenComplete((v, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(namespaces.properties(namespace));
            }
        });
        return done;
    }

    /**
     * An operator's reset of {@code namespace}: back to what each node's configuration says
     * (set cluster-wide like {@link #setNamespace}).
     */
    public CompletableFuture<NamespaceProperties> resetNamespace(String namespace) {
        CompletableFuture<NamespaceProperties> done = new CompletableFuture<>();
        operatorChange(g -> {
            NamespaceProperties.checkName(namespace);
            g.change(g.state().withNamespace(namespace, java.util.Map.of(), config.self()));
        }).whenComplete((v, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(namespaces.properties(namespace));
            }
        });
        return done;
    }

    private CompletableFuture<Void> operatorChange(java.util.function.Consumer<Gossiper> change) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                if (gossiper == null) {
                    throw new InvalidRequestException("this node runs on a fixed ring, without membership");
                }
                change.accept(gossiper);
                if (persister.persistedDigest != gossiper.state().digest()) {
                    throw new io.dynamo.core.storage.StorageException(io.dynamo.core.storage.StorageException.Kind.IO,
                            "the change could not be persisted; it may still spread by gossip, so check the "
                                    + "cluster state before repeating it");
                }
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e instanceof IllegalArgumentException
                        ? new InvalidRequestException(e.getMessage()) : e);
            }
        });
        return done;
    }

    /** This node's view of the cluster; empty on a fixed ring. Read it on the node's thread. */
    public java.util.Optional<ClusterState> clusterState() {
        return gossiper == null ? java.util.Optional.empty() : java.util.Optional.of(gossiper.state());
    }

    /** The controller that paces this node's background work. */
    public AdmissionController admission() {
        return admission;
    }

    /** Purges the tombstones left behind, once anti-entropy finds a partition's owners in sync. */
    public io.dynamo.server.antientropy.TombstoneReaper reaper() {
        return reaper;
    }

    public io.dynamo.server.antientropy.AntiEntropy antiEntropy() {
        return antiEntropy;
    }

    /** Ownership transfers to and from this node; empty on a fixed ring. */
    public java.util.Optional<Transfers> transfers() {
        return java.util.Optional.ofNullable(transfers);
    }

    public HintedHandoff handoff() {
        return handoff;
    }

    /** Hints this node holds, by the node each is meant for. Call on the node's thread. */
    public java.util.Map<NodeId, Long> pendingHints() {
        return storage.hints().countsByTarget();
    }

    /** Messages whose handling threw (a bug; counted, never propagated). */
    public long handlerErrors() {
        return handlerErrors;
    }

    // ---------------------------------------------------------------- operators' view

    /** What a peer's status request is answered with: no figures until the host sets a source. */
    private java.util.function.LongFunction<byte[]> statusSource = since -> "{}".getBytes(
            java.nio.charset.StandardCharsets.UTF_8);

    /**
     * Sets what this node answers a peer's {@link Message.StatusRequest} with: {@code source}
     * gets the traffic cut-off (epoch millis) and returns a UTF-8 JSON object. It runs on the
     * node's thread and must be quick.
     */
    public void answerStatusWith(java.util.function.LongFunction<byte[]> source) {
        this.statusSource = Objects.requireNonNull(source, "source");
    }

    /** This node's status JSON; a JSON error object if building it failed, so that a request is always answered. */
    private byte[] status(long trafficSinceMillis) {
        try {
            return statusSource.apply(trafficSinceMillis);
        } catch (RuntimeException e) {
            handlerErrors++;
            String why = String.valueOf(e).replace("\\", "\\\\").replace("\"", "\\\"")
                    .replaceAll("[\\x00-\\x1f]", " ");
            return ("{\"node\":\"" + id().value() + "\",\"error\":\"" + why + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** One member's answer to a status request: its JSON, or (json null) why there is none. */
    public record StatusAnswer(byte[] json, String error) {
    }

    /**
     * Asks each of {@code peers} for its own view of itself ({@link #answerStatusWith}), all at
     * once. The future completes on the node's thread once every peer has answered, timed out
     * after {@code timeout}, or been refused by the transport. Observing must not steer the data
     * path, so a peer that is slow to answer is not marked unreachable for it (a reply does count
     * as proof that it answers). Call on the node's thread.
     */
    public CompletableFuture<java.util.Map<NodeId, StatusAnswer>> gatherStatus(java.util.Collection<NodeId> peers,
            long trafficSinceMillis, Duration timeout) {
        java.util.Map<NodeId, StatusAnswer> answers = new java.util.TreeMap<>();
        CompletableFuture<java.util.Map<NodeId, StatusAnswer>> done = new CompletableFuture<>();
        java.util.Set<NodeId> asked = new java.util.TreeSet<>(peers);
        asked.remove(id());
        if (asked.isEmpty()) {
            done.complete(answers);
            return done;
        }
        for (NodeId peer : asked) {
            requests.sendObserving(peer, rid -> new Message.StatusRequest(rid, trafficSinceMillis), timeout,
                    new Requests.Callback() {
                        @Override
                        public void onReply(Message reply) {
                            answer(reply instanceof Message.StatusReply r ? new StatusAnswer(r.json(), null)
                                    : new StatusAnswer(null, "unexpected reply " + reply.getClass().getSimpleName()));
                        }

                        @Override
                        public void onTimeout() {
                            answer(new StatusAnswer(null, "no answer within " + timeout.toMillis() + " ms"));
                        }

                        @Override
                        public void onRefused(Transport.Sent why, String reason) {
                            answer(new StatusAnswer(null, reason));
                        }

                        private void answer(StatusAnswer a) {
                            answers.put(peer, a);
                            if (answers.size() == asked.size()) {
                                done.complete(answers);
                            }
                        }
                    });
        }
        return done;
    }

    /**
     * What this node's failure detection thinks of a peer.
     *
     * @param reachable whether requests go to it now
     * @param timedOut a request to it timed out and it has not answered since
     * @param suspected its gossip heartbeats are late past the phi threshold
     * @param phi the phi-accrual suspicion of its heartbeats (0 on a fixed ring)
     * @param state what to report: {@code reachable} and how sure it is (too few heartbeats seen
     *     is {@link io.dynamo.server.membership.PeerState#UNKNOWN UNKNOWN}, never OK)
     */
    public record PeerHealth(boolean reachable, boolean timedOut, boolean suspected, double phi,
            io.dynamo.server.membership.PeerState state) {
    }

    /** This node's view of every other member that has not left. Call on the node's thread. */
    public java.util.SortedMap<NodeId, PeerHealth> peerHealth() {
        java.util.SortedMap<NodeId, PeerHealth> out = new java.util.TreeMap<>();
        java.util.Collection<NodeId> others = gossiper != null ? gossiper.state().live() : coordinator.members();
        java.util.Set<NodeId> timedOut = detector.unreachable();
        for (NodeId peer : others) {
            if (!peer.equals(id())) {
                double phi = gossiper == null ? 0 : gossiper.phi(peer);
                boolean reachable = detector.isReachable(peer);
                var state = gossiper == null ? io.dynamo.server.membership.PeerState.of(reachable)
                        : gossiper.peerState(peer, reachable);
                out.put(peer, new PeerHealth(reachable, timedOut.contains(peer),
                        gossiper != null && gossiper.suspects(peer), phi, state));
            }
        }
        return out;
    }

    /** The approximate bytes this node stores, summed over its partitions. Call on the node's thread. */
    public long approximateDataSize() {
        long total = 0;
        for (int p : storage.partitions()) {
            total += storage.approximateSize(p);
        }
        return total;
    }

    /** The partitions this node holds data for. Call on the node's thread. */
    public int storedPartitions() {
        return storage.partitions().size();
    }
}

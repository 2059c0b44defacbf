package io.dynamo.net.server;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.RandomSource;
import io.dynamo.net.client.ClientProtocolServer;
import io.dynamo.net.http.HttpApi;
import io.dynamo.net.runtime.NodeExecutor;
import io.dynamo.net.transport.NettyTransport;
import io.dynamo.server.DynamoNode;
import io.dynamo.server.NodeConfig;
import io.dynamo.storage.rocksdb.RocksDbStorageEngine;
import io.dynamo.wire.netty.NettyIo;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Dynamo server process: the node (from dynamo-server) on its own thread, with RocksDB
 * storage, the Netty peer transport, the HTTP API and the client protocol around it.
 *
 * <p>How it starts depends on what it finds:
 * <ul>
 *   <li>a cluster state persisted by an earlier run: it rejoins that cluster;
 *   <li>else, if it is one of {@code initial_members}: it forms a new cluster with them (every
 *       initial member computes the same first ring from the same settings);
 *   <li>else, if {@code seeds} are given: it asks to join the seeds' cluster;
 *   <li>else it waits, serving only HTTP admin, until {@code POST /admin/join} names a seed.
 * </ul>
 *
 * <p>{@link #close} is the graceful stop (SIGTERM): stop accepting requests, let those in flight
 * finish (up to {@code shutdown_grace_ms}), then close the transport, flush storage (hints are
 * stored there too) and close it.
 */
public final class DynamoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoServer.class);

    /** Cluster events, one line each at INFO: peers down and up, membership, ring, transfers, hints. */

    private static final Logger EVENTS = LoggerFactory.getLogger("io.dynamo.events");

    private final ServerConfig config;
    private final long startedMillis = System.currentTimeMillis();
    private final RocksDbStorageEngine storage;
    private final NodeExecutor thread;
    private final EventLoopGroup io;
    private final NettyTransport transport;
    private final Map<NodeId, InetSocketAddress> knownPeers = new ConcurrentHashMap<>();
    private final NodeMetrics metrics;
    private final HttpApi http;
    private final ClientProtocolServer client;
    private final Endpoints endpoints;
    private final ClaimStrategy strategy;
    private volatile DynamoNode node;
    private volatile boolean closing;

    private DynamoServer(ServerConfig config) {
        this.config = config;
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new ServerConfig.ConfigException("data_dir: cannot create " + config.dataDir() + ": " + e.getMessage());
        }
        this.storage = RocksDbStorageEngine.open(config.storage());
        this.thread = new NodeExecutor("node-" + config.nodeId().value());
        this.io = NettyIo.group(config.ioThreads(), "io-" + config.nodeId().value());
        knownPeers.putAll(config.seeds());
        NettyTransport.Settings settings = NettyTransport.Settings.defaults(config.clusterName())
                .withMaxFrameBytes(config.maxFrameBytes());
        this.transport = new NettyTransport(config.nodeId(), resolved(config.peerAddress()), this::resolve, thread,
                settings, io);
        this.strategy = ClaimStrategy.equalPartitions(config.partitions(), config.defaults().n());
        this.metrics = new NodeMetrics(config.nodeId().value(), transport);
        this.http = new HttpApi(this, io);
        this.client = new ClientProtocolServer(this, io);
        InetSocketAddress peer = transport.start();
        InetSocketAddress httpBound = http.start(resolved(config.httpAddress()));
        InetSocketAddress clientBound = client.start(resolved(config.clientAddress()));
        String host = config.publicHost();
        this.endpoints = new Endpoints(InetSocketAddress.createUnresolved(host, peer.getPort()),
                InetSocketAddress.createUnresolved(host, clientBound.getPort()),
                InetSocketAddress.createUnresolved(host, httpBound.getPort()));
        transport.httpAddress(endpoints.http());
    }

    /** Starts a server; throws {@link ServerConfig.ConfigException} or an I/O error with a readable message. */
    public static DynamoServer start(ServerConfig config) {
        DynamoServer server = new DynamoServer(config);
        try {
            server.startNode();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void startNode() {
        boolean persisted = storage.metadata().get(DynamoNode.CLUSTER_STATE_KEY).isPresent();
        if (persisted) {
            LOG.info("{} restarts with its persisted cluster state", config.nodeId());
            launch(ClusterState.joining(config.nodeId(), config.zone(), endpoints.format(), 1, strategy)
                    .withName(config.clusterName()), seeds());
        } else if (config.formsCluster()) {
            LOG.info("{} forms cluster '{}' with {}", config.nodeId(), config.clusterName(), config.initialMembers());
            launch(bootstrap(), seeds());
        } else if (!config.seeds().isEmpty()) {
            LOG.info("{} asks to join the cluster of {}", config.nodeId(), config.seeds().keySet());
            launch(joining(), seeds());
        } else {
            LOG.info("{} waits to be joined to a cluster (POST /admin/join?seed=NODE@HOST:PORT)", config.nodeId());
        }
        thread.schedule(Duration.ofSeconds(1), this::refresh);
    }

    /** The first cluster state of a new cluster: the same on every initial member. */
    private ClusterState bootstrap() {
        List<Member> members = new ArrayList<>();
        for (NodeId id : config.initialMembers()) {
            members.add(Member.of(id.value(), "default")); // zones come from each node's own entry, below
        }
        long seed = 0;
        for (byte b : config.clusterName().getBytes(StandardCharsets.UTF_8)) {
            seed = seed * 31 + b;
        }
        ClusterState state = ClusterState.bootstrap(config.clusterName(), members, strategy,
                RandomSource.seeded(seed));
        MemberEntry me = state.member(config.nodeId()).orElseThrow();
        return state.with(new MemberEntry(config.nodeId(), config.zone(), endpoints.format(), MemberStatus.UP,
                me.generation(), me.version() + 1, 0));
    }

    private ClusterState joining() {
        return ClusterState.joining(config.nodeId(), config.zone(), endpoints.format(), 1, strategy);
    }

    private List<NodeId> seeds() {
        List<NodeId> seeds = new ArrayList<>();
        for (NodeId id : config.seeds().keySet()) {
            if (!id.equals(config.nodeId())) {
                seeds.add(id);
            }
        }
        if (seeds.isEmpty()) {
            seeds.add(config.nodeId());
        }
        return seeds;
    }

    private void launch(ClusterState bootstrap, List<NodeId> seeds) {
        NodeConfig nodeConfig = nodeConfig();
        DynamoNode.Membership membership = new DynamoNode.Membership(bootstrap, seeds, strategy,
                config.gossipInterval(), endpoints.format());
        long seed = new SecureRandom().nextLong();
        node = onNodeThread(() -> {
            DynamoNode n = DynamoNode.start(nodeConfig, thread, thread, RandomSource.seeded(seed), transport, storage,
                    membership);
            n.answerStatusWith(since -> NodeStatus.bytes(this, n, since));
            n.reportEventsTo((kind, message) -> EVENTS.info("{} {}", kind.label(), message));
            return n;
        });
        LOG.info("{} is up: peer {}, client {}, http {} ({})", config.nodeId(), Endpoints.hostPort(endpoints.peer()),
                Endpoints.hostPort(endpoints.client()), Endpoints.hostPort(endpoints.http()), NettyIo.flavour());
    }

    private NodeConfig nodeConfig() {
        NodeConfig c = NodeConfig.defaults(config.nodeId())
                .withDefaults(config.defaults())
                .withReplicaTimeout(config.replicaTimeout())
                .withMaxInFlight(config.maxInFlight());
        for (var ns : config.namespaces().entrySet()) {
            c = c.withNamespace(ns.getKey(), ns.getValue());
        }
        return c;
    }

    /**
     * Asks this idle node to join the cluster {@code seed} belongs to.
     *
     * @throws IllegalStateException if the node already belongs to a cluster
     */
    public synchronized void join(NodeId seed, InetSocketAddress seedAddress) {
        if (node != null) {
            throw new IllegalStateException(config.nodeId() + " already belongs to cluster '" + clusterName()
                    + "'; a node joins once (to move it, make it leave, wipe its data_dir and join again)");
        }
        if (seed.equals(config.nodeId())) {
            throw new IllegalArgumentException("a node cannot join itself; name a node of the cluster to join");
        }
        knownPeers.put(seed, seedAddress);
        launch(joining(), List.of(seed));
    }

    /** Where {@code id} listens for peers: from the cluster state, else the configured seeds. */
    private InetSocketAddress resolve(NodeId id) {
        DynamoNode n = node;
        if (n != null && thread.inNodeThread()) {
            Optional<InetSocketAddress> gossiped = n.clusterState().flatMap(s -> s.member(id))
                    .flatMap(e -> Endpoints.parse(e.address())).map(Endpoints::peer);
            if (gossiped.isPresent()) {
                knownPeers.put(id, gossiped.get());
                return gossiped.get();
            }
        }
        return knownPeers.get(id);
    }

    /** Every second on the node thread: fresh metrics, a traffic sample, and peer addresses learned by gossip. */
    private void refresh() {
        DynamoNode n = node;
        metrics.traffic().sample(System.currentTimeMillis(), System.nanoTime(), n == null ? 0 : n.admission().refused());
        if (n != null) {
            metrics.update(NodeMetrics.of(n));
            n.clusterState().ifPresent(s -> s.members().values().forEach(e -> Endpoints.parse(e.address())
                    .ifPresent(ep -> knownPeers.put(e.id(), ep.peer()))));
        }
        if (!closing) {
            thread.schedule(Duration.ofSeconds(1), this::refresh);
        }
    }

    /** Runs {@code work} on the node thread and waits for it (not for use on the node thread). */
    public <T> T onNodeThread(Supplier<T> work) {
        try {
            return call(work).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the node thread did not answer in 30 s", e);
        }
    }

    /** Runs {@code work} on the node thread; the future completes there. */
    public <T> CompletableFuture<T> call(Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                f.complete(work.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static InetSocketAddress resolved(InetSocketAddress a) {
        return a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
    }

    // ------------------------------------------------------------------ observation

    public ServerConfig config() {
        return config;
    }

    /** The node, or empty while the server waits to be joined to a cluster. */
    public Optional<DynamoNode> node() {
        return Optional.ofNullable(node);
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public NettyTransport transport() {
        return transport;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    public long startedMillis() {
        return startedMillis;
    }

    public boolean closing() {
        return closing;
    }

    /** The cluster's name: the gossiped one once known, else the configured one. */
    public String clusterName() {
        return config.clusterName();
    }

    // ------------------------------------------------------------------ stopping

    /** The graceful stop: see the class comment. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        LOG.info("{} stops: no new requests; waiting up to {} ms for those in flight", config.nodeId(),
                config.shutdownGrace().toMillis());
        http.stopAccepting();
        client.stopAccepting();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        DynamoNode n = node;
        while (n != null && System.nanoTime() - deadline < 0) {
            int inFlight;
            try {
                inFlight = call(() -> n.coordinator().inFlight()).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                break;
            }
            if (inFlight == 0 && http.openRequests() == 0 && client.openRequests() == 0) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.close();
        client.close();
        transport.close();
        thread.close(); // runs what was queued, then stops: no more storage calls after this
        try {
            storage.flush();
        } catch (RuntimeException e) {
            LOG.error("flushing storage at stop failed", e);
        }
        storage.close();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.info("{} stopped", config.nodeId());
    }
}

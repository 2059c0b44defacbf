package io.dynamo.client;

import com.google.protobuf.ByteString;
import io.dynamo.wire.netty.Frames;
import io.dynamo.wire.netty.NettyIo;
import io.dynamo.wire.proto.ClientRequest;
import io.dynamo.wire.proto.ClientResponse;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of a Dynamo cluster over the client protocol. Thread-safe; make one per application
 * and share it.
 *
 * <pre>{@code
 * try (DynamoClient client = DynamoClient.builder()
 *         .seeds(List.of(new InetSocketAddress("10.0.0.1", 9000)))
 *         .build()) {
 *     GetResult read = client.get("carts", key);
 *     client.put("carts", key, value, "application/json", read.context());
 *     client.update("carts", key, siblings -> merge(siblings), cart -> addItem(cart));
 * }
 * }</pre>
 *
 * <p><b>Ring and routing.</b> {@link Builder#build()} fetches the ring from the first seed that
 * answers, and the client refreshes it every {@link Builder#ringRefresh} and at once after a
 * routing miss (a node that cannot be reached, or answers {@code unavailable}). With
 * {@link Routing#CLIENT} (the default) each keyed request goes to one of the key's top-N owners,
 * computed from the ring exactly as the nodes compute it: the first one reachable, then the next
 * on failure. With {@link Routing#SERVER} requests go round-robin to any node.
 *
 * <p><b>Retries.</b> A read is retried on another replica when its node cannot be reached, the
 * connection is lost before the answer, or the node answers {@code unavailable} or
 * {@code overloaded}. A write (put or delete) is sent elsewhere only when it provably never
 * reached a node (the connection could not be made, or the frame never left the client); never
 * after it was sent, so never after a timeout or a lost connection, which surface as
 * {@link RequestTimeoutException} and {@link ConnectionLostException} (the outcome is unknown).
 *
 * <p><b>Connections.</b> One or two pipelined connections per node ({@link Builder#connectionsPerNode}),
 * made on first use and remade with backoff; every request has a deadline (its timeout plus one
 * second for the answer to travel).
 *
 * <p><b>Threads.</b> The futures of the {@code *Async} methods complete on the client's I/O
 * threads: do not block in their callbacks (use the {@code ...Async} variants of
 * {@link CompletableFuture} to move work elsewhere). {@link Resolver}s and {@link Mutator}s run on
 * {@link Builder#executor} (the common pool by default).
 */
public final class DynamoClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoClient.class);

    /** The content type of values written without one. */
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    /** The content type of values written by the String overloads. */
    public static final String TEXT_CONTENT_TYPE = "text/plain; charset=utf-8";

    /** How much longer than a request's timeout the client waits for its answer. */
    private static final Duration ANSWER_SLACK = Duration.ofSeconds(1);

    /** The largest timeout a node accepts. */
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    /** The fewest nanoseconds between two refreshes triggered by routing misses. */
    private static final long MISS_REFRESH_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Routing routing;
    private final Duration requestTimeout;
    private final int connectionsPerNode;
    private final int maxFrameBytes;
    private final int connectTimeoutMillis;
    private final String clusterName;
    private final int updateAttempts;
    private final Executor executor;
    private final EventLoopGroup group;
    private final Map<String, NodeEndpoint> endpoints = new ConcurrentHashMap<>();
    private final List<NodeEndpoint> seeds;
    private final Object ringLock = new Object();
    private volatile RingView ring;
    private volatile Map<String, NodeEndpoint> byNode = Map.of();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long lastRefreshNanos = System.nanoTime() - MISS_REFRESH_GAP_NANOS;
    private final ScheduledFuture<?> refresher;
    private volatile boolean closed;

    private DynamoClient(Builder b) {
        this.routing = b.routing;
        this.requestTimeout = b.requestTimeout;
        this.connectionsPerNode = b.connectionsPerNode;
        this.maxFrameBytes = b.maxFrameBytes;
        this.connectTimeoutMillis = (int) Math.max(1, b.connectTimeout.toMillis());
        this.clusterName = b.clusterName;
        this.updateAttempts = b.updateAttempts;
        this.executor = b.executor;
        this.group = NettyIo.group(b.ioThreads, "dynamo-client");
        List<NodeEndpoint> s = new ArrayList<>();
        for (InetSocketAddress a : b.seeds) {
            NodeEndpoint ep = endpoint(hostPort(a), a);
            if (!s.contains(ep)) {
                s.add(ep);
            }
        }
        this.seeds = List.copyOf(s);
        long every = b.ringRefresh.toNanos();
        this.refresher = group.scheduleAtFixedRate(this::refresh, every, every, TimeUnit.NANOSECONDS);
    }

    /** A builder; {@link Builder#seeds} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings of a {@link DynamoClient}. */
    public static final class Builder {
        private List<InetSocketAddress> seeds = List.of();
        private Routing routing = Routing.CLIENT;
        private Duration ringRefresh = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private int connectionsPerNode = 1;
        private int maxFrameBytes = Frames.DEFAULT_MAX_FRAME_BYTES;
        private String clusterName = "";
        private int ioThreads = 2;
        private int updateAttempts = 4;
        private Executor executor = ForkJoinPool.commonPool();

        private Builder() {
        }

        /** The client addresses ({@code client_address}) of some nodes, tried in order at start. Required. */
        public Builder seeds(List<InetSocketAddress> clientAddresses) {
            Objects.requireNonNull(clientAddresses, "seeds");
            if (clientAddresses.isEmpty()) {
                throw new IllegalArgumentException("at least one seed address is needed");
            }
            clientAddresses.forEach(a -> Objects.requireNonNull(a, "a seed address is null"));
            this.seeds = List.copyOf(clientAddresses);
            return this;
        }

        public Builder seeds(InetSocketAddress... clientAddresses) {
            return seeds(List.of(clientAddresses));
        }

        /** Where requests go; {@link Routing#CLIENT} by default. */
        public Builder routing(Routing value) {
            this.routing = Objects.requireNonNull(value, "routing");
            return this;
        }

        /** How often the ring is fetched again; 5 s by default. */
        public Builder ringRefresh(Duration value) {
            this.ringRefresh = positive(value, "ringRefresh");
            return this;
        }

        /**
         * The timeout of a request without its own ({@link CallOptions#timeout}): how long the node
         * may take to reach the quorum (the client waits one second more for the answer); 5 s by
         * default, at most 5 minutes.
         */
        public Builder requestTimeout(Duration value) {
            positive(value, "requestTimeout");
            if (value.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("requestTimeout must be at most 5 minutes, was " + value);
            }
            this.requestTimeout = value;
            return this;
        }

        /** How long a connect may take; 2 s by default. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /** Connections kept to each node, 1 to 8; 1 by default (requests are pipelined on each). */
        public Builder connectionsPerNode(int value) {
            if (value < 1 || value > 8) {
                throw new IllegalArgumentException("connectionsPerNode must be between 1 and 8, was " + value);
            }
            this.connectionsPerNode = value;
            return this;
        }

        /** The largest response frame accepted; the nodes' max_frame_bytes (16 MiB) by default. */
        public Builder maxFrameBytes(int value) {
            if (value < 1024) {
                throw new IllegalArgumentException("maxFrameBytes must be at least 1024, was " + value);
            }
            this.maxFrameBytes = value;
            return this;
        }

        /** The cluster's name, checked by the nodes; empty (unchecked) by default. */
        public Builder clusterName(String value) {
            this.clusterName = Objects.requireNonNull(value, "clusterName");
            return this;
        }

        /** I/O threads of the client's event loop group; 2 by default. */
        public Builder ioThreads(int value) {
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("ioThreads must be between 1 and 64, was " + value);
            }
            this.ioThreads = value;
            return this;
        }

        /** How many times {@link DynamoClient#update} tries its read-modify-write; 4 by default. */
        public Builder updateAttempts(int value) {
            if (value < 1 || value > 100) {
                throw new IllegalArgumentException("updateAttempts must be between 1 and 100, was " + value);
            }
            this.updateAttempts = value;
            return this;
        }

        /** Where {@link Resolver}s and {@link Mutator}s run; the common pool by default. */
        public Builder executor(Executor value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /**
         * Starts the client and fetches the ring from the first seed that answers.
         *
         * @throws UnavailableException if no seed answers
         */
        public DynamoClient build() {
            if (seeds.isEmpty()) {
                throw new IllegalStateException("seeds are required: the client addresses of some nodes");
            }
            DynamoClient client = new DynamoClient(this);
            try {
                client.bootstrap();
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            return client;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }

    // ------------------------------------------------------------------ reads

    /** Reads {@code key}: every sibling and the context. */
    public GetResult get(String namespace, byte[] key) {
        return await(getAsync(namespace, key, CallOptions.defaults()));
    }

    public GetResult get(String namespace, byte[] key, CallOptions options) {
        return await(getAsync(namespace, key, options));
    }

    /** Reads a key given as text (its UTF-8 bytes). */
    public GetResult get(String namespace, String key) {
        return get(namespace, utf8(key));
    }

    public CompletableFuture<GetResult> getAsync(String namespace, byte[] key) {
        return getAsync(namespace, key, CallOptions.defaults());
    }

    public CompletableFuture<GetResult> getAsync(String namespace, byte[] key, CallOptions options) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
        Duration timeout = timeout(options);
        ClientRequest.Get.Builder get = ClientRequest.Get.newBuilder().setNamespace(namespace)
                .setKey(ByteString.copyFrom(key)).setTimeoutMs(millis(timeout));
        options.r().ifPresent(get::setR);
        return keyed(namespace, key, ClientRequest.newBuilder().setGet(get), true, timeout, "get", options.observer())
                .thenApply(r -> {
                    if (!r.hasGetResult()) {
                        throw unexpected(r, "get");
                    }
                    return getResult(r.getGetResult());
                });
    }

    // ------------------------------------------------------------------ writes

    /**
     * Writes {@code value} under {@code key}, superseding what {@code context} covers (the context
     * of the read this write follows; {@link Context#EMPTY} for a blind write, which becomes a
     * sibling of any value already there).
     */
    public PutResult put(String namespace, byte[] key, byte[] value, String contentType, Context context) {
        return await(putAsync(namespace, key, value, contentType, context, CallOptions.defaults()));
    }

    public PutResult put(String namespace, byte[] key, byte[] value, String contentType, Context context,
            CallOptions options) {
        return await(putAsync(namespace, key, value, contentType, context, options));
    }

    /** Writes text (UTF-8, {@value #TEXT_CONTENT_TYPE}) under a key given as text. */
    public PutResult put(String namespace, String key, String value, Context context) {
        return put(namespace, utf8(key), utf8(value), TEXT_CONTENT_TYPE, context);
    }

    public CompletableFuture<PutResult> putAsync(String namespace, byte[] key, byte[] value, String contentType,
            Context context) {
        return putAsync(namespace, key, value, contentType, context, CallOptions.defaults());
    }

    public CompletableFuture<PutResult> putAsync(String namespace, byte[] key, byte[] value, String contentType,
            Context context, CallOptions options) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(context, "context (Context.EMPTY for a blind write)");
        Objects.requireNonNull(options, "options");
        Duration timeout = timeout(options);
        ClientRequest.Put.Builder put = ClientRequest.Put.newBuilder().setNamespace(namespace)
                .setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value))
                .setContentType(contentType == null || contentType.isEmpty() ? DEFAULT_CONTENT_TYPE : contentType)
                .setTimeoutMs(millis(timeout)).setReturnBody(options.returnBody());
        if (!context.isEmpty()) {
            put.setContext(ByteString.copyFrom(context.bytes()));
        }
        options.w().ifPresent(put::setW);
        options.dw().ifPresent(put::setDw);
        return keyed(namespace, key, ClientRequest.newBuilder().setPut(put), false, timeout, "put", options.observer())
                .thenApply(r -> putResult(r, "put"));
    }

    /** Deletes {@code key}, superseding what {@code context} covers (pass the context of a read). */
    public PutResult delete(String namespace, byte[] key, Context context) {
        return await(deleteAsync(namespace, key, context, CallOptions.defaults()));
    }

    public PutResult delete(String namespace, byte[] key, Context context, CallOptions options) {
        return await(deleteAsync(namespace, key, context, options));
    }

    /** Deletes a key given as text. */
    public PutResult delete(String namespace, String key, Context context) {
        return delete(namespace, utf8(key), context);
    }

    public CompletableFuture<PutResult> deleteAsync(String namespace, byte[] key, Context context) {
        return deleteAsync(namespace, key, context, CallOptions.defaults());
    }

    public CompletableFuture<PutResult> deleteAsync(String namespace, byte[] key, Context context,
            CallOptions options) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        Duration timeout = timeout(options);
        ClientRequest.Delete.Builder delete = ClientRequest.Delete.newBuilder().setNamespace(namespace)
                .setKey(ByteString.copyFrom(key)).setTimeoutMs(millis(timeout));
        if (!context.isEmpty()) {
            delete.setContext(ByteString.copyFrom(context.bytes()));
        }
        options.w().ifPresent(delete::setW);
        options.dw().ifPresent(delete::setDw);
        return keyed(namespace, key, ClientRequest.newBuilder().setDelete(delete), false, timeout, "delete",
                options.observer())
                .thenApply(r -> putResult(r, "delete"));
    }

    // ------------------------------------------------------------------ read-modify-write

    /**
     * Reads {@code key}, reconciles its siblings with {@code resolver} (only when there are two or
     * more), applies {@code mutator} to the result (null when the key has no value), and writes
     * the outcome back with the read's context, so that it supersedes every sibling it resolved (a
     * null outcome deletes the key). The value keeps the content type of the first sibling read
     * ({@value #DEFAULT_CONTENT_TYPE} for a new key).
     *
     * <p>If the write fails in a way that guarantees nothing was written (the node was
     * overloaded or unavailable, or could not be reached), the whole read-modify-write is tried
     * again, up to {@link Builder#updateAttempts} times in all, so the mutator may run more than
     * once. Other failures (including timeouts, whose outcome is unknown) are thrown.
     */
    public PutResult update(String namespace, byte[] key, Resolver resolver, Mutator mutator) {
        return await(updateAsync(namespace, key, null, resolver, mutator, CallOptions.defaults()));
    }

    /** {@link #update(String, byte[], Resolver, Mutator)} writing {@code contentType}, with options. */
    public PutResult update(String namespace, byte[] key, String contentType, Resolver resolver, Mutator mutator,
            CallOptions options) {
        return await(updateAsync(namespace, key, contentType, resolver, mutator, options));
    }

    /** {@link #update(String, byte[], Resolver, Mutator)} of a key given as text. */
    public PutResult update(String namespace, String key, Resolver resolver, Mutator mutator) {
        return update(namespace, utf8(key), resolver, mutator);
    }

    public CompletableFuture<PutResult> updateAsync(String namespace, byte[] key, Resolver resolver,
            Mutator mutator) {
        return updateAsync(namespace, key, null, resolver, mutator, CallOptions.defaults());
    }

    /**
     * The asynchronous {@link #update}; {@code contentType} null keeps the content type read.
     */
    public CompletableFuture<PutResult> updateAsync(String namespace, byte[] key, String contentType,
            Resolver resolver, Mutator mutator, CallOptions options) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(mutator, "mutator");
        Objects.requireNonNull(options, "options");
        byte[] k = key.clone();
        return updateAttempt(namespace, k, contentType, resolver, mutator, options, 1);
    }

    /** The value an update writes, with its content type and the context it supersedes. */
    private record Planned(byte[] value, String contentType, Context context) {
    }

    private CompletableFuture<PutResult> updateAttempt(String namespace, byte[] key, String contentType,
            Resolver resolver, Mutator mutator, CallOptions options, int attempt) {
        return getAsync(namespace, key, options).thenApplyAsync(read -> {
            List<Sibling> siblings = read.siblings();
            byte[] current = siblings.isEmpty() ? null
                    : siblings.size() == 1 ? siblings.get(0).value() : resolver.resolve(siblings);
            byte[] next = mutator.apply(current);
            String type = contentType != null ? contentType
                    : siblings.isEmpty() ? DEFAULT_CONTENT_TYPE : siblings.get(0).contentType();
            return new Planned(next, type, read.context());
        }, executor).thenCompose(plan -> {
            CompletableFuture<PutResult> write = plan.value() == null
                    ? deleteAsync(namespace, key, plan.context(), options)
                    : putAsync(namespace, key, plan.value(), plan.contentType(), plan.context(), options);
            return write.handle((result, error) -> {
                if (error == null) {
                    return CompletableFuture.completedFuture(result);
                }
                Throwable cause = unwrap(error);
                if (attempt < updateAttempts && !closed
                        && (cause instanceof OverloadedException || cause instanceof UnavailableException)) {
                    LOG.debug("update of a key in {}: attempt {} failed ({}); trying again", namespace, attempt,
                            cause.getMessage());
                    Executor later = CompletableFuture.delayedExecutor(20L * attempt, TimeUnit.MILLISECONDS, executor);
                    return CompletableFuture.supplyAsync(() -> attempt + 1, later).thenCompose(
                            n -> updateAttempt(namespace, key, contentType, resolver, mutator, options, n));
                }
                return CompletableFuture.<PutResult>failedFuture(cause);
            }).thenCompose(Function.identity());
        });
    }

    // ------------------------------------------------------------------ observation

    /** How requests are routed. */
    public Routing routing() {
        return routing;
    }

    /** The epoch of the ring the client routes by; -1 before it has one. */
    public long ringEpoch() {
        RingView r = ring;
        return r == null ? -1 : r.epoch();
    }

    /** The partition of a key on the client's ring; -1 before it has one. */
    public int partitionOf(String namespace, byte[] key) {
        RingView r = ring;
        if (r == null) {
            return -1;
        }
        try {
            return r.partitionOf(namespace, key);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    /** The key's top-N owners (node ids) on the client's ring, in preference order; empty before it has one. */
    public List<String> owners(String namespace, byte[] key) {
        RingView r = ring;
        return r == null ? List.of() : r.owners(partitionOf(namespace, key));
    }

    /** Fetches the ring now (normally done every {@link Builder#ringRefresh}); completes when applied. */
    public CompletableFuture<Long> refreshRing() {
        return fetchRing(allNodes()).thenApply(RingView::epoch);
    }

    // ------------------------------------------------------------------ ring

    private void bootstrap() {
        DynamoClientException last = null;
        for (NodeEndpoint seed : seeds) {
            try {
                await(fetchRing(List.of(seed)));
                LOG.debug("ring epoch {} from seed {}", ringEpoch(), seed);
                return;
            } catch (DynamoClientException e) {
                last = e;
                LOG.debug("seed {} gave no ring: {}", seed, e.getMessage());
            }
        }
        throw new UnavailableException("no seed answered with a ring (" + seeds + ")"
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    private CompletableFuture<RingView> fetchRing(List<NodeEndpoint> from) {
        ClientRequest.Builder request = ClientRequest.newBuilder()
                .setGetRing(ClientRequest.GetRing.getDefaultInstance());
        return execute(request, from, true, requestTimeout, "ring", null).thenApply(r -> {
            if (!r.hasRing()) {
                throw unexpected(r, "ring");
            }
            try {
                return apply(r.getRing());
            } catch (IllegalArgumentException e) {
                throw new DynamoClientException("node " + r.getRing().getResponder() + " sent a bad ring: "
                        + e.getMessage(), e);
            }
        });
    }

    /** Adopts {@code proto} unless the client has a newer ring; returns the ring in use. */
    private RingView apply(ClientResponse.Ring proto) {
        RingView view = RingView.of(proto);
        synchronized (ringLock) {
            RingView current = ring;
            if (current != null && view.epoch() < current.epoch()) {
                return current;
            }
            Map<String, NodeEndpoint> nodes = new HashMap<>();
            for (RingView.Node n : view.nodes().values()) {
                InetSocketAddress address = parseHostPort(n.clientAddress());
                if (address == null) {
                    continue;
                }
                NodeEndpoint ep = endpoint(n.clientAddress(), address);
                ep.nodeId(n.id());
                nodes.put(n.id(), ep);
            }
            byNode = Map.copyOf(nodes);
            ring = view;
            return view;
        }
    }

    /** The periodic refresh, and the one after a routing miss: one at a time. */
    private void refresh() {
        if (closed || !refreshing.compareAndSet(false, true)) {
            return;
        }
        lastRefreshNanos = System.nanoTime();
        try {
            fetchRing(allNodes()).whenComplete((v, e) -> {
                refreshing.set(false);
                if (e != null) {
                    LOG.debug("ring refresh failed: {}", unwrap(e).getMessage());
                }
            });
        } catch (RuntimeException e) {
            refreshing.set(false);
            LOG.debug("ring refresh failed: {}", e.toString());
        }
    }

    private void refreshSoon() {
        if (System.nanoTime() - lastRefreshNanos >= MISS_REFRESH_GAP_NANOS) {
            refresh();
        }
    }

    // ------------------------------------------------------------------ routing

    private CompletableFuture<ClientResponse> keyed(String namespace, byte[] key, ClientRequest.Builder request,
            boolean idempotent, Duration timeout, String what, AttemptObserver observer) {
        List<NodeEndpoint> candidates;
        try {
            candidates = route(namespace, key);
        } catch (DynamoClientException e) {
            return CompletableFuture.failedFuture(e);
        }
        return execute(request, candidates, idempotent, timeout, what, observer);
    }

    /** The nodes to try for a key, best first. */
    private List<NodeEndpoint> route(String namespace, byte[] key) {
        RingView r = ring;
        List<NodeEndpoint> all = allNodes();
        if (routing == Routing.SERVER || r == null) {
            return all;
        }
        int partition;
        try {
            partition = r.partitionOf(namespace, key);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
        Map<String, NodeEndpoint> nodes = byNode;
        List<NodeEndpoint> healthy = new ArrayList<>();
        List<NodeEndpoint> doubtful = new ArrayList<>();
        for (String id : r.owners(partition)) {
            NodeEndpoint ep = nodes.get(id);
            if (ep == null) {
                continue;
            }
            RingView.Node info = r.nodes().get(id);
            boolean ok = !ep.backingOff() && (info == null || info.reachable());
            (ok ? healthy : doubtful).add(ep);
        }
        List<NodeEndpoint> out = new ArrayList<>(healthy);
        out.addAll(doubtful);
        for (NodeEndpoint ep : all) {
            if (!out.contains(ep)) {
                out.add(ep);
            }
        }
        return out;
    }

    /** Every node known (the ring's members that are not gone, else the seeds), rotated, healthy first. */
    private List<NodeEndpoint> allNodes() {
        RingView r = ring;
        List<NodeEndpoint> list = new ArrayList<>();
        if (r != null) {
            Map<String, NodeEndpoint> nodes = byNode;
            for (RingView.Node n : r.nodes().values()) {
                NodeEndpoint ep = nodes.get(n.id());
                if (ep != null && !n.status().equals("left")) {
                    list.add(ep);
                }
            }
        }
        if (list.isEmpty()) {
            list.addAll(seeds);
        }
        int start = Math.floorMod(roundRobin.getAndIncrement(), Math.max(1, list.size()));
        List<NodeEndpoint> healthy = new ArrayList<>();
        List<NodeEndpoint> doubtful = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            NodeEndpoint ep = list.get((start + i) % list.size());
            RingView.Node info = r == null || ep.nodeId() == null ? null : r.nodes().get(ep.nodeId());
            boolean ok = !ep.backingOff() && (info == null || info.reachable());
            (ok ? healthy : doubtful).add(ep);
        }
        healthy.addAll(doubtful);
        return healthy;
    }

    private NodeEndpoint endpoint(String hostPort, InetSocketAddress address) {
        return endpoints.computeIfAbsent(hostPort, k -> new NodeEndpoint(k, address, group, connectionsPerNode,
                maxFrameBytes, connectTimeoutMillis, clusterName));
    }

    // ------------------------------------------------------------------ sending

    private CompletableFuture<ClientResponse> execute(ClientRequest.Builder request, List<NodeEndpoint> candidates,
            boolean idempotent, Duration timeout, String what, AttemptObserver observer) {
        CompletableFuture<ClientResponse> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new DynamoClientException("the client is closed"));
            return result;
        }
        if (candidates.isEmpty()) {
            result.completeExceptionally(new UnavailableException("no node is known to send the " + what + " to"));
            return result;
        }
        long deadline = System.nanoTime() + timeout.plus(ANSWER_SLACK).toNanos();
        new Attempt(request, candidates, idempotent, deadline, what, result, observer).next();
        return result;
    }

    /** One request's way through its candidate nodes. */
    private final class Attempt {
        private final ClientRequest.Builder request;
        private final List<NodeEndpoint> candidates;
        private final boolean idempotent;
        private final long deadline;
        private final String what;
        private final CompletableFuture<ClientResponse> result;
        private final AttemptObserver observer;
        private int index;
        private DynamoClientException last;

        Attempt(ClientRequest.Builder request, List<NodeEndpoint> candidates, boolean idempotent, long deadline,
                String what, CompletableFuture<ClientResponse> result, AttemptObserver observer) {
            this.request = request;
            this.candidates = candidates;
            this.idempotent = idempotent;
            this.deadline = deadline;
            this.what = what;
            this.result = result;
            this.observer = observer;
        }

        void next() {
            if (closed) {
                result.completeExceptionally(new DynamoClientException("the client is closed"));
                return;
            }
            if (index >= candidates.size()) {
                result.completeExceptionally(exhausted());
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                result.completeExceptionally(new RequestTimeoutException("the " + what + " found no node to answer "
                        + "it in time" + (last == null ? "" : "; last failure: " + last.getMessage())));
                return;
            }
            NodeEndpoint node = candidates.get(index++);
            if (observer != null) {
                try {
                    observer.onAttempt(index, node.nodeId(), node.hostPort());
                } catch (RuntimeException e) {
                    LOG.debug("an attempt observer failed: {}", e.toString());
                }
            }
            node.connection().whenComplete((connection, error) -> {
                if (error != null) {
                    missed(unwrap(error));
                    return;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) { // the connect took the whole deadline: do not send it late
                    result.completeExceptionally(new RequestTimeoutException("the " + what + " could not be sent "
                            + "before its deadline (connecting to " + node + " took too long)"));
                    return;
                }
                ClientRequest sent;
                synchronized (request) {
                    sent = request.setId(ids.incrementAndGet()).build();
                }
                connection.send(sent, remaining)
                        .whenComplete((response, failure) -> answered(node, response, failure));
            });
        }

        private DynamoClientException exhausted() {
            if (last == null) {
                return new UnavailableException("no node could take the " + what);
            }
            if (last instanceof NotSentException) {
                return new UnavailableException("no node could be reached for the " + what + ": "
                        + last.getMessage(), last);
            }
            return last;
        }

        private void missed(Throwable error) {
            last = error instanceof DynamoClientException d ? d
                    : new NotSentException(String.valueOf(error.getMessage()), error);
            refreshSoon();
            next();
        }

        private void answered(NodeEndpoint node, ClientResponse response, Throwable failure) {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (cause instanceof NotSentException) {
                    missed(cause);
                } else if (cause instanceof ConnectionLostException lost && idempotent) {
                    last = lost;
                    refreshSoon();
                    next();
                } else {
                    result.completeExceptionally(cause instanceof DynamoClientException ? cause
                            : new DynamoClientException("the " + what + " failed: " + cause, cause));
                }
                return;
            }
            if (response.hasError()) {
                ClientResponse.Error e = response.getError();
                DynamoClientException ex = toException(e, node);
                if (e.getKind() == ClientResponse.Error.Kind.UNAVAILABLE) {
                    refreshSoon();
                }
                if (idempotent && (e.getKind() == ClientResponse.Error.Kind.UNAVAILABLE
                        || e.getKind() == ClientResponse.Error.Kind.OVERLOADED)) {
                    last = ex;
                    next();
                    return;
                }
                result.completeExceptionally(ex);
                return;
            }
            result.complete(response);
        }
    }

    // ------------------------------------------------------------------ conversions

    private static DynamoClientException toException(ClientResponse.Error e, NodeEndpoint node) {
        String message = e.getMessage() + " (from " + node + ")";
        return switch (e.getKind()) {
            case INVALID_REQUEST -> new InvalidRequestException(message);
            case INVALID_CONTEXT -> new InvalidContextException(message);
            case INSUFFICIENT_REPLICAS -> new InsufficientReplicasException(e.getRequired(), e.getAchieved(),
                    e.getRequiredDurable(), e.getAchievedDurable(), e.getFailuresMap(), message);
            case OVERLOADED -> new OverloadedException(e.getRequired(), message);
            case UNAVAILABLE -> new UnavailableException(message);
            case TIMEOUT -> new RequestTimeoutException(message);
            default -> new DynamoClientException("the node failed: " + message);
        };
    }

    private static DynamoClientException unexpected(ClientResponse r, String what) {
        return new DynamoClientException("the node answered a " + what + " with " + r.getKindCase());
    }

    private static List<Sibling> siblings(List<ClientResponse.Sibling> proto) {
        List<Sibling> out = new ArrayList<>(proto.size());
        for (ClientResponse.Sibling s : proto) {
            out.add(new Sibling(s.getValue().toByteArray(), s.getContentType(), s.getTimestampMs()));
        }
        return out;
    }

    private static GetResult getResult(ClientResponse.GetResult r) {
        return new GetResult(siblings(r.getSiblingsList()), Context.of(r.getContext().toByteArray()));
    }

    private static PutResult putResult(ClientResponse r, String what) {
        if (!r.hasPutResult()) {
            throw unexpected(r, what);
        }
        ClientResponse.PutResult p = r.getPutResult();
        return new PutResult(siblings(p.getSiblingsList()), Context.of(p.getContext().toByteArray()),
                p.getAcknowledgedList(), p.getFallbacksMap(), p.getDurable());
    }

    private Duration timeout(CallOptions options) {
        return options.timeout() != null ? options.timeout() : requestTimeout;
    }

    private static int millis(Duration timeout) {
        return (int) Math.max(1, Math.min(timeout.toMillis(), MAX_TIMEOUT.toMillis()));
    }

    private static byte[] utf8(String text) {
        return Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8);
    }

    static String hostPort(InetSocketAddress a) {
        return io.dynamo.wire.HostPort.format(a);
    }

    /** {@code HOST:PORT} (IPv6 hosts in brackets) as an unresolved address; null if it is not one. */
    static InetSocketAddress parseHostPort(String text) {
        return io.dynamo.wire.HostPort.parse(text);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamoClientException("interrupted while waiting for the answer", e);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new DynamoClientException(cause.toString(), cause);
        }
    }

    // ------------------------------------------------------------------ closing

    /** Closes every connection; requests in flight fail. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        refresher.cancel(false);
        endpoints.values().forEach(NodeEndpoint::close);
        var done = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        boolean onOwnThread = false;
        for (EventExecutor e : group) {
            onOwnThread |= e.inEventLoop();
        }
        if (!onOwnThread) {
            done.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}

package io.dynamo.net.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.Content;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.InvalidContextException;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.net.server.BucketAccess;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.Endpoints;
import io.dynamo.net.server.Listener;
import io.dynamo.net.transport.WrongPortGuard;
import io.dynamo.server.DynamoNode;
import io.dynamo.server.coordinator.DynamoException;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.InsufficientReplicasException;
import io.dynamo.server.coordinator.InvalidRequestException;
import io.dynamo.server.coordinator.OverloadedException;
import io.dynamo.server.coordinator.PutResult;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.server.coordinator.UnavailableException;
import io.dynamo.wire.netty.Frames;
import io.dynamo.wire.proto.ClientRequest;
import io.dynamo.wire.proto.ClientResponse;
import io.dynamo.wire.proto.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the client protocol ({@code dynamo-wire/src/main/proto/client.proto}) on its own port:
 * each connection opens with a {@link Hello}, then carries pipelined {@link ClientRequest}s, each
 * handed to the node as the HTTP API does and answered with a {@link ClientResponse} of the same
 * id as soon as the node's future completes, in whatever order they complete.
 *
 * <p>Frames are decoded and requests checked on the event loop; responses are built and written
 * there too, never on the node thread, and nothing here blocks either. A frame over
 * {@code max_frame_bytes}, a frame that does not parse, a bad Hello or a request of no known kind
 * closes that connection (logged at WARN with the reason); every other problem is answered with
 * an {@code Error} and the connection stays open. At most {@link #DEFAULT_MAX_IN_FLIGHT} requests
 * per connection are in flight; one more is answered {@code OVERLOADED} at once.
 *
 * <p>The lifecycle is {@link io.dynamo.net.http.HttpApi}'s: {@link #start}, then at shutdown
 * {@link #stopAccepting} (no new connections; requests on open ones are answered
 * {@code UNAVAILABLE}), wait for {@link #openRequests} to reach 0, then {@link #close}.
 */
public final class ClientProtocolServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientProtocolServer.class);

    /** The default limit of requests in flight on one connection. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

    /** How much longer than the request's own timeout the node may take before the answer is TIMEOUT. */
    /** How long past a request's own timeout the node has to answer before this server gives up. */
    static final Duration NODE_GRACE = Duration.ofSeconds(5);

    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final DynamoServer server;
    private final EventLoopGroup io;
    private final int maxInFlightPerConnection;
    private final Duration nodeGrace;
    private final Listener listener = new Listener("the client protocol");
    private final AtomicLong badConnections = new AtomicLong();

    public ClientProtocolServer(DynamoServer server, EventLoopGroup io) {
        this(server, io, DEFAULT_MAX_IN_FLIGHT);
    }

    /** A server allowing {@code maxInFlightPerConnection} requests in flight per connection. */
    public ClientProtocolServer(DynamoServer server, EventLoopGroup io, int maxInFlightPerConnection) {
        this(server, io, maxInFlightPerConnection, NODE_GRACE);
    }

    /** As above, the node given {@code nodeGrace} past a request's timeout (tests shorten it). */
    ClientProtocolServer(DynamoServer server, EventLoopGroup io, int maxInFlightPerConnection, Duration nodeGrace) {
        if (maxInFlightPerConnection < 1) {
            throw new IllegalArgumentException("maxInFlightPerConnection must be at least 1, was "
                    + maxInFlightPerConnection);
        }
        this.server = server;
        this.io = io;
        this.maxInFlightPerConnection = maxInFlightPerConnection;
        this.nodeGrace = nodeGrace;
    }

    /** Binds {@code address}; returns the bound address. */
    public InetSocketAddress start(InetSocketAddress address) {
        int maxFrame = server.config().maxFrameBytes();
        InetSocketAddress bound = listener.bind(io, address, pipeline -> {
            pipeline.addLast("wrong-port", new WrongPortGuard("the client-protocol port of node "
                    + server.config().nodeId() + ", for dynamo-client's smart client", this::httpUrl,
                    badConnections::incrementAndGet));
            Frames.install(pipeline, maxFrame);
            pipeline.addLast("client-protocol", new Connection());
        });
        LOG.info("{} serves the client protocol on {}", server.config().nodeId(), bound);
        return bound;
    }

    /** Where this node's HTTP API is, for clients that send HTTP here by mistake; null until known. */
    private String httpUrl() {
        Endpoints endpoints = server.endpoints();
        return endpoints == null ? null : "http://" + Endpoints.hostPort(endpoints.http());
    }

    /** The bound address, or null before {@link #start}. */
    public InetSocketAddress address() {
        return listener.address();
    }

    /** Stops accepting connections; requests on open ones are answered {@code UNAVAILABLE}. */
    public void stopAccepting() {
        listener.stopAccepting();
    }

    /** Requests being served, over all connections. */
    public int openRequests() {
        return listener.openRequests();
    }

    /** Connections closed because the client broke the protocol. */
    public long badConnections() {
        return badConnections.get();
    }

    @Override
    public void close() {
        listener.close();
    }

    // ------------------------------------------------------------------ connections

    /** How long a new client connection may take to send its Hello before it is closed. */
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);

    /** One client connection: a Hello, then requests. Its fields are touched only on its event loop. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private boolean greeted;
        private boolean refused;
        private int inFlight;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // A connection that never says hello would hold its slot for ever.
            ctx.executor().schedule(() -> {
                if (!greeted && ctx.channel().isActive()) {
                    refuse(ctx, "no Hello within " + HELLO_TIMEOUT.toMillis() + " ms");
                }
            }, HELLO_TIMEOUT.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            ClientRequest request;
            try {
                if (refused) {
                    return; // frames decoded before the close took effect
                }
                if (!greeted) {
                    greet(frame);
                    greeted = true;
                    return;
                }
                try {
                    request = ClientRequest.parseFrom(frame.nioBuffer());
                } catch (InvalidProtocolBufferException e) {
                    throw new BadClientException("the frame is not a ClientRequest: " + e.getMessage());
                }
                if (request.getKindCase() == ClientRequest.KindCase.KIND_NOT_SET) {
                    throw new BadClientException("request " + Long.toUnsignedString(request.getId())
                            + " has no kind, or a kind this node does not know");
                }
            } catch (BadClientException e) {
                refuse(ctx, e.getMessage());
                return;
            } finally {
                frame.release();
            }
            serve(ctx, request);
        }

        private void greet(ByteBuf frame) {
            Hello hello;
            try {
                hello = Hello.parseFrom(frame.nioBuffer());
            } catch (InvalidProtocolBufferException e) {
                throw new BadClientException("the first frame is not a Hello: " + e.getMessage());
            }
            if (hello.getProtocolVersion() != Frames.PROTOCOL_VERSION) {
                throw new BadClientException("protocol version " + hello.getProtocolVersion() + ", this node speaks "
                        + Frames.PROTOCOL_VERSION);
            }
            if (!hello.getNodeId().isEmpty()) {
                throw new BadClientException("the Hello names node '" + hello.getNodeId() + "': a peer connected to "
                        + "the client port? (clients send an empty node_id)");
            }
            if (!hello.getClusterName().isEmpty() && !hello.getClusterName().equals(server.clusterName())) {
                throw new BadClientException("client of cluster '" + hello.getClusterName() + "', this is cluster '"
                        + server.clusterName() + "'");
            }
        }

        private void serve(ChannelHandlerContext ctx, ClientRequest request) {
            long start = System.nanoTime();
            long id = request.getId();
            String op = operation(request);
            if (inFlight >= maxInFlightPerConnection) {
                if (op != null) {
                    server.metrics().request(op, "overloaded", System.nanoTime() - start);
                }
                write(ctx, ClientResponse.newBuilder().setId(id).setError(ClientResponse.Error.newBuilder()
                        .setKind(ClientResponse.Error.Kind.OVERLOADED).setRequired(maxInFlightPerConnection)
                        .setMessage("this connection has " + maxInFlightPerConnection + " requests in flight, the "
                                + "most allowed; wait for answers, or use more connections")).build());
                return;
            }
            inFlight++;
            listener.requestStarted();
            CompletableFuture<ClientResponse> response;
            try {
                response = dispatch(ctx.executor(), request);
            } catch (RuntimeException e) {
                response = CompletableFuture.failedFuture(e);
            }
            response.whenComplete((r, e) -> {
                if (op != null) {
                    server.metrics().request(op, e != null ? outcome(e) : outcome(r), System.nanoTime() - start);
                }
                Runnable reply = () -> {
                    inFlight--;
                    listener.requestDone();
                    write(ctx, e == null ? r : toError(id, e));
                };
                try {
                    ctx.executor().execute(reply);
                } catch (RejectedExecutionException stopped) {
                    listener.requestDone(); // the event loop is gone, and the connection with it
                }
            });
        }

        private void write(ChannelHandlerContext ctx, ClientResponse response) {
            if (!ctx.channel().isActive()) {
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(response.toByteArray())).addListener(f -> {
                if (!f.isSuccess()) {
                    LOG.debug("cannot answer client {}: {}", ctx.channel().remoteAddress(), f.cause().toString());
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                refuse(ctx, "frame over max_frame_bytes (" + server.config().maxFrameBytes() + "): "
                        + cause.getMessage());
            } else if (cause instanceof IOException) {
                ctx.close(); // the client went away
            } else {
                refuse(ctx, cause.toString());
            }
        }

        private void refuse(ChannelHandlerContext ctx, String reason) {
            if (refused) {
                return;
            }
            refused = true;
            badConnections.incrementAndGet();
            LOG.warn("{} closes the client connection from {}{}: {}", server.config().nodeId(),
                    ctx.channel().remoteAddress(), greeted ? "" : " (before Hello)", reason);
            ctx.close();
        }
    }

    /** A client that broke the protocol: its connection is closed. */
    private static final class BadClientException extends RuntimeException {
        BadClientException(String message) {
            super(message, null, false, false);
        }
    }

    /** A request answered with an error before it reaches the node. */
    private static final class RequestError extends RuntimeException {
        final ClientResponse.Error.Kind kind;

        RequestError(ClientResponse.Error.Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    // ------------------------------------------------------------------ requests

    private static String operation(ClientRequest request) {
        return switch (request.getKindCase()) {
            case GET -> "get";
            case PUT -> "put";
            case DELETE -> "delete";
            default -> null;
        };
    }

    private CompletableFuture<ClientResponse> dispatch(EventExecutor loop, ClientRequest request) {
        if (!listener.accepting() || server.closing()) {
            throw new RequestError(ClientResponse.Error.Kind.UNAVAILABLE, server.config().nodeId()
                    + " is stopping; send requests to another node");
        }
        long id = request.getId();
        CompletableFuture<ClientResponse> out = switch (request.getKindCase()) {
            case GET -> get(loop, id, request.getGet());
            case PUT -> put(loop, id, request.getPut());
            case DELETE -> delete(loop, id, request.getDelete());
            case GET_RING -> ring(loop, id);
            case KIND_NOT_SET -> throw new IllegalStateException("checked before");
        };
        return out;
    }

    private CompletableFuture<ClientResponse> get(EventExecutor loop, long id, ClientRequest.Get get) {
        DynamoNode node = node();
        checkBucket(node, get.getNamespace());
        RequestOptions options = options(get.hasR() ? OptionalInt.of(get.getR()) : OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), get.hasTimeoutMs() ? get.getTimeoutMs() : 0);
        return withTimeout(loop, node.get(get.getNamespace(), get.getKey().toByteArray(), options).thenApply(r -> {
            server.metrics().siblings(r.values().size());
            return getResult(id, r);
        }), options);
    }

    private CompletableFuture<ClientResponse> put(EventExecutor loop, long id, ClientRequest.Put put) {
        DynamoNode node = node();
        checkBucket(node, put.getNamespace());
        RequestOptions options = options(OptionalInt.empty(), put.hasW() ? OptionalInt.of(put.getW())
                : OptionalInt.empty(), put.hasDw() ? OptionalInt.of(put.getDw()) : OptionalInt.empty(),
                put.hasTimeoutMs() ? put.getTimeoutMs() : 0);
        VersionVector context = context(put.hasContext() ? put.getContext() : ByteString.EMPTY);
        String type = put.getContentType().isEmpty() ? DEFAULT_CONTENT_TYPE : put.getContentType();
        boolean returnBody = put.getReturnBody();
        return withTimeout(loop, node.put(put.getNamespace(), put.getKey().toByteArray(), context,
                put.getValue().toByteArray(), type, options).thenApply(r -> putResult(id, r, returnBody)), options);
    }

    private CompletableFuture<ClientResponse> delete(EventExecutor loop, long id, ClientRequest.Delete delete) {
        DynamoNode node = node();
        checkBucket(node, delete.getNamespace());
        RequestOptions options = options(OptionalInt.empty(), delete.hasW() ? OptionalInt.of(delete.getW())
                : OptionalInt.empty(), delete.hasDw() ? OptionalInt.of(delete.getDw()) : OptionalInt.empty(),
                delete.hasTimeoutMs() ? delete.getTimeoutMs() : 0);
        VersionVector context = context(delete.hasContext() ? delete.getContext() : ByteString.EMPTY);
        return withTimeout(loop, node.delete(delete.getNamespace(), delete.getKey().toByteArray(), context, options)
                .thenApply(r -> putResult(id, r, false)), options);
    }

    private CompletableFuture<ClientResponse> ring(EventExecutor loop, long id) {
        DynamoNode node = node();
        return withTimeout(loop, server.call(() -> ringView(id, node)), nodeGrace);
    }

    private <T> CompletableFuture<T> withTimeout(EventExecutor loop, CompletableFuture<T> f,
            RequestOptions options) {
        return withTimeout(loop, f, options.timeout().plus(nodeGrace));
    }

    /**
     * Fails {@code f} with a {@link TimeoutException} if it has not completed {@code after} from now.
     * The timer runs on the connection's event loop, which wakes for its own timers anyway, rather
     * than on {@code CompletableFuture.orTimeout}'s shared delay thread, which every request would
     * wake twice (to add its timer and to cancel it).
     */
    private static <T> CompletableFuture<T> withTimeout(EventExecutor loop, CompletableFuture<T> f, Duration after) {
        ScheduledFuture<?> timer = loop.schedule(() -> f.completeExceptionally(new TimeoutException()),
                after.toNanos(), TimeUnit.NANOSECONDS);
        f.whenComplete((r, e) -> timer.cancel(false));
        return f;
    }

    private DynamoNode node() {
        return server.node().orElseThrow(() -> new RequestError(ClientResponse.Error.Kind.UNAVAILABLE,
                server.config().nodeId() + " does not belong to a cluster yet"));
    }

    /** The request's bucket (the protocol's {@code namespace} field), checked as the HTTP API checks it. */
    private void checkBucket(DynamoNode node, String bucket) {
        try {
            BucketAccess.check(node.namespaces().view(), bucket, server.config().allowAnyNamespace());
        } catch (IllegalArgumentException | BucketAccess.UnknownBucketException e) {
            throw new RequestError(ClientResponse.Error.Kind.INVALID_REQUEST, e.getMessage());
        }
    }

    private static RequestOptions options(OptionalInt r, OptionalInt w, OptionalInt dw, int timeoutMs) {
        try {
            Duration timeout = timeoutMs == 0 ? RequestOptions.DEFAULT_TIMEOUT
                    : Duration.ofMillis(Integer.toUnsignedLong(timeoutMs));
            return new RequestOptions(r, w, dw, timeout);
        } catch (IllegalArgumentException e) {
            throw new RequestError(ClientResponse.Error.Kind.INVALID_REQUEST, e.getMessage());
        }
    }

    private static VersionVector context(ByteString bytes) {
        if (bytes.isEmpty()) {
            return VersionVector.empty();
        }
        try {
            return ContextCodec.decode(bytes.toByteArray());
        } catch (InvalidContextException e) {
            throw new RequestError(ClientResponse.Error.Kind.INVALID_CONTEXT, e.getMessage()
                    + "; send back the context a response gave, unchanged");
        }
    }

    // ------------------------------------------------------------------ responses

    private static ByteString contextBytes(VersionVector context) {
        return context.isEmpty() ? ByteString.EMPTY : ByteString.copyFrom(ContextCodec.encode(context));
    }

    private static ClientResponse.Sibling sibling(Content c) {
        return ClientResponse.Sibling.newBuilder().setValue(ByteString.copyFrom(c.value()))
                .setContentType(c.contentType()).setTimestampMs(c.timestampMillis()).build();
    }

    private static ClientResponse getResult(long id, GetResult r) {
        ClientResponse.GetResult.Builder b = ClientResponse.GetResult.newBuilder()
                .setContext(contextBytes(r.context()));
        for (Versioned<Content> v : r.values()) {
            b.addSiblings(sibling(v.value()));
        }
        return ClientResponse.newBuilder().setId(id).setGetResult(b).build();
    }

    private static ClientResponse putResult(long id, PutResult r, boolean returnBody) {
        ClientResponse.PutResult.Builder b = ClientResponse.PutResult.newBuilder()
                .setContext(contextBytes(r.context()))
                .setDurable(r.receipt().durable());
        if (returnBody) {
            for (Versioned<Content> v : r.values()) {
                b.addSiblings(sibling(v.value()));
            }
        }
        for (NodeId n : r.receipt().acknowledged()) {
            b.addAcknowledged(n.value());
        }
        r.receipt().fallbacks().forEach((standIn, owner) -> b.putFallbacks(standIn.value(), owner.value()));
        return ClientResponse.newBuilder().setId(id).setPutResult(b).build();
    }

    /** The ring in force as this node sees it; runs on the node thread. */
    private ClientResponse ringView(long id, DynamoNode node) {
        ClusterState state = node.clusterState().orElseThrow(() -> new RequestError(
                ClientResponse.Error.Kind.UNAVAILABLE, node.id() + " runs on a fixed ring, without membership"));
        Ring ring = state.ring();
        int n = node.config().defaults().n();
        int listed = Math.max(n, node.namespaces().view().largestN());
        ClientResponse.Ring.Builder b = ClientResponse.Ring.newBuilder()
                .setEpoch(ring.epoch())
                .setPartitions(ring.partitionCount())
                .setN(n)
                .setResponder(node.id().value());
        for (int p = 0; p < ring.partitionCount(); p++) {
            ClientResponse.Ring.PartitionOwners.Builder owners = ClientResponse.Ring.PartitionOwners.newBuilder()
                    .setPartition(p);
            for (NodeId owner : ClusterState.owners(ring, p, listed)) {
                owners.addNodes(owner.value());
            }
            b.addOwners(owners);
        }
        Set<NodeId> unreachable = node.unreachablePeers();
        for (MemberEntry e : state.members().values()) {
            ClientResponse.Ring.Node.Builder m = ClientResponse.Ring.Node.newBuilder()
                    .setId(e.id().value())
                    .setStatus(e.status().toString().toLowerCase(Locale.ROOT))
                    .setZone(e.zone())
                    .setReachable(e.id().equals(node.id()) || !unreachable.contains(e.id()));
            m.setClientAddress(endpoint(e.address(), "client")).setHttpAddress(endpoint(e.address(), "http"));
            b.addNodes(m);
        }
        return ClientResponse.newBuilder().setId(id).setRing(b).build();
    }

    /**
     * One endpoint ({@code client} or {@code http}) of a gossiped address in {@link Endpoints}'
     * form, as {@code HOST:PORT}; empty if absent or not yet bound (port 0). Read part by part so
     * that one unusable endpoint does not hide the others.
     */
    static String endpoint(String address, String name) {
        for (String part : address.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(name)) {
                String hostPort = part.substring(eq + 1);
                int colon = hostPort.lastIndexOf(':');
                if (colon <= 0) {
                    return "";
                }
                try {
                    int port = Integer.parseInt(hostPort.substring(colon + 1));
                    return port < 1 || port > 65535 ? "" : hostPort;
                } catch (NumberFormatException bad) {
                    return "";
                }
            }
        }
        return "";
    }

    private static ClientResponse toError(long id, Throwable t) {
        Throwable e = unwrap(t);
        ClientResponse.Error.Builder b = ClientResponse.Error.newBuilder();
        switch (e) {
            case RequestError r -> b.setKind(r.kind).setMessage(r.getMessage());
            case InsufficientReplicasException i -> {
                b.setKind(ClientResponse.Error.Kind.INSUFFICIENT_REPLICAS).setMessage(i.getMessage())
                        .setRequired(i.required()).setAchieved(i.achieved())
                        .setRequiredDurable(i.requiredDurable()).setAchievedDurable(i.achievedDurable());
                i.failures().forEach((node, why) -> b.putFailures(node.value(), why == null ? "" : why));
            }
            case OverloadedException o -> b.setKind(ClientResponse.Error.Kind.OVERLOADED).setMessage(o.getMessage())
                    .setRequired(o.limit());
            case InvalidRequestException i -> b.setKind(ClientResponse.Error.Kind.INVALID_REQUEST)
                    .setMessage(i.getMessage());
            case UnavailableException u -> b.setKind(ClientResponse.Error.Kind.UNAVAILABLE).setMessage(u.getMessage());
            case DynamoException d -> b.setKind(ClientResponse.Error.Kind.UNAVAILABLE).setMessage(d.getMessage());
            case InvalidContextException c -> b.setKind(ClientResponse.Error.Kind.INVALID_CONTEXT)
                    .setMessage(c.getMessage());
            case TimeoutException te -> b.setKind(ClientResponse.Error.Kind.TIMEOUT)
                    .setMessage("the node did not answer in time");
            case IllegalArgumentException ia -> b.setKind(ClientResponse.Error.Kind.INVALID_REQUEST)
                    .setMessage(String.valueOf(ia.getMessage()));
            default -> {
                LOG.error("client request {} failed", Long.toUnsignedString(id), e);
                b.setKind(ClientResponse.Error.Kind.INTERNAL).setMessage(e.toString());
            }
        }
        return ClientResponse.newBuilder().setId(id).setError(b).build();
    }

    private static String outcome(ClientResponse r) {
        if (r.hasGetResult() && r.getGetResult().getSiblingsCount() == 0) {
            return "not_found";
        }
        return "ok";
    }

    private static String outcome(Throwable t) {
        Throwable e = unwrap(t);
        return switch (e) {
            case DynamoException d -> d.kind();
            case RequestError r -> switch (r.kind) {
                case INVALID_REQUEST -> "invalid";
                case INVALID_CONTEXT -> "invalid_context";
                case UNAVAILABLE -> "unavailable";
                default -> r.kind.toString().toLowerCase(Locale.ROOT);
            };
            case InvalidContextException c -> "invalid_context";
            case TimeoutException te -> "timeout";
            case IllegalArgumentException ia -> "invalid";
            default -> "error";
        };
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}

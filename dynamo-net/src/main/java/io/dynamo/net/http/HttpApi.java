package io.dynamo.net.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.membership.Transfer;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.Content;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.InvalidContextException;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.Endpoints;
import io.dynamo.net.server.Listener;
import io.dynamo.net.server.NodeMetrics;
import io.dynamo.net.server.NodeStatus;
import io.dynamo.server.DynamoNode;
import io.dynamo.server.coordinator.DynamoException;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.InsufficientReplicasException;
import io.dynamo.server.coordinator.InvalidRequestException;
import io.dynamo.server.coordinator.NamespaceProperties;
import io.dynamo.server.coordinator.Namespaces;
import io.dynamo.server.coordinator.OverloadedException;
import io.dynamo.server.coordinator.PutResult;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.wire.HostPort;
import io.dynamo.wire.netty.NettyIo;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API, shaped like Riak's (see {@code docs/api.md}): keys under
 * {@code /buckets/{bucket}/keys/{key}}, the causal context in the {@code X-Dynamo-Context}
 * header, siblings as {@code 300 Multiple Choices}, JSON admin endpoints under {@code /admin/},
 * Prometheus metrics at {@code /metrics}.
 *
 * <p>Requests are parsed on the event loop and handed to the node; the response is written when
 * the node's future completes. Nothing here blocks an event loop. Bad input gets a 4xx with a
 * JSON body {@code {"error": KIND, "message": ...}} before anything reaches the node.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    /** The header carrying the opaque causal context, base64url of the context codec's bytes. */
    public static final String CONTEXT_HEADER = "X-Dynamo-Context";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Responses at least this big are compressed when the client accepts gzip. */
    static final int COMPRESS_ABOVE_BYTES = 8192;
    private static final Set<String> GET_PARAMS = Set.of("r", "timeout_ms");
    private static final Set<String> PUT_PARAMS = Set.of("w", "dw", "timeout_ms", "returnbody", "receipt");
    private static final Set<String> DELETE_PARAMS = Set.of("w", "dw", "timeout_ms", "receipt");

    private final DynamoServer server;
    private final EventLoopGroup io;
    private final Listener listener = new Listener("HTTP");
    private final UiAssets ui = new UiAssets();
    /** For {@code POST /admin/invite}: this node asks the newcomer, over HTTP, to join. Made on first use. */
    private volatile java.net.http.HttpClient inviter;

    public HttpApi(DynamoServer server, EventLoopGroup io) {
        this.server = server;
        this.io = io;
    }

    /** Binds {@code address}; returns the bound address. */
    public InetSocketAddress start(InetSocketAddress address) {
        int maxBody = server.config().defaults().limits().maxValueBytes();
        for (NamespaceProperties p : server.config().namespaces().values()) {
            maxBody = Math.max(maxBody, p.limits().maxValueBytes());
        }
        int aggregate = maxBody + 64 * 1024;
        return listener.bind(io, address, pipeline -> {
            pipeline.addLast(new HttpServerCodec(8192, 16384, 16384));
            // Large answers (the dashboard's cluster view) are gzipped for clients that accept it.
            pipeline.addLast(new HttpContentCompressor(COMPRESS_ABOVE_BYTES, StandardCompressionOptions.gzip()));
            pipeline.addLast(new HttpObjectAggregator(aggregate));
            pipeline.addLast(new Handler());
        });
    }

    /** Stops accepting connections; requests on open ones are answered 503. */
    public void stopAccepting() {
        listener.stopAccepting();
    }

    /** Requests being served. */
    public int openRequests() {
        return listener.openRequests();
    }

    @Override
    public void close() {
        listener.close();
        java.net.http.HttpClient c = inviter;
        if (c != null) {
            c.close();
        }
    }

    /** A request that is answered with an error status and a JSON body. */
    static final class HttpError extends RuntimeException {
        final HttpResponseStatus status;
        final ObjectNode body;

        HttpError(HttpResponseStatus status, String kind, String message) {
            super(message, null, false, false);
            this.status = status;
            this.body = JSON.createObjectNode().put("error", kind).put("message", message);
        }
    }

    private static HttpError badRequest(String message) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_request", message);
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {

        /** The last response of this connection; the next waits for it (pipelined requests are answered in order). */
        private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

        private void respondInOrder(ChannelHandlerContext ctx, boolean keepAlive,
                CompletableFuture<FullHttpResponse> response) {
            previous = previous.thenCompose(v -> response).thenAccept(r -> respond(ctx, keepAlive, r))
                    .exceptionally(e -> {
                        ctx.close();
                        return null;
                    });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            long start = System.nanoTime();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                respondInOrder(ctx, false, CompletableFuture.completedFuture(error(new HttpError(
                        HttpResponseStatus.BAD_REQUEST, "malformed_request",
                        "the request is not valid HTTP: " + request.decoderResult().cause()))));
                return;
            }
            listener.requestStarted();
            CompletableFuture<FullHttpResponse> response;
            try {
                if (!listener.accepting()) {
                    throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "stopping", "the node is stopping");
                }
                response = route(request, start);
            } catch (HttpError e) {
                response = CompletableFuture.completedFuture(error(e));
            } catch (RuntimeException e) {
                response = CompletableFuture.completedFuture(error(toHttpError(e)));
            }
            respondInOrder(ctx, keepAlive, response.handle((r, e) -> {
                listener.requestDone();
                return e == null ? r : error(toHttpError(e));
            }));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof java.io.IOException)) {
                LOG.debug("HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            }
            ctx.close();
        }
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ------------------------------------------------------------------ routing

    private CompletableFuture<FullHttpResponse> route(FullHttpRequest request, long start) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.rawPath();
        List<String> segments = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                raw.add(s);
            }
        }
        boolean keyPath = raw.size() == 4 && raw.get(0).equals("buckets") && raw.get(2).equals("keys");
        for (int i = 0; i < raw.size(); i++) {
            segments.add(keyPath && i == 3 ? raw.get(i) : decode(raw.get(i))); // a key is decoded to bytes
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> p : uri.parameters().entrySet()) {
            if (p.getValue().size() != 1) {
                throw badRequest("query parameter '" + p.getKey() + "' given " + p.getValue().size() + " times");
            }
            params.put(p.getKey(), p.getValue().get(0));
        }
        HttpMethod method = request.method();
        int n = segments.size();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            checkSameOrigin(request);
        }
        if (keyPath) {
            return keyRequest(method, segments.get(1), keyBytes(segments.get(3)), params, request, start);
        }
        if (n == 1 && segments.get(0).equals("metrics") && method.equals(HttpMethod.GET)) {
            return done(text(HttpResponseStatus.OK, server.metrics().scrape(), "text/plain; version=0.0.4; charset=utf-8"));
        }
        if (n == 1 && segments.get(0).equals("ping") && method.equals(HttpMethod.GET)) {
            return done(text(HttpResponseStatus.OK, "OK", "text/plain"));
        }
        if (method.equals(HttpMethod.GET) && (n == 0 || n == 1 && segments.get(0).equals("ui") && !path.endsWith("/"))) {
            return done(redirect("/ui/"));
        }
        if (n <= 2 && n >= 1 && segments.get(0).equals("ui") && method.equals(HttpMethod.GET)) {
            String file = n == 2 ? segments.get(1) : "";
            return done(ui.file(file).orElseThrow(() -> new HttpError(HttpResponseStatus.NOT_FOUND, "not_found",
                    ui.present() ? "no such dashboard file: " + file
                            : "this build has no dashboard (dynamo-ui/build.sh writes it into dynamo-net's resources)")));
        }
        if (n >= 2 && segments.get(0).equals("admin")) {
            return admin(method, segments.subList(1, n), params, request);
        }
        if (n == 3 && segments.get(0).equals("buckets") && segments.get(2).equals("props")) {
            return admin(method, List.of("buckets", segments.get(1)), params, request);
        }
        throw new HttpError(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource: " + method + " " + path
                + " (see docs/api.md)");
    }

    private static String decode(String segment) {
        try {
            return QueryStringDecoder.decodeComponent(segment, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badRequest("bad percent-encoding in the path: " + e.getMessage());
        }
    }

    /**
     * A key's bytes from its path segment: each %XX escape is one byte, so a key may be any bytes
     * (not only valid UTF-8); other characters are taken as UTF-8.
     */
    static byte[] keyBytes(String segment) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(segment.length());
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                run.append(c);
                continue;
            }
            out.writeBytes(run.toString().getBytes(StandardCharsets.UTF_8));
            run.setLength(0);
            int hi = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(segment.charAt(i + 2), 16);
            if (lo < 0) {
                throw badRequest("bad percent-encoding in the key at character " + i + ": '%' must be followed by "
                        + "two hex digits");
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        out.writeBytes(run.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private DynamoNode node() {
        return server.node().orElseThrow(() -> new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "not_joined", server.config().nodeId() + " does not belong to a cluster yet; POST /admin/join?seed="
                        + "NODE@HOST:PORT joins it to one"));
    }

    // ------------------------------------------------------------------ keys

    /** The properties of {@code bucket}; 400 for a bad name, 404 for an unknown one when only configured buckets are allowed. */
    private NamespaceProperties checkBucket(DynamoNode node, String bucket) {
        Namespaces.View namespaces = node.namespaces().view();
        NamespaceProperties props;
        try {
            props = namespaces.properties(bucket);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        if (!namespaces.isDefined(bucket) && !server.config().allowAnyNamespace()) {
            throw new HttpError(HttpResponseStatus.NOT_FOUND, "unknown_namespace", "bucket '" + bucket
                    + "' is not configured on this cluster (allow_any_namespace is false)");
        }
        return props;
    }

    private CompletableFuture<FullHttpResponse> keyRequest(HttpMethod method, String bucket, byte[] key,
            Map<String, String> params, FullHttpRequest request, long start) {
        DynamoNode node = node();
        NamespaceProperties props = checkBucket(node, bucket);
        if (key.length > props.limits().maxKeyBytes()) {
            throw badRequest("the key is " + key.length + " bytes; bucket '" + bucket + "' allows at most "
                    + props.limits().maxKeyBytes() + " (max_key_bytes)");
        }
        String op;
        Set<String> allowed;
        if (method.equals(HttpMethod.GET)) {
            op = "get";
            allowed = GET_PARAMS;
        } else if (method.equals(HttpMethod.PUT) || method.equals(HttpMethod.POST)) {
            op = "put";
            allowed = PUT_PARAMS;
        } else if (method.equals(HttpMethod.DELETE)) {
            op = "delete";
            allowed = DELETE_PARAMS;
        } else {
            throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    method + " is not supported on keys; use GET, PUT, POST or DELETE");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (!allowed.contains(p.getKey())) {
                throw badRequest("unknown query parameter '" + p.getKey() + "' for " + method + "; known: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
            if (!p.getKey().equals("returnbody") && !p.getKey().equals("receipt")) {
                options.put(p.getKey(), p.getValue());
            }
        }
        boolean returnBody = flag(params, "returnbody");
        boolean receipt = flag(params, "receipt");
        RequestOptions ro;
        try {
            ro = RequestOptions.parse(options);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        VersionVector context = context(request);
        CompletableFuture<FullHttpResponse> out = switch (op) {
            case "get" -> node.get(bucket, key, ro).thenApply(r -> {
                server.metrics().siblings(r.values().size());
                return getResponse(r);
            });
            case "put" -> {
                byte[] value = ByteBufUtil.getBytes(request.content());
                if (value.length > props.limits().maxValueBytes()) {
                    throw new HttpError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "value_too_large", "the value is "
                            + value.length + " bytes; bucket '" + bucket + "' allows at most "
                            + props.limits().maxValueBytes() + " (max_value_bytes)");
                }
                String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
                yield node.put(bucket, key, context, value, type, ro)
                        .thenApply(r -> putResponse(r, returnBody, receipt));
            }
            default -> node.delete(bucket, key, context, ro).thenApply(r -> putResponse(r, false, receipt));
        };
        Duration limit = ro.timeout().plusSeconds(5);
        return out.orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> server.metrics()
                .request(op, e != null ? outcome(e) : r.status().code() == 404 ? "not_found" : "ok",
                        System.nanoTime() - start));
    }

    /** The error kind a failed request is counted under: the same as its JSON body's {@code error}. */
    private static String outcome(Throwable e) {
        return toHttpError(e).body.path("error").asText("error");
    }

    private static boolean flag(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "true", "1", "" -> true;
            case "false", "0" -> false;
            default -> throw badRequest(name + " must be true or false, was '" + v + "'");
        };
    }

    private static VersionVector context(FullHttpRequest request) {
        String header = request.headers().get(CONTEXT_HEADER);
        if (header == null || header.isBlank()) {
            return VersionVector.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(header.trim());
        } catch (IllegalArgumentException e) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_context", CONTEXT_HEADER
                    + " is not base64url: " + e.getMessage() + "; send back the header a read returned, unchanged");
        }
        try {
            return ContextCodec.decode(bytes);
        } catch (InvalidContextException e) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_context", CONTEXT_HEADER
                    + " does not decode: " + e.getMessage() + "; send back the header a read returned, unchanged");
        }
    }

    /** The context as the header carries it. */
    public static String encodeContext(VersionVector context) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ContextCodec.encode(context));
    }

    private static FullHttpResponse getResponse(GetResult r) {
        List<Content> live = r.contents();
        FullHttpResponse response;
        if (live.isEmpty()) {
            response = json(HttpResponseStatus.NOT_FOUND, JSON.createObjectNode().put("error", "not_found")
                    .put("message", "no value for this key"));
        } else if (live.size() == 1) {
            Content c = live.get(0);
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(c.value()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, c.contentType());
            response.headers().set("X-Dynamo-Timestamp", Long.toString(c.timestampMillis()));
        } else {
            ObjectNode body = siblings(r.values(), r.context());
            response = json(HttpResponseStatus.MULTIPLE_CHOICES, body);
        }
        if (!r.context().isEmpty() || !live.isEmpty()) {
            response.headers().set(CONTEXT_HEADER, encodeContext(r.context()));
        }
        return response;
    }

    private static ObjectNode siblings(List<Versioned<Content>> values, VersionVector context) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("siblings");
        for (Versioned<Content> v : values) {
            list.addObject().put("value", Base64.getEncoder().encodeToString(v.value().value()))
                    .put("content_type", v.value().contentType())
                    .put("timestamp_ms", v.value().timestampMillis());
        }
        body.put("context", encodeContext(context));
        return body;
    }

    private static FullHttpResponse putResponse(PutResult r, boolean returnBody, boolean receipt) {
        FullHttpResponse response;
        if (!returnBody && !receipt) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        } else {
            ObjectNode body = returnBody ? siblings(r.values(), r.context())
                    : JSON.createObjectNode().put("context", encodeContext(r.context()));
            if (receipt) {
                ObjectNode rec = body.putObject("receipt");
                ArrayNode acked = rec.putArray("acknowledged");
                r.receipt().acknowledged().forEach(id -> acked.add(id.value()));
                ObjectNode fb = rec.putObject("fallbacks");
                r.receipt().fallbacks().forEach((standIn, owner) -> fb.put(standIn.value(), owner.value()));
                rec.put("durable", r.receipt().durable());
            }
            response = json(HttpResponseStatus.OK, body);
        }
        response.headers().set(CONTEXT_HEADER, encodeContext(r.context()));
        return response;
    }

    // ------------------------------------------------------------------ admin

    private CompletableFuture<FullHttpResponse> admin(HttpMethod method, List<String> path, Map<String, String> params,
            FullHttpRequest request) {
        String what = path.get(0);
        boolean get = method.equals(HttpMethod.GET);
        boolean post = method.equals(HttpMethod.POST);
        if (path.size() == 1 && what.equals("faults")) {
            return faults(method, params);
        }
        if (path.size() == 1 && get) {
            return switch (what) {
                case "status" -> server.call(this::status).thenApply(b -> json(HttpResponseStatus.OK, b));
                case "ring" -> onNode(this::ring);
                case "members" -> onNode(this::members);
                case "transfers" -> onNode(this::transfers);
                case "anti-entropy" -> onNode(this::antiEntropy);
                case "node" -> {
                    long since = longParam(params, "since");
                    DynamoNode node = node();
                    yield server.call(() -> NodeStatus.of(server, node, since)).thenApplyAsync(HttpApi::compactJson, io);
                }
                case "cluster" -> cluster(longParam(params, "since"));
                case "preflist" -> preflist(params, request.uri());
                case "buckets" -> done(json(HttpResponseStatus.OK, buckets(node())));
                default -> throw notFound(method, path);
            };
        }
        if (path.size() == 1 && post) {
            Map<String, String> args = new LinkedHashMap<>(params);
            args.putAll(jsonArgs(request));
            return switch (what) {
                case "join" -> join(args);
                case "leave" -> leave(args);
                case "replace" -> replace(args);
                case "invite" -> invite(args);
                default -> throw notFound(method, path);
            };
        }
        if (path.size() == 2 && what.equals("buckets")) {
            String bucket = path.get(1);
            try {
                NamespaceProperties.checkName(bucket);
            } catch (IllegalArgumentException e) {
                throw badRequest(e.getMessage());
            }
            DynamoNode node = node();
            if (get) {
                return done(json(HttpResponseStatus.OK, bucketBody(node.namespaces().view(), bucket)));
            }
            if (method.equals(HttpMethod.PUT) || post) {
                Map<String, String> changes = bucketChanges(request);
                if (changes.isEmpty()) {
                    throw badRequest("the body names no property to change; send e.g. {\"props\": {\"r\": 1}}");
                }
                return node.setNamespace(bucket, changes)
                        .thenApply(p -> json(HttpResponseStatus.OK, bucketBody(node.namespaces().view(), bucket)));
            }
            if (method.equals(HttpMethod.DELETE)) {
                return node.resetNamespace(bucket)
                        .thenApply(p -> json(HttpResponseStatus.OK, bucketBody(node.namespaces().view(), bucket)));
            }
        }
        throw notFound(method, path);
    }

    /**
     * Test-only fault injection ({@code fault_injection: true}): {@code POST /admin/faults?isolate=n2,n3}
     * drops every peer message to and from those nodes; {@code DELETE /admin/faults} heals.
     */
    private CompletableFuture<FullHttpResponse> faults(HttpMethod method, Map<String, String> params) {
        if (!server.config().faultInjection()) {
            throw new HttpError(HttpResponseStatus.FORBIDDEN, "forbidden",
                    "fault injection is off on this node (the fault_injection setting, for tests only)");
        }
        java.util.Set<NodeId> isolate = new java.util.TreeSet<>();
        if (method.equals(HttpMethod.POST)) {
            for (String id : params.getOrDefault("isolate", "").split(",")) {
                if (!id.isBlank()) {
                    try {
                        isolate.add(NodeId.of(id.trim()));
                    } catch (IllegalArgumentException e) {
                        throw badRequest("isolate: " + e.getMessage());
                    }
                }
            }
        } else if (!method.equals(HttpMethod.DELETE)) {
            throw new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "POST or DELETE");
        }
        server.transport().isolateFrom(isolate);
        ArrayNode list = JSON.createObjectNode().putArray("isolated_from");
        isolate.forEach(id -> list.add(id.value()));
        ObjectNode body = JSON.createObjectNode();
        body.set("isolated_from", list);
        return done(json(HttpResponseStatus.OK, body));
    }

    private static HttpError notFound(HttpMethod method, List<String> path) {
        return new HttpError(HttpResponseStatus.NOT_FOUND, "not_found", "no such admin resource: " + method + " /admin/"
                + String.join("/", path) + " (see docs/api.md)");
    }

    /** The fields of a JSON object body, as text; an empty body is no fields. */
    /** The default properties, and every bucket with properties of its own. */
    private ObjectNode buckets(DynamoNode node) {
        Namespaces.View view = node.namespaces().view();
        ObjectNode body = JSON.createObjectNode();
        view.defaults().toMap().forEach(body.putObject("defaults")::put);
        ObjectNode buckets = body.putObject("buckets");
        view.defined().keySet().forEach(b -> buckets.set(b, bucketBody(view, b)));
        return body;
    }

    /** A bucket's properties as this node applies them, and where they come from. */
    private ObjectNode bucketBody(Namespaces.View view, String bucket) {
        ObjectNode body = JSON.createObjectNode().put("bucket", bucket);
        view.properties(bucket).toMap().forEach(body.putObject("props")::put);
        var setting = view.setting(bucket);
        String source = setting.isPresent() && !setting.get().isReset() && !view.problems().containsKey(bucket)
                ? "cluster" : server.config().namespaces().containsKey(bucket) ? "config" : "defaults";
        body.put("source", source);
        setting.ifPresent(s -> body.putObject("setting").put("version", s.version()).put("by", s.by().value())
                .put("reset", s.isReset()));
        String problem = view.problems().get(bucket);
        if (problem != null) {
            body.put("problem", problem);
        }
        return body;
    }

    /**
     * The property changes in a bucket PUT: a JSON object of name to value, either flat or, as
     * Riak has it, under {@code "props"}; Riak's {@code n_val} is taken for {@code n}.
     */
    private static Map<String, String> bucketChanges(FullHttpRequest request) {
        Map<String, String> changes = new LinkedHashMap<>();
        JsonNode tree = jsonObject(request);
        if (tree == null) {
            return changes;
        }
        JsonNode props = tree.has("props") ? tree.get("props") : tree;
        if (!props.isObject() || tree.has("props") && tree.size() > 1) {
            throw badRequest("the body must be a JSON object of properties, or one under \"props\"");
        }
        props.fields().forEachRemaining(f -> {
            if (f.getValue().isContainerNode() || f.getValue().isNull()) {
                throw badRequest("property '" + f.getKey() + "' must be a string or a number");
            }
            String name = f.getKey().equals("n_val") ? "n" : f.getKey();
            if (changes.put(name, f.getValue().asText()) != null) {
                throw badRequest("property '" + name + "' is given twice");
            }
        });
        return changes;
    }

    /** The body as a JSON object; null for an empty body. */
    private static JsonNode jsonObject(FullHttpRequest request) {
        if (request.content().readableBytes() == 0) {
            return null;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "malformed_json", "the body is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "malformed_json", "the body must be a JSON object");
        }
        return tree;
    }

    private static Map<String, String> jsonArgs(FullHttpRequest request) {
        JsonNode tree = jsonObject(request);
        if (tree == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        tree.fields().forEachRemaining(f -> {
            if (f.getValue().isContainerNode()) {
                throw badRequest("field '" + f.getKey() + "' must be a string or a number");
            }
            out.put(f.getKey(), f.getValue().asText());
        });
        return out;
    }

    private CompletableFuture<FullHttpResponse> onNode(java.util.function.Function<DynamoNode, ObjectNode> view) {
        DynamoNode node = node();
        return server.call(() -> view.apply(node)).thenApply(b -> json(HttpResponseStatus.OK, b));
    }

    private ObjectNode status() {
        ObjectNode s = JSON.createObjectNode();
        s.put("node", server.config().nodeId().value());
        DynamoNode node = server.node().orElse(null);
        s.put("state", server.closing() ? "stopping" : node == null ? "waiting_to_join" : "up");
        s.put("cluster", server.clusterName());
        s.put("uptime_ms", System.currentTimeMillis() - server.startedMillis());
        s.put("version", NodeStatus.version());
        s.put("io", NettyIo.flavour());
        ObjectNode ep = s.putObject("endpoints");
        ep.put("peer", Endpoints.hostPort(server.endpoints().peer()));
        ep.put("client", Endpoints.hostPort(server.endpoints().client()));
        ep.put("http", Endpoints.hostPort(server.endpoints().http()));
        if (node != null) {
            node.clusterState().ifPresent(state -> {
                s.put("ring_epoch", state.ring().epoch());
                s.put("partitions", state.ring().partitionCount());
                s.put("members", state.members().size());
                s.put("ring_settled", state.next().isEmpty());
                s.put("status", state.member(node.id()).map(e -> e.status().toString().toLowerCase(java.util.Locale.ROOT))
                        .orElse("unknown"));
            });
            ArrayNode unreachable = s.putArray("unreachable");
            new TreeMap<>(toMap(node.unreachablePeers())).keySet().forEach(unreachable::add);
            NodeMetrics.Snapshot m = NodeMetrics.of(node);
            s.put("in_flight", m.inFlight());
            s.put("pending_hints", m.pendingHints());
            s.put("transfers_pending", m.transfersPending());
            s.put("anti_entropy_exchanges", m.aeExchanges());
        }
        var t = server.transport().stats();
        ObjectNode tr = s.putObject("transport");
        tr.put("sent", t.sent()).put("received", t.received()).put("overload_drops", t.overloadDrops())
                .put("unreachable_drops", t.unreachableDrops()).put("inbound_drops", t.inboundDrops())
                .put("bad_connections", t.closedForBadInput()).put("open_outbound", t.openOutbound())
                .put("open_inbound", t.openInbound());
        return s;
    }

    private static Map<String, Boolean> toMap(Set<NodeId> ids) {
        Map<String, Boolean> m = new TreeMap<>();
        ids.forEach(id -> m.put(id.value(), true));
        return m;
    }

    private ObjectNode ring(DynamoNode node) {
        ObjectNode body = JSON.createObjectNode();
        ClusterState state = node.clusterState().orElseThrow();
        Ring ring = state.ring();
        int n = node.config().defaults().n();
        body.put("epoch", ring.epoch()).put("partitions", ring.partitionCount()).put("n", n);
        ObjectNode share = body.putObject("partitions_owned");
        new TreeMap<>(ring.ownedPartitionCounts()).forEach((id, c) -> share.put(id.value(), c));
        ArrayNode owners = body.putArray("owners");
        for (int p = 0; p < ring.partitionCount(); p++) {
            ArrayNode nodes = owners.addObject().put("partition", p).putArray("nodes");
            ClusterState.owners(ring, p, n).forEach(id -> nodes.add(id.value()));
        }
        state.next().ifPresent(next -> {
            ObjectNode nx = body.putObject("next");
            nx.put("epoch", next.epoch());
            ObjectNode s = nx.putObject("partitions_owned");
            new TreeMap<>(next.ownedPartitionCounts()).forEach((id, c) -> s.put(id.value(), c));
            ArrayNode nextOwners = nx.putArray("owners");
            for (int p = 0; p < next.partitionCount(); p++) {
                ArrayNode nodes = nextOwners.addObject().put("partition", p).putArray("nodes");
                ClusterState.owners(next, p, n).forEach(id -> nodes.add(id.value()));
            }
        });
        return body;
    }

    private ObjectNode members(DynamoNode node) {
        ObjectNode body = JSON.createObjectNode();
        ClusterState state = node.clusterState().orElseThrow();
        Set<NodeId> unreachable = node.unreachablePeers();
        Map<NodeId, Integer> owned = state.ring().ownedPartitionCounts();
        ArrayNode list = body.putArray("members");
        for (MemberEntry e : state.members().values()) {
            ObjectNode m = ClusterView.member(list.addObject(), e);
            m.put("reachable", e.id().equals(node.id()) || !unreachable.contains(e.id()));
            m.put("partitions", owned.getOrDefault(e.id(), 0));
            m.put("generation", e.generation());
        }
        return body;
    }

    private ObjectNode transfers(DynamoNode node) {
        ObjectNode body = JSON.createObjectNode();
        ClusterState state = node.clusterState().orElseThrow();
        body.put("ring_settled", state.next().isEmpty());
        ArrayNode planned = body.putArray("planned");
        var ns = node.namespaces().view().replicationFactors();
        for (Transfer t : state.transfers(ns)) {
            planned.addObject().put("partition", t.partition()).put("to", t.node().value())
                    .put("done", state.received().contains(t));
        }
        node.transfers().ifPresent(tr -> NodeStatus.transfers(body.putObject("this_node"), tr.progress()));
        return body;
    }

    private ObjectNode antiEntropy(DynamoNode node) {
        ObjectNode body = JSON.createObjectNode();
        var ae = node.antiEntropy();
        body.put("exchanges", ae.exchanges()).put("failed", ae.exchangesFailed()).put("keys_repaired",
                ae.keysRepaired()).put("keys_sent", ae.keysSent()).put("tombstones_purged", node.reaper().purged());
        ClusterState state = node.clusterState().orElseThrow();
        Ring ring = state.ring();
        int n = node.namespaces().view().largestN();
        long now = System.currentTimeMillis();
        ArrayNode parts = body.putArray("partitions");
        for (int p = 0; p < ring.partitionCount(); p++) {
            List<NodeId> owners = ClusterState.owners(ring, p, n);
            if (!owners.contains(node.id())) {
                continue;
            }
            ObjectNode entry = parts.addObject().put("partition", p);
            ObjectNode peers = entry.putObject("last_sync_ms_ago");
            for (NodeId peer : owners) {
                if (!peer.equals(node.id())) {
                    var last = ae.lastSync(p, peer);
                    if (last.isPresent()) {
                        peers.put(peer.value(), Math.max(0, now - last.get()));
                    } else {
                        peers.putNull(peer.value());
                    }
                }
            }
        }
        return body;
    }

    /**
     * Refuses a state-changing request a web page of another origin made the browser send (a
     * cross-site request forgery): its {@code Origin} must be the address it was sent to, and that
     * address an IP literal, {@code localhost} or this node's own HTTP host name. The last rule
     * defeats DNS rebinding (an attacker's name that resolves to the node has a matching Host
     * header). Clients other than browsers send no {@code Origin} and are not affected.
     */
    private void checkSameOrigin(FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        String originHost = origin.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        if (host == null || !originHost.equalsIgnoreCase(host) || !ownName(hostName(host))) {
            throw new HttpError(HttpResponseStatus.FORBIDDEN, "cross_origin", "a " + request.method()
                    + " from a page of " + origin + " is refused: only pages this node serves, at an IP address, "
                    + "localhost or its own host name, may change things");
        }
    }

    /** The host part of a Host header ({@code name}, {@code name:port}, {@code [v6]:port}). */
    private static String hostName(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(1, close);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private boolean ownName(String name) {
        return name.equalsIgnoreCase("localhost") || name.matches("[0-9.]+") || name.contains(":")
                || name.equalsIgnoreCase(server.endpoints().http().getHostString());
    }

    /** The raw (still percent-encoded) value of query parameter {@code name} in {@code uri}; "" if absent. */
    private static String rawParam(String uri, String name) {
        int q = uri.indexOf('?');
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("&")) {
                if (pair.startsWith(name + "=")) {
                    return pair.substring(name.length() + 1);
                }
            }
        }
        return "";
    }

    private static long longParam(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw badRequest("'" + name + "' must be a whole number, was '" + v + "'");
        }
    }

    /** Every member's own view, gathered from this node over the peer protocol. */
    private CompletableFuture<FullHttpResponse> cluster(long since) {
        DynamoNode node = node();
        java.time.Duration timeout = server.config().replicaTimeout();
        // The gather completes on the node's thread, where the body must be built; this node's own
        // view is taken then too, so that it agrees with what the gather taught its failure detector.
        return server.call(() -> node.gatherStatus(ClusterView.toAsk(node), since, timeout)
                .thenApply(answers -> ClusterView.cluster(server, node, NodeStatus.of(server, node, since), answers)))
                .thenCompose(f -> f).thenApplyAsync(HttpApi::compactJson, io); // serialized off the node thread
    }

    /** Where a key lives: {@code GET /admin/preflist?bucket=B&key=K}. */
    private CompletableFuture<FullHttpResponse> preflist(Map<String, String> params, String uri) {
        for (String p : params.keySet()) {
            if (!p.equals("bucket") && !p.equals("key")) {
                throw badRequest("unknown parameter '" + p + "'; preflist takes bucket and key");
            }
        }
        String bucket = params.getOrDefault("bucket", "default");
        String key = params.get("key");
        if (key == null || key.isEmpty()) {
            throw badRequest("preflist needs key=KEY (and bucket=BUCKET, default 'default')");
        }
        DynamoNode node = node();
        checkBucket(node, bucket);
        byte[] bytes = keyBytes(rawParam(uri, "key").replace("+", "%20")); // exact bytes, as on key paths
        return server.call(() -> ClusterView.preflist(node, bucket, key, node.coordinator().placement(bucket, bytes)))
                .thenApply(b -> json(HttpResponseStatus.OK, b));
    }

    /**
     * Joins a waiting node to this cluster: {@code POST /admin/invite} with {@code {"http":
     * "HOST:PORT"}}, the newcomer's HTTP address. This node asks it to join with itself as the
     * seed (the newcomer's {@code POST /admin/join}) and relays its answer, so an operator joins
     * a node from the dashboard of any member.
     */
    private CompletableFuture<FullHttpResponse> invite(Map<String, String> args) {
        DynamoNode node = node();
        String target = args.get("http");
        if (target == null || target.isBlank()) {
            throw badRequest("invite needs http=HOST:PORT, the HTTP address of the node to join to this cluster");
        }
        InetSocketAddress address = hostPort(target.trim());
        if (address == null || !address.getHostString().matches("[A-Za-z0-9.-]+|[0-9A-Fa-f:.]+")) {
            throw badRequest("http must be HOST:PORT, the HTTP address of the node to join, was '" + target + "'");
        }
        String self = Endpoints.hostPort(server.endpoints().http());
        if (Endpoints.hostPort(address).equals(self)) {
            throw badRequest(target + " is this node; give the address of the node that is to join");
        }
        String seed = node.id().value() + "@" + Endpoints.hostPort(server.endpoints().peer());
        java.net.URI uri;
        try {
            uri = new java.net.URI("http", null, address.getHostString(), address.getPort(), "/admin/join",
                    "seed=" + seed, null);
        } catch (java.net.URISyntaxException e) {
            throw badRequest("http: " + e.getMessage());
        }
        java.net.http.HttpRequest ask = java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        return inviter().sendAsync(ask, java.net.http.HttpResponse.BodyHandlers.ofByteArray()).handle((r, e) -> {
            if (e != null) {
                throw new HttpError(HttpResponseStatus.BAD_GATEWAY, "unreachable", "could not ask " + target
                        + " to join: " + unwrap(e) + " (is a node waiting there, and is that its HTTP address?)");
            }
            JsonNode answer;
            try {
                answer = JSON.readTree(r.body());
            } catch (java.io.IOException bad) {
                answer = null;
            }
            if (answer == null || !answer.isObject()) {
                throw new HttpError(HttpResponseStatus.BAD_GATEWAY, "not_a_node", target + " answered HTTP "
                        + r.statusCode() + " without a JSON body: is it a dynamo node's HTTP address?");
            }
            if (r.statusCode() != 200) {
                return json(HttpResponseStatus.valueOf(r.statusCode()), ((ObjectNode) answer).put("invited", target));
            }
            return json(HttpResponseStatus.OK, JSON.createObjectNode().put("invited", target).put("seed", seed)
                    .set("answer", answer));
        });
    }

    private java.net.http.HttpClient inviter() {
        java.net.http.HttpClient c = inviter;
        if (c == null) {
            synchronized (this) {
                c = inviter;
                if (c == null) {
                    c = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(3)).build();
                    inviter = c;
                }
            }
        }
        return c;
    }

    private static FullHttpResponse redirect(String location) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        return r;
    }

    private CompletableFuture<FullHttpResponse> join(Map<String, String> args) {
        String seed = args.get("seed");
        if (seed == null || seed.isBlank()) {
            throw badRequest("join needs seed=NODE@HOST:PORT, a node of the cluster to join and its peer address");
        }
        int at = seed.indexOf('@');
        InetSocketAddress address = at > 0 ? hostPort(seed.substring(at + 1)) : null;
        if (address == null) {
            throw badRequest("seed must be NODE@HOST:PORT (the peer address), was '" + seed + "'");
        }
        NodeId id;
        try {
            id = NodeId.of(seed.substring(0, at));
        } catch (IllegalArgumentException e) {
            throw badRequest("bad seed node id: " + e.getMessage());
        }
        try {
            server.join(id, address);
        } catch (IllegalStateException e) {
            throw new HttpError(HttpResponseStatus.CONFLICT, "already_joined", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        return done(json(HttpResponseStatus.OK, JSON.createObjectNode().put("joining", seed)));
    }

    private static InetSocketAddress hostPort(String text) {
        return HostPort.parse(text);
    }

    private CompletableFuture<FullHttpResponse> leave(Map<String, String> args) {
        DynamoNode node = node();
        NodeId who = nodeArg(args, "node", node.id());
        return node.leave(who).thenApply(v -> json(HttpResponseStatus.OK,
                JSON.createObjectNode().put("leaving", who.value())));
    }

    private CompletableFuture<FullHttpResponse> replace(Map<String, String> args) {
        DynamoNode node = node();
        NodeId replaced = nodeArg(args, "node", null);
        NodeId by = nodeArg(args, "by", null);
        return node.replace(replaced, by).thenApply(v -> json(HttpResponseStatus.OK,
                JSON.createObjectNode().put("replaced", replaced.value()).put("by", by.value())));
    }

    private static NodeId nodeArg(Map<String, String> args, String name, NodeId fallback) {
        String v = args.get(name);
        if (v == null || v.isBlank()) {
            if (fallback == null) {
                throw badRequest("'" + name + "' (a node id) is required");
            }
            return fallback;
        }
        try {
            return NodeId.of(v.trim());
        } catch (IllegalArgumentException e) {
            throw badRequest("'" + name + "': " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ responses

    private static CompletableFuture<FullHttpResponse> done(FullHttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static HttpError toHttpError(Throwable t) {
        Throwable e = unwrap(t);
        return switch (e) {
            case HttpError h -> h;
            case InsufficientReplicasException i -> {
                HttpError h = new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "insufficient_replicas",
                        i.getMessage());
                h.body.put("operation", i.operation()).put("required", i.required()).put("achieved", i.achieved())
                        .put("required_durable", i.requiredDurable()).put("achieved_durable", i.achievedDurable());
                ObjectNode f = h.body.putObject("failures");
                i.failures().forEach((id, why) -> f.put(id.value(), why));
                yield h;
            }
            case OverloadedException o -> {
                HttpError h = new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded", o.getMessage());
                h.body.put("limit", o.limit());
                yield h;
            }
            case InvalidRequestException i -> badRequest(i.getMessage());
            case DynamoException d -> new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, d.kind(), d.getMessage());
            case InvalidContextException c -> new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_context",
                    c.getMessage());
            case TimeoutException te -> new HttpError(HttpResponseStatus.GATEWAY_TIMEOUT, "timeout",
                    "the node did not answer in time");
            case IllegalArgumentException ia -> badRequest(ia.getMessage());
            default -> {
                LOG.error("HTTP request failed", e);
                yield new HttpError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", e.toString());
            }
        };
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static FullHttpResponse error(HttpError e) {
        FullHttpResponse r = json(e.status, e.body);
        if (e.status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        return r;
    }

    private static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }

    /** A 200 with {@code body} unindented: for the dashboard's large, frequent answers. */
    private static FullHttpResponse compactJson(JsonNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return r;
    }
}

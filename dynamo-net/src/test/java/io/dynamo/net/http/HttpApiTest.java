package io.dynamo.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.Endpoints;
import io.dynamo.net.server.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API of one real single-node server (RocksDB, Netty, the node thread), driven with
 * {@link HttpClient}: keys, siblings and contexts, every kind of bad input, the admin endpoints
 * and metrics.
 */
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTEXT = HttpApi.CONTEXT_HEADER;

    @TempDir
    static Path tmp;

    private static DynamoServer server;
    private static HttpClient client;
    private static String base;

    /** A single-node cluster: N=R=W=1, DW=0, small limits, one namespace of its own. */
    static Map<String, String> settings(Path dataDir) {
        Map<String, String> s = new HashMap<>();
        s.put("node_id", "n1");
        s.put("data_dir", dataDir.toString());
        s.put("peer_address", "127.0.0.1:0");
        s.put("client_address", "127.0.0.1:0");
        s.put("http_address", "127.0.0.1:0");
        s.put("initial_members", "n1");
        s.put("partitions", "8");
        s.put("defaults.n", "1");
        s.put("defaults.r", "1");
        s.put("defaults.w", "1");
        s.put("defaults.dw", "0");
        s.put("defaults.max_key_bytes", "64");
        s.put("defaults.max_value_bytes", "1024");
        s.put("shutdown_grace_ms", "1000");
        s.put("io_threads", "1");
        s.put("storage.block_cache_mb", "8");
        s.put("storage.write_buffer_mb", "1");
        return s;
    }

    @BeforeAll
    static void start() {
        Map<String, String> s = settings(tmp.resolve("main"));
        s.put("namespaces.big.max_value_bytes", "4096");
        server = DynamoServer.start(ServerConfig.of(s));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        base = "http://" + Endpoints.hostPort(server.endpoints().http());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    static HttpResponse<byte[]> send(String base, String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        return send(base, method, path, body, headers);
    }

    static HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    static HttpResponse<byte[]> put(String path, String body, String... headers) {
        return send("PUT", path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text(r), e);
        }
    }

    static Optional<String> context(HttpResponse<byte[]> r) {
        return r.headers().firstValue(CONTEXT);
    }

    /** Asserts an error response: its status, a JSON body with {@code error} (and a message); returns the body. */
    static JsonNode error(HttpResponse<byte[]> r, int status, String kind) {
        assertThat(r.statusCode()).as("status of %s", text(r)).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.path("error").asText()).as(text(r)).isEqualTo(kind);
        assertThat(body.path("message").asText()).isNotBlank();
        return body;
    }

    /** Asserts that {@code path} holds exactly {@code value}. */
    static void holds(String path, String value) {
        HttpResponse<byte[]> r = get(path);
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(text(r)).isEqualTo(value);
    }

    static void stores(String path, String value) {
        HttpResponse<byte[]> r = put(path, value, "Content-Type", "text/plain");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(204);
    }

    // ------------------------------------------------------------------ keys

    @Test
    void putThenGetKeepsTheValueAndContentType() {
        HttpResponse<byte[]> p = put("/buckets/b/keys/plain", "{\"a\":1}", "Content-Type", "application/vnd.test+json");
        assertThat(p.statusCode()).isEqualTo(204);
        assertThat(context(p)).isPresent();

        HttpResponse<byte[]> g = get("/buckets/b/keys/plain");
        assertThat(g.statusCode()).isEqualTo(200);
        assertThat(text(g)).isEqualTo("{\"a\":1}");
        assertThat(g.headers().firstValue("Content-Type")).hasValue("application/vnd.test+json");
        assertThat(context(g)).isPresent();
        assertThat(ContextCodec.decode(Base64.getUrlDecoder().decode(context(g).get())).isEmpty()).isFalse();
        assertThat(g.headers().firstValue("X-Dynamo-Timestamp")).isPresent();
    }

    @Test
    void aPutWithoutContentTypeIsStoredAsOctetStream() {
        HttpResponse<byte[]> p = send("PUT", "/buckets/b/keys/untyped", new byte[] {0, 1, 2, (byte) 255});
        assertThat(p.statusCode()).isEqualTo(204);
        HttpResponse<byte[]> g = get("/buckets/b/keys/untyped");
        assertThat(g.body()).containsExactly(0, 1, 2, 255);
        assertThat(g.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void postToAKeyIsAPut() {
        HttpResponse<byte[]> p = send("POST", "/buckets/b/keys/posted", "v".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "text/plain");
        assertThat(p.statusCode()).isEqualTo(204);
        holds("/buckets/b/keys/posted", "v");
    }

    @Test
    void returnBodyAnswersTheSiblingsAsJson() {
        HttpResponse<byte[]> p = put("/buckets/b/keys/rb?returnbody=true", "hello", "Content-Type", "text/plain");
        assertThat(p.statusCode()).isEqualTo(200);
        JsonNode body = json(p);
        assertThat(body.path("siblings")).hasSize(1);
        JsonNode s = body.path("siblings").get(0);
        assertThat(Base64.getDecoder().decode(s.path("value").asText())).isEqualTo("hello".getBytes());
        assertThat(s.path("content_type").asText()).isEqualTo("text/plain");
        assertThat(s.path("timestamp_ms").asLong()).isPositive();
        assertThat(body.path("context").asText()).isEqualTo(context(p).orElseThrow());
        assertThat(body.has("receipt")).isFalse();
    }

    @Test
    void receiptNamesTheNodesThatAcknowledged() {
        HttpResponse<byte[]> p = put("/buckets/b/keys/rc?receipt=true", "x", "Content-Type", "text/plain");
        assertThat(p.statusCode()).isEqualTo(200);
        JsonNode body = json(p);
        assertThat(body.path("context").asText()).isEqualTo(context(p).orElseThrow());
        JsonNode receipt = body.path("receipt");
        assertThat(receipt.path("acknowledged")).hasSize(1);
        assertThat(receipt.path("acknowledged").get(0).asText()).isEqualTo("n1");
        assertThat(receipt.path("fallbacks").isObject()).isTrue();
        assertThat(receipt.path("fallbacks")).isEmpty();
        assertThat(receipt.has("durable")).isTrue();
        assertThat(body.has("siblings")).isFalse();

        HttpResponse<byte[]> both = put("/buckets/b/keys/rc?receipt=1&returnbody=1", "y", "Content-Type",
                "text/plain", CONTEXT, context(p).get());
        assertThat(both.statusCode()).isEqualTo(200);
        assertThat(json(both).path("siblings")).hasSize(1);
        assertThat(json(both).path("receipt").path("acknowledged")).hasSize(1);
    }

    @Test
    void blindPutsMakeSiblingsThatAPutWithTheirContextResolves() {
        String path = "/buckets/b/keys/siblings";
        assertThat(put(path, "one", "Content-Type", "text/plain").statusCode()).isEqualTo(204);
        assertThat(put(path, "two", "Content-Type", "application/x-two").statusCode()).isEqualTo(204);

        HttpResponse<byte[]> g = get(path);
        assertThat(g.statusCode()).as(text(g)).isEqualTo(300);
        JsonNode body = json(g);
        List<String> values = new ArrayList<>();
        List<String> types = new ArrayList<>();
        body.path("siblings").forEach(s -> {
            values.add(new String(Base64.getDecoder().decode(s.path("value").asText()), StandardCharsets.UTF_8));
            types.add(s.path("content_type").asText());
        });
        assertThat(values).containsExactlyInAnyOrder("one", "two");
        assertThat(types).containsExactlyInAnyOrder("text/plain", "application/x-two");
        String context = body.path("context").asText();
        assertThat(context).isNotEmpty().isEqualTo(context(g).orElseThrow());

        HttpResponse<byte[]> resolve = put(path, "one+two", "Content-Type", "text/plain", CONTEXT, context);
        assertThat(resolve.statusCode()).isEqualTo(204);
        holds(path, "one+two");
    }

    @Test
    void deleteWithContextThenGetIsNotFoundWithTheTombstoneContext() {
        String path = "/buckets/b/keys/deleted";
        stores(path, "soon gone");
        String ctx = context(get(path)).orElseThrow();

        HttpResponse<byte[]> d = send("DELETE", path, null, CONTEXT, ctx);
        assertThat(d.statusCode()).as(text(d)).isEqualTo(204);
        assertThat(d.body()).isEmpty();

        HttpResponse<byte[]> g = get(path);
        error(g, 404, "not_found");
        // the tombstone's context: a put with it supersedes the delete instead of becoming a sibling
        String tombstone = context(g).orElseThrow();
        VersionVector after = ContextCodec.decode(Base64.getUrlDecoder().decode(tombstone));
        VersionVector before = ContextCodec.decode(Base64.getUrlDecoder().decode(ctx));
        assertThat(after).isNotEqualTo(before);

        stores(path + "?w=1", "back"); // blind put after the delete: no sibling with the tombstone shown
        holds(path, "back");
    }

    @Test
    void deleteWithReceiptAnswersJson() {
        String path = "/buckets/b/keys/deleted-receipt";
        stores(path, "x");
        HttpResponse<byte[]> d = send("DELETE", path + "?receipt=true", null, CONTEXT, context(get(path)).get());
        assertThat(d.statusCode()).isEqualTo(200);
        assertThat(json(d).path("receipt").path("acknowledged").get(0).asText()).isEqualTo("n1");
        error(get(path), 404, "not_found");
    }

    @Test
    void aKeyNeverWrittenIsNotFoundWithoutContext() {
        HttpResponse<byte[]> g = get("/buckets/b/keys/never-written");
        error(g, 404, "not_found");
        assertThat(context(g)).isEmpty();
    }

    @Test
    void keysAndBucketsArePercentDecoded() {
        stores("/buckets/b/keys/a%2Fb%20c", "slash");
        holds("/buckets/b/keys/a%2Fb%20c", "slash");
        error(get("/buckets/b/keys/a%2Fb"), 404, "not_found");
        // A key is any bytes: escapes that are not UTF-8 are kept exactly, not replaced by U+FFFD.
        stores("/buckets/b/keys/%FF%00%C3", "binary");
        holds("/buckets/b/keys/%FF%00%C3", "binary");
        error(get("/buckets/b/keys/%EF%BF%BD%00%EF%BF%BD"), 404, "not_found");
        stores("/buckets/b/keys/caf%C3%A9", "utf8");
        holds("/buckets/b/keys/caf%c3%a9", "utf8"); // lower-case hex: the same bytes
    }

    @Test
    void aBucketWithLargerLimitsTakesLargerValues() {
        byte[] value = new byte[3000];
        Arrays.fill(value, (byte) 'v');
        HttpResponse<byte[]> p = send("PUT", "/buckets/big/keys/k", value, "Content-Type", "text/plain");
        assertThat(p.statusCode()).as(text(p)).isEqualTo(204);
        assertThat(get("/buckets/big/keys/k").body()).isEqualTo(value);
        // but not in the other namespaces
        error(send("PUT", "/buckets/b/keys/k", value), 413, "value_too_large");
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void aContextThatIsNotBase64IsRejectedAndChangesNothing() {
        String path = "/buckets/b/keys/ctx-not-base64";
        stores(path, "original");
        JsonNode e = error(put(path, "changed", CONTEXT, "!!not*base64$$"), 400, "invalid_context");
        assertThat(e.path("message").asText()).contains(CONTEXT);
        error(send("DELETE", path, null, CONTEXT, "%%%"), 400, "invalid_context");
        holds(path, "original");
    }

    @Test
    void base64ThatIsNotAContextIsRejectedAndChangesNothing() {
        String path = "/buckets/b/keys/ctx-not-context";
        stores(path, "original");
        String real = context(get(path)).orElseThrow();
        byte[] realBytes = Base64.getUrlDecoder().decode(real);
        List<byte[]> bad = List.of(
                "hello".getBytes(StandardCharsets.UTF_8),                // wrong version byte
                new byte[] {1},                                          // version, then nothing
                Arrays.copyOf(realBytes, realBytes.length - 1),          // truncated
                Arrays.copyOf(realBytes, realBytes.length + 3),          // trailing bytes
                new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // absurd count
        for (byte[] b : bad) {
            String header = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            error(put(path, "changed", CONTEXT, header), 400, "invalid_context");
            error(send("DELETE", path, null, CONTEXT, header), 400, "invalid_context");
        }
        holds(path, "original");
    }

    @Test
    void anOversizedKeyIsRejected() {
        String longKey = "k".repeat(65);
        JsonNode e = error(put("/buckets/b/keys/" + longKey, "v"), 400, "invalid_request");
        assertThat(e.path("message").asText()).contains("65").contains("max_key_bytes");
        error(get("/buckets/b/keys/" + longKey), 400, "invalid_request");
        // multi-byte characters count in bytes: 22 x 3 bytes = 66
        error(put("/buckets/b/keys/" + "%E2%82%AC".repeat(22), "v"), 400, "invalid_request");
        stores("/buckets/b/keys/" + "k".repeat(64), "at the limit");
        holds("/buckets/b/keys/" + "k".repeat(64), "at the limit");
    }

    @Test
    void anOversizedValueIsRejectedAndChangesNothing() {
        String path = "/buckets/b/keys/big-value";
        stores(path, "original");
        JsonNode e = error(put(path, "x".repeat(1025)), 413, "value_too_large");
        assertThat(e.path("message").asText()).contains("1025").contains("max_value_bytes");
        holds(path, "original");
        HttpResponse<byte[]> atLimit = put(path, "y".repeat(1024), CONTEXT, context(get(path)).orElseThrow());
        assertThat(atLimit.statusCode()).isEqualTo(204);
        holds(path, "y".repeat(1024));
    }

    @Test
    void aBodyPastWhatTheServerAggregatesIsRefused() {
        // over max_value_bytes + 64 KiB: refused by the HTTP layer itself, in the API's words (HttpRefusalsTest)
        JsonNode e = error(send("PUT", "/buckets/b/keys/huge", new byte[200 * 1024]), 413, "value_too_large");
        assertThat(e.path("message").asText()).contains("204800").contains("max_value_bytes");
        error(get("/buckets/b/keys/huge"), 404, "not_found");
    }

    @Test
    void aBadBucketNameIsRejected() {
        JsonNode e = error(put("/buckets/bad%20name!/keys/k", "v"), 400, "invalid_request");
        assertThat(e.path("message").asText()).contains("bucket name").contains("bad name!");
        error(get("/buckets/bad%20name!/keys/k"), 400, "invalid_request");
        error(get("/buckets/" + "b".repeat(256) + "/keys/k"), 400, "invalid_request");
        error(get("/admin/buckets/bad%20name!"), 400, "invalid_request");
    }

    @Test
    void badParametersAreRejectedAndChangeNothing() {
        String path = "/buckets/b/keys/params";
        stores(path, "original");
        error(get(path + "?r=abc"), 400, "invalid_request");
        error(get(path + "?r=2"), 400, "invalid_request"); // r > n
        error(get(path + "?r=0"), 400, "invalid_request");
        error(get(path + "?w=1"), 400, "invalid_request"); // w means nothing to a get
        JsonNode w = error(put(path + "?w=5", "changed"), 400, "invalid_request");
        assertThat(w.path("message").asText()).contains("w").contains("5");
        error(put(path + "?dw=2", "changed"), 400, "invalid_request"); // dw > w
        JsonNode foo = error(put(path + "?foo=1", "changed"), 400, "invalid_request");
        assertThat(foo.path("message").asText()).contains("foo");
        error(put(path + "?timeout_ms=0", "changed"), 400, "invalid_request");
        error(put(path + "?timeout_ms=-5", "changed"), 400, "invalid_request");
        error(put(path + "?timeout_ms=999999999", "changed"), 400, "invalid_request");
        JsonNode rb = error(put(path + "?returnbody=maybe", "changed"), 400, "invalid_request");
        assertThat(rb.path("message").asText()).contains("returnbody").contains("maybe");
        error(put(path + "?receipt=yes", "changed"), 400, "invalid_request");
        JsonNode twice = error(put(path + "?w=1&w=1", "changed"), 400, "invalid_request");
        assertThat(twice.path("message").asText()).contains("'w'").contains("2 times");
        error(send("DELETE", path + "?returnbody=true", null), 400, "invalid_request");
        error(send("DELETE", path + "?w=7", null), 400, "invalid_request");
        holds(path, "original");
    }

    @Test
    void malformedJsonToAdminIsRejected() {
        JsonNode join = error(send("POST", "/admin/join", "{\"seed\": ".getBytes(StandardCharsets.UTF_8)), 400,
                "malformed_json");
        assertThat(join.path("message").asText()).contains("JSON");
        error(send("POST", "/admin/join", "[1, 2]".getBytes(StandardCharsets.UTF_8)), 400, "malformed_json");
        error(send("POST", "/admin/join", "{\"seed\": {\"id\": 1}}".getBytes(StandardCharsets.UTF_8)), 400,
                "invalid_request");
        error(send("PUT", "/admin/buckets/b", "{n: 3".getBytes(StandardCharsets.UTF_8)), 400, "malformed_json");
        error(send("PUT", "/admin/buckets/b", "\"n\"".getBytes(StandardCharsets.UTF_8)), 400, "malformed_json");
        error(send("PUT", "/admin/buckets/b", "{\"n\": \"many\"}".getBytes(StandardCharsets.UTF_8)), 400,
                "invalid_request");
        error(send("PUT", "/admin/buckets/b", "{\"nn\": 3}".getBytes(StandardCharsets.UTF_8)), 400,
                "invalid_request");
        error(send("PUT", "/admin/buckets/b", "{\"props\": [1]}".getBytes(StandardCharsets.UTF_8)), 400,
                "invalid_request");
        error(send("PUT", "/admin/buckets/b", "{\"r\": {\"x\": 1}}".getBytes(StandardCharsets.UTF_8)), 400,
                "invalid_request");
        error(send("PUT", "/admin/buckets/b", "{}".getBytes(StandardCharsets.UTF_8)), 400, "invalid_request");
        error(send("PUT", "/admin/buckets/b", "{\"r\": 2}".getBytes(StandardCharsets.UTF_8)), 400,
                "invalid_request"); // more than n
        error(send("PUT", "/admin/buckets/b", "{\"max_siblings\": 3}".getBytes(StandardCharsets.UTF_8)), 400,
                "invalid_request"); // a storage-wide limit
        error(send("PUT", "/admin/buckets/b", "{\"max_value_bytes\": 100000}".getBytes(StandardCharsets.UTF_8)),
                400, "invalid_request"); // more than storage takes
        JsonNode b = json(get("/admin/buckets/b"));
        assertThat(b.path("props").path("n").asText()).isEqualTo("1");
        assertThat(b.path("source").asText()).isEqualTo("defaults");
        assertThat(b.has("setting")).isFalse();
    }

    @Test
    void bucketPropsChangeAtRunTimeForTheWholeClusterAndReset() {
        String key = "k".repeat(40);
        stores("/buckets/rt/keys/" + key, "before"); // max_key_bytes is 64
        JsonNode set = json(send("PUT", "/admin/buckets/rt", "{\"props\": {\"max_key_bytes\": 32}}"
                .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json"));
        assertThat(set.path("props").path("max_key_bytes").asText()).isEqualTo("32");
        assertThat(set.path("source").asText()).isEqualTo("cluster");
        assertThat(set.path("setting").path("version").asLong()).isEqualTo(1);
        assertThat(set.path("setting").path("by").asText()).isEqualTo("n1");
        assertThat(json(get("/buckets/rt/props"))).isEqualTo(set);
        JsonNode refused = error(put("/buckets/rt/keys/" + key, "after", "Content-Type", "text/plain"), 400,
                "invalid_request");
        assertThat(refused.path("message").asText()).contains("max_key_bytes");

        // Riak's form: PUT /buckets/{b}/props with n_val.
        JsonNode riak = json(send("PUT", "/buckets/rt/props", "{\"props\": {\"n_val\": 1, \"conflict_mode\": \"lww\"}}"
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(riak.path("props").path("conflict_mode").asText()).isEqualTo("lww");
        assertThat(riak.path("props").path("max_key_bytes").asText()).as("earlier changes kept").isEqualTo("32");
        assertThat(riak.path("setting").path("version").asLong()).isEqualTo(2);
        assertThat(json(get("/admin/buckets")).path("buckets").has("rt")).isTrue();

        JsonNode reset = json(send("DELETE", "/admin/buckets/rt", null));
        assertThat(reset.path("source").asText()).isEqualTo("defaults");
        assertThat(reset.path("setting").path("reset").asBoolean()).isTrue();
        assertThat(reset.path("props").path("max_key_bytes").asText()).isEqualTo("64");
        holds("/buckets/rt/keys/" + key, "before"); // the refused write changed nothing
        stores("/buckets/rt/keys/" + key, "after");
        assertThat(json(get("/admin/buckets")).path("buckets").has("rt")).isFalse();
    }

    @Test
    void joinIsRefusedToANodeThatAlreadyBelongsToACluster() {
        error(send("POST", "/admin/join", "{\"seed\": \"n2@127.0.0.1:7001\"}".getBytes(StandardCharsets.UTF_8)),
                409, "already_joined");
        error(send("POST", "/admin/join?seed=nonsense", null), 400, "invalid_request");
        error(send("POST", "/admin/join", null), 400, "invalid_request");
        error(send("POST", "/admin/join?seed=n2@127.0.0.1:70000", null), 400, "invalid_request");
    }

    @Test
    void anUnknownPathIsNotFound() {
        error(get("/nothing/here"), 404, "not_found");
        error(get("/buckets/b/keys"), 404, "not_found");
        error(get("/buckets/b/keys/k/extra"), 404, "not_found");
        error(get("/admin/nothing"), 404, "not_found");
        error(send("POST", "/admin/status", null), 404, "not_found");
        error(send("DELETE", "/ping", null), 404, "not_found");
    }

    @Test
    void anUnsupportedMethodOnAKeyIsNotAllowed() {
        String path = "/buckets/b/keys/patched";
        stores(path, "original");
        HttpResponse<byte[]> patch = send("PATCH", path, "x".getBytes(StandardCharsets.UTF_8));
        JsonNode e = error(patch, 405, "method_not_allowed");
        assertThat(e.path("message").asText()).contains("PATCH").contains("HEAD");
        assertThat(patch.headers().firstValue("Allow")).hasValue("GET, HEAD, PUT, POST, DELETE");
        error(send("OPTIONS", path, null), 405, "method_not_allowed");
        holds(path, "original");
    }

    @Test
    void aBadPercentEncodingIsRejected() {
        // java.net.URI refuses to send these, so they go over a plain socket
        RawResponse r = raw("GET /buckets/b/keys/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.text()).contains("\"error\" : \"invalid_request\"").contains("percent-encoding");
        RawResponse truncated = raw("GET /buckets/b%2/keys/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(truncated.status()).as(truncated.text()).isEqualTo(400);
        RawResponse keyEnd = raw("GET /buckets/b/keys/bad%F HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(keyEnd.status()).as(keyEnd.text()).isEqualTo(400);
        assertThat(keyEnd.text()).contains("percent-encoding");
    }

    @Test
    void aRequestThatIsNotHttpIsRejected() {
        RawResponse r = raw("HELLO THERE\r\n\r\n");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        // the server still answers others
        assertThat(get("/ping").statusCode()).isEqualTo(200);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        // a put (through the node thread and storage), then a ping answered at once, then a get; one write
        RawResponse r = raw("PUT /buckets/b/keys/pipelined HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\n\r\nfirst"
                + "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /buckets/b/keys/pipelined HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        List<String> statusLines = java.util.regex.Pattern.compile("HTTP/1\\.1 \\d{3} [A-Za-z ]+(?=\r\n)")
                .matcher(r.text()).results().map(java.util.regex.MatchResult::group).toList();
        assertThat(statusLines).containsExactly("HTTP/1.1 204 No Content", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK");
        assertThat(r.text()).endsWith("first");
    }

    @Test
    void anAnswerTheNodeCompletesIsNotOvertakenByALaterOneAnsweredOnTheEventLoop() {
        // A get is answered from the node's thread; /metrics is scraped on the event loop, which
        // takes long enough for the get to complete meanwhile. The get's answer, queued to the
        // loop as a task, once came after the metrics the busy loop wrote directly.
        stores("/buckets/b/keys/overtaken", "value");
        StringBuilder requests = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.append("GET /buckets/b/keys/overtaken HTTP/1.1\r\nHost: x\r\n\r\n")
                    .append("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
            expected.add("value");
            expected.add("metrics");
        }
        requests.append("GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        expected.add("ping");
        List<String> answers = java.util.regex.Pattern.compile("\r\n\r\n(value|OK|# HELP)")
                .matcher(raw(requests.toString()).text()).results()
                .map(m -> switch (m.group(1)) {
                    case "value" -> "value";
                    case "OK" -> "ping";
                    default -> "metrics";
                }).toList();
        assertThat(answers).isEqualTo(expected);
    }

    // ------------------------------------------------------------------ admin

    @Test
    void statusSaysTheNodeIsUp() {
        HttpResponse<byte[]> r = get("/admin/status");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = json(r);
        assertThat(s.path("node").asText()).isEqualTo("n1");
        assertThat(s.path("state").asText()).isEqualTo("up");
        assertThat(s.path("cluster").asText()).isEqualTo("dynamo");
        assertThat(s.path("status").asText()).isEqualTo("up");
        assertThat(s.path("partitions").asInt()).isEqualTo(8);
        assertThat(s.path("members").asInt()).isEqualTo(1);
        assertThat(s.path("endpoints").path("http").asText()).isEqualTo(Endpoints.hostPort(server.endpoints().http()));
        assertThat(s.path("unreachable")).isEmpty();
        assertThat(s.path("transport").path("bad_connections").asLong()).isZero();
    }

    @Test
    void ringListsPartitionsAndOwners() {
        JsonNode ring = json(get("/admin/ring"));
        assertThat(ring.path("partitions").asInt()).isEqualTo(8);
        assertThat(ring.path("n").asInt()).isEqualTo(1);
        assertThat(ring.path("partitions_owned").path("n1").asInt()).isEqualTo(8);
        assertThat(ring.path("owners")).hasSize(8);
        for (int p = 0; p < 8; p++) {
            JsonNode o = ring.path("owners").get(p);
            assertThat(o.path("partition").asInt()).isEqualTo(p);
            assertThat(o.path("nodes")).hasSize(1);
            assertThat(o.path("nodes").get(0).asText()).isEqualTo("n1");
        }
        assertThat(ring.has("next")).isFalse();
    }

    @Test
    void membersListsThisNode() {
        JsonNode m = json(get("/admin/members"));
        assertThat(m.path("members")).hasSize(1);
        JsonNode me = m.path("members").get(0);
        assertThat(me.path("id").asText()).isEqualTo("n1");
        assertThat(me.path("status").asText()).isEqualTo("up");
        assertThat(me.path("reachable").asBoolean()).isTrue();
        assertThat(me.path("partitions").asInt()).isEqualTo(8);
        // the member's gossiped address holds its endpoints (listed one by one when they parse; see below)
        String listed = me.has("address") ? me.path("address").asText()
                : me.path("peer").asText() + " " + me.path("http").asText();
        assertThat(listed).contains(Endpoints.hostPort(server.endpoints().http()))
                .contains(Endpoints.hostPort(server.endpoints().peer()));
    }

    @Test
    void membersListEndpointsOneByOne() {
        JsonNode me = json(get("/admin/members")).path("members").get(0);
        assertThat(me.path("http").asText()).isEqualTo(Endpoints.hostPort(server.endpoints().http()));
        assertThat(me.path("peer").asText()).isEqualTo(Endpoints.hostPort(server.endpoints().peer()));
    }

    @Test
    void nodeStatusIsThisNodesOwnView() {
        HttpResponse<byte[]> r = get("/admin/node");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = json(r);
        assertThat(s.path("node").asText()).isEqualTo("n1");
        assertThat(s.path("state").asText()).isEqualTo("up");
        assertThat(s.path("uptime_ms").asLong()).isPositive();
        assertThat(s.path("data").path("bytes").isNumber()).isTrue();
        assertThat(s.path("peers")).as("a single node has no peers").isEmpty();
        assertThat(s.path("hints").path("pending").isObject()).isTrue();
        assertThat(s.path("anti_entropy").path("partitions")).hasSize(8);
        assertThat(s.path("traffic").path("interval_ms").asInt()).isEqualTo(1000);
        assertThat(s.path("traffic").path("samples").isArray()).isTrue();
        JsonNode none = json(get("/admin/node?since=" + Long.MAX_VALUE));
        assertThat(none.path("traffic").path("samples")).isEmpty();
        error(get("/admin/node?since=yesterday"), 400, "invalid_request");
    }

    @Test
    void clusterOfOneNodeHasItsOwnViewInline() {
        JsonNode c = json(get("/admin/cluster"));
        assertThat(c.path("served_by").asText()).isEqualTo("n1");
        assertThat(c.path("ring").path("partitions_owned").path("n1").asInt()).isEqualTo(8);
        assertThat(c.path("ring").path("settled").asBoolean()).isTrue();
        assertThat(c.path("transfers").path("planned")).isEmpty();
        JsonNode me = c.path("members").get(0);
        assertThat(me.path("answered").asBoolean()).isTrue();
        assertThat(me.path("view").path("node").asText()).isEqualTo("n1");
    }

    @Test
    void preflistNamesTheKeysPartitionAndOwners() {
        JsonNode p = json(get("/admin/preflist?bucket=b&key=alice"));
        assertThat(p.path("bucket").asText()).isEqualTo("b");
        assertThat(p.path("n").asInt()).isEqualTo(1);
        assertThat(p.path("partition").asInt()).isBetween(0, 7);
        assertThat(p.path("primaries").toString()).isEqualTo("[\"n1\"]");
        assertThat(p.path("now").get(0).path("node").asText()).isEqualTo("n1");
        assertThat(p.path("uncovered")).isEmpty();
        assertThat(json(get("/admin/preflist?key=alice")).path("bucket").asText()).isEqualTo("default");
        assertThat(json(get("/admin/preflist?bucket=b&key=%FF%00")).path("partition").asInt()).as("any key bytes")
                .isBetween(0, 7);
        assertThat(error(get("/admin/preflist?bucket=b"), 400, "invalid_request").path("message").asText())
                .contains("key=");
        assertThat(error(get("/admin/preflist?bucket=b&key=k&r=2"), 400, "invalid_request").path("message").asText())
                .contains("'r'");
        error(get("/admin/preflist?bucket=bad%20name&key=k"), 400, "invalid_request");
        error(get("/admin/preflist?bucket=b&key=" + "k".repeat(65)), 400, "invalid_request");
    }

    @Test
    void theDashboardIsServedFromTheNode() {
        HttpResponse<byte[]> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/ui/");
        assertThat(get("/ui").headers().firstValue("Location")).hasValue("/ui/");
        HttpResponse<byte[]> page = get("/ui/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(text(page)).contains("app.js").contains("app.css");
        assertThat(get("/ui/index.html").body()).isEqualTo(page.body());
        HttpResponse<byte[]> js = get("/ui/app.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.body().length).isPositive();
        assertThat(get("/ui/app.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        error(get("/ui/secret.txt"), 404, "not_found");
        error(get("/ui/..%2Fpom.xml"), 404, "not_found");
        error(get("/ui/a/b"), 404, "not_found");
    }

    @Test
    void largeAnswersAreGzippedForClientsThatAskForIt() throws IOException {
        HttpResponse<byte[]> plain = get("/admin/ring");
        HttpResponse<byte[]> zipped = get("/ui/app.js", "Accept-Encoding", "gzip");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] unzipped = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))
                .readAllBytes();
        assertThat(unzipped).isEqualTo(get("/ui/app.js").body());
    }

    @Test
    void aChangeFromAPageOfAnotherOriginIsRefusedAndChangesNothing() {
        put("/buckets/b/keys/csrf", "before");
        HttpResponse<byte[]> forged = send("POST", "/buckets/b/keys/csrf", "after".getBytes(StandardCharsets.UTF_8),
                "Origin", "http://evil.example", "Content-Type", "text/plain");
        assertThat(error(forged, 403, "cross_origin").path("message").asText()).contains("evil.example");
        error(send("PUT", "/admin/buckets/csrf", "{\"r\": 1}".getBytes(StandardCharsets.UTF_8), "Origin",
                "http://evil.example"), 403, "cross_origin");
        error(send("POST", "/admin/leave", null, "Origin", "null"), 403, "cross_origin");
        holds("/buckets/b/keys/csrf", "before");
        assertThat(json(get("/admin/buckets")).path("buckets").has("csrf")).isFalse();
        assertThat(json(get("/admin/status")).path("status").asText()).isEqualTo("up");

        // The dashboard's own page: its Origin is this node.
        String self = "http://" + Endpoints.hostPort(server.endpoints().http());
        HttpResponse<byte[]> mine = send("PUT", "/buckets/b/keys/csrf", "after".getBytes(StandardCharsets.UTF_8),
                "Origin", self, "Content-Type", "text/plain", "X-Dynamo-Context",
                context(get("/buckets/b/keys/csrf")).orElseThrow());
        assertThat(mine.statusCode()).isEqualTo(204);
        holds("/buckets/b/keys/csrf", "after");
        assertThat(get("/admin/status", "Origin", "http://evil.example").statusCode()).as("reading is allowed")
                .isEqualTo(200);

        // DNS rebinding: the attacker's name resolves to the node, so Host and Origin agree; the
        // name is not the node's own, so the change is refused all the same.
        RawResponse rebound = raw("POST /admin/leave HTTP/1.1\r\nHost: evil.example:80\r\n"
                + "Origin: http://evil.example:80\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(rebound.status()).as(rebound.text()).isEqualTo(403);
        assertThat(json(get("/admin/status")).path("status").asText()).isEqualTo("up");
    }

    @Test
    void inviteRefusesBadAddressesAndSaysWhenNoNodeAnswers() throws IOException {
        assertThat(error(send("POST", "/admin/invite", null), 400, "invalid_request").path("message").asText())
                .contains("http=HOST:PORT");
        error(send("POST", "/admin/invite?http=nonsense", null), 400, "invalid_request");
        error(send("POST", "/admin/invite?http=" + java.net.URLEncoder.encode("10.0.0.5:6379/#:80",
                StandardCharsets.UTF_8), null), 400, "invalid_request");
        String self = Endpoints.hostPort(server.endpoints().http());
        assertThat(error(send("POST", "/admin/invite", ("{\"http\": \"" + self + "\"}").getBytes(StandardCharsets.UTF_8)),
                400, "invalid_request").path("message").asText()).contains("is this node");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(error(send("POST", "/admin/invite?http=127.0.0.1:" + closed, null), 502, "unreachable")
                .path("message").asText()).contains("127.0.0.1:" + closed);
        assertThat(json(get("/admin/status")).path("members").asInt()).isEqualTo(1);
    }

    @Test
    void transfersAndAntiEntropyAnswer() {
        JsonNode t = json(get("/admin/transfers"));
        assertThat(t.path("ring_settled").asBoolean()).isTrue();
        assertThat(t.path("planned").isArray()).isTrue();

        JsonNode ae = json(get("/admin/anti-entropy"));
        assertThat(ae.has("exchanges")).isTrue();
        assertThat(ae.has("keys_repaired")).isTrue();
        assertThat(ae.path("partitions")).hasSize(8); // n1 owns them all; no peers to sync with
        assertThat(ae.path("partitions").get(0).path("last_sync_ms_ago")).isEmpty();
    }

    @Test
    void bucketPropsAreTheNamespaceProperties() {
        JsonNode b = json(get("/admin/buckets/b"));
        assertThat(b.path("bucket").asText()).isEqualTo("b");
        JsonNode props = b.path("props");
        assertThat(props.path("n").asText()).isEqualTo("1");
        assertThat(props.path("w").asText()).isEqualTo("1");
        assertThat(props.path("dw").asText()).isEqualTo("0");
        assertThat(props.path("max_key_bytes").asText()).isEqualTo("64");
        assertThat(props.path("max_value_bytes").asText()).isEqualTo("1024");
        assertThat(props.path("conflict_mode").asText()).isEqualTo("siblings");

        assertThat(json(get("/buckets/b/props"))).isEqualTo(b);
        assertThat(json(get("/admin/buckets/big")).path("props").path("max_value_bytes").asText()).isEqualTo("4096");
    }

    @Test
    void pingAnswersOk() {
        HttpResponse<byte[]> r = get("/ping");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("OK");
    }

    @Test
    void metricsHaveRequestLatenciesByOperation() {
        stores("/buckets/b/keys/metered", "m");
        get("/buckets/b/keys/metered");
        HttpResponse<byte[]> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String metrics = text(r);
        List<String> putLines = metrics.lines()
                .filter(l -> l.startsWith("dynamo_requests_seconds") && l.contains("operation=\"put\""))
                .toList();
        assertThat(putLines).isNotEmpty();
        assertThat(metrics.lines().filter(l -> l.startsWith("dynamo_requests_latency_seconds_bucket")
                && l.contains("operation=\"put\"")).toList()).as("histogram buckets, summable over nodes").isNotEmpty();
        assertThat(putLines).anyMatch(l -> l.startsWith("dynamo_requests_seconds_count") && l.contains("outcome=\"ok\""));
        assertThat(metrics).contains("operation=\"get\"");
        assertThat(metrics).contains("dynamo_transport_bad_connections");
        assertThat(metrics).contains("node=\"n1\"");
    }

    @Test
    void metricsHaveRequestLatencyPercentiles() {
        stores("/buckets/b/keys/metered-p", "m");
        assertThat(text(get("/metrics")).lines()
                .filter(l -> l.startsWith("dynamo_requests_seconds") && l.contains("operation=\"put\""))
                .toList()).anyMatch(l -> l.contains("quantile=\"0.999\""));
    }

    // ------------------------------------------------------------------ other servers

    @Test
    void anUnknownBucketIsNotFoundWhenOnlyConfiguredOnesAreAllowed() {
        Map<String, String> s = settings(tmp.resolve("strict"));
        s.put("allow_any_namespace", "false");
        s.put("namespaces.users.max_value_bytes", "100");
        try (DynamoServer strict = DynamoServer.start(ServerConfig.of(s))) {
            String at = "http://" + Endpoints.hostPort(strict.endpoints().http());
            JsonNode e = error(send(at, "PUT", "/buckets/other/keys/k", "v".getBytes(), "Content-Type", "text/plain"),
                    404, "unknown_bucket");
            assertThat(e.path("message").asText()).contains("bucket 'other'").contains("allow_any_namespace")
                    .doesNotContain("namespace '");
            error(send(at, "GET", "/buckets/other/keys/k", null), 404, "unknown_bucket");
            error(send(at, "DELETE", "/buckets/other/keys/k", null), 404, "unknown_bucket");

            HttpResponse<byte[]> ok = send(at, "PUT", "/buckets/users/keys/k", "v".getBytes(), "Content-Type",
                    "text/plain");
            assertThat(ok.statusCode()).as(text(ok)).isEqualTo(204);
            assertThat(text(send(at, "GET", "/buckets/users/keys/k", null))).isEqualTo("v");
            error(send(at, "PUT", "/buckets/users/keys/k", new byte[101]), 413, "value_too_large");

            // An operator's setting defines a namespace for the whole cluster.
            HttpResponse<byte[]> made = send(at, "PUT", "/admin/buckets/other", "{\"dw\": 1}"
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(made.statusCode()).as(text(made)).isEqualTo(200);
            HttpResponse<byte[]> now = send(at, "PUT", "/buckets/other/keys/k", "v".getBytes(), "Content-Type",
                    "text/plain");
            assertThat(now.statusCode()).as(text(now)).isEqualTo(204);
        }
        // ... and is persisted with the cluster state: still defined after a restart.
        try (DynamoServer again = DynamoServer.start(ServerConfig.of(s))) {
            String at = "http://" + Endpoints.hostPort(again.endpoints().http());
            assertThat(text(send(at, "GET", "/buckets/other/keys/k", null))).isEqualTo("v");
            assertThat(json(send(at, "GET", "/admin/buckets/other", null)).path("props").path("dw").asText())
                    .isEqualTo("1");
        }
    }

    @Test
    void aQuorumAMissingReplicaCannotMeetIsAnsweredWithTheCounts() throws IOException {
        // two initial members, N=W=R=2, but n2 never starts: every key's second replica is missing
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Map<String, String> s = settings(tmp.resolve("quorum"));
        s.put("initial_members", "n1,n2");
        s.put("seeds", "n2@127.0.0.1:" + dead);
        s.put("defaults.n", "2");
        s.put("defaults.r", "2");
        s.put("defaults.w", "2");
        s.put("defaults.dw", "0");
        try (DynamoServer half = DynamoServer.start(ServerConfig.of(s))) {
            String at = "http://" + Endpoints.hostPort(half.endpoints().http());
            HttpResponse<byte[]> p = send(at, "PUT", "/buckets/b/keys/k?timeout_ms=300", "v".getBytes(),
                    "Content-Type", "text/plain");
            JsonNode e = error(p, 503, "insufficient_replicas");
            assertThat(e.path("operation").asText()).isEqualTo("put");
            assertThat(e.path("required").asInt()).isEqualTo(2);
            assertThat(e.path("achieved").asInt()).isEqualTo(1);
            assertThat(e.has("required_durable")).isTrue();
            assertThat(e.path("failures").isObject()).isTrue();
            assertThat(p.headers().firstValue("Retry-After")).hasValue("1");

            HttpResponse<byte[]> g = send(at, "GET", "/buckets/b/keys/k?timeout_ms=300", null);
            JsonNode ge = error(g, 503, "insufficient_replicas");
            assertThat(ge.path("operation").asText()).isEqualTo("get");
            assertThat(ge.path("required").asInt()).isEqualTo(2);
            assertThat(ge.path("achieved").asInt()).isEqualTo(1);

            // what one replica can give succeeds; the failed put was still written locally (no rollback)
            HttpResponse<byte[]> w1 = send(at, "PUT", "/buckets/b/keys/k2?w=1", "v".getBytes(), "Content-Type",
                    "text/plain");
            assertThat(w1.statusCode()).as(text(w1)).isEqualTo(204);
            HttpResponse<byte[]> r1 = send(at, "GET", "/buckets/b/keys/k2?r=1", null);
            assertThat(r1.statusCode()).as(text(r1)).isEqualTo(200);
            assertThat(text(r1)).isEqualTo("v");

            String metrics = text(send(at, "GET", "/metrics", null));
            assertThat(metrics).contains("operation=\"put\",outcome=\"insufficient_replicas\""); // as the JSON error
        }
    }

    @Test
    void anNLargerThanTheRingThisNodeKnowsIsUnavailableNotABadRequest() {
        // N=2 on a one-node cluster: the coordinator refuses rather than counting a replica that
        // cannot exist. A passing state (a node that joined and has not learned the ring yet looks
        // the same), so 503 with a message that says to retry, not a client error.
        Map<String, String> s = settings(tmp.resolve("small"));
        s.put("defaults.n", "2");
        s.put("defaults.r", "2");
        s.put("defaults.w", "2");
        try (DynamoServer lonely = DynamoServer.start(ServerConfig.of(s))) {
            String at = "http://" + Endpoints.hostPort(lonely.endpoints().http());
            JsonNode e = error(send(at, "PUT", "/buckets/b/keys/k", "v".getBytes(), "Content-Type", "text/plain"),
                    503, "unavailable");
            assertThat(e.path("message").asText()).contains("bucket 'b' has n=2").contains("1 node").contains("retry");
            error(send(at, "GET", "/buckets/b/keys/k", null), 503, "unavailable");
        }
    }

    // ------------------------------------------------------------------ raw HTTP

    record RawResponse(int status, String text) {
    }

    /** Sends {@code request} as is over a new connection and reads the answer until the server closes it. */
    static RawResponse raw(String request) {
        var http = server.endpoints().http();
        try (Socket socket = new Socket(http.getHostString(), http.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String[] status = answer.split("\r\n", 2)[0].split(" ");
            assertThat(status.length).as(answer).isGreaterThanOrEqualTo(2);
            return new RawResponse(Integer.parseInt(status[1]), answer);
        } catch (IOException e) {
            throw new AssertionError("raw request failed: " + e, e);
        }
    }
}

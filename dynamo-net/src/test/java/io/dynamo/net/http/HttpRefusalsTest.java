package io.dynamo.net.http;

import static io.dynamo.net.http.TestHttp.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.Endpoints;
import io.dynamo.net.server.ServerConfig;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal a user can meet before a request reaches the node, on one real server: each
 * answers the project's JSON error naming what to change (the limit and the size where known),
 * and changes nothing. Bodies past what the codec reads, request lines and headers past the
 * decoder's limits and expectations it cannot meet are Netty's refusals, turned into the API's;
 * Riak's context header and bad base64 contexts are the API's own; HTTP sent to the peer or the
 * client-protocol port is told where the API is.
 */
class HttpRefusalsTest {

    /** The largest max_value_bytes configured (bucket "big"), and the 64 KiB more the codec reads. */
    private static final int READ_LIMIT = 4096 + 64 * 1024;

    @TempDir
    static Path tmp;

    private static DynamoServer server;
    private static TestHttp http;
    private static InetSocketAddress at;

    @BeforeAll
    static void start() {
        Map<String, String> s = HttpApiTest.settings(tmp.resolve("refusals"));
        s.put("namespaces.big.max_value_bytes", "4096");
        server = DynamoServer.start(ServerConfig.of(s));
        at = server.endpoints().http();
        http = new TestHttp(at);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String message(JsonNode error) {
        return error.path("message").asText();
    }

    // ------------------------------------------------------------------ bodies

    @Test
    void aBodyPastWhatTheNodeReadsIsRefusedInTheWordsOfItsBucketsLimitAndChangesNothing() {
        String path = "/buckets/b/keys/huge";
        http.stores(path, "original", "Content-Type", "text/plain");
        JsonNode e = error(http.send("PUT", path, new byte[200 * 1024]), 413, "value_too_large");
        assertThat(message(e)).contains("204800 bytes").contains("bucket 'b'").contains("1024")
                .contains("max_value_bytes");
        assertThat(e.path("size").asLong()).isEqualTo(204800);
        assertThat(e.path("limit").asLong()).isEqualTo(1024);
        http.holds(path, "original");

        JsonNode big = error(http.send("POST", "/buckets/big/keys/huge", new byte[200 * 1024]), 413,
                "value_too_large");
        assertThat(big.path("limit").asLong()).as("bucket big's own limit").isEqualTo(4096);
        error(http.get("/buckets/big/keys/huge"), 404, "not_found");
    }

    @Test
    void aValueJustOverItsBucketsLimitCarriesTheSameFields() {
        JsonNode e = error(http.send("PUT", "/buckets/b/keys/a-bit-big", new byte[1025]), 413, "value_too_large");
        assertThat(e.path("size").asLong()).isEqualTo(1025);
        assertThat(e.path("limit").asLong()).isEqualTo(1024);
    }

    @Test
    void aBodyPastWhatTheNodeReadsThatIsNoValueNamesTheNodesLimit() {
        JsonNode e = error(http.send("POST", "/admin/join", new byte[200 * 1024]), 413, "too_large");
        assertThat(message(e)).contains("204800 bytes").contains(Integer.toString(READ_LIMIT))
                .contains("max_value_bytes");
        assertThat(e.path("limit").asLong()).isEqualTo(READ_LIMIT);
        assertThat(json(http.get("/admin/status")).path("members").asInt()).as("no join").isEqualTo(1);
    }

    @Test
    void aClientThatExpectsContinueIsRefusedBeforeItSendsTheBody() {
        try (TestHttp.Raw c = new TestHttp.Raw(at)) {
            c.write("PUT /buckets/b/keys/expected HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 6291456\r\nExpect: 100-continue\r\n\r\n");
            TestHttp.Raw.Response r = c.read();
            JsonNode e = error(r, 413, "value_too_large");
            assertThat(e.path("size").asLong()).isEqualTo(6291456);
            assertThat(message(e)).contains("6291456 bytes").contains("max_value_bytes");
            // the body never came, so the connection cannot go on in step: it closes
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        error(http.get("/buckets/b/keys/expected"), 404, "not_found");
    }

    @Test
    void aClientThatExpectsContinueWithABodyWithinTheLimitIsToldToGoOn() {
        try (TestHttp.Raw c = new TestHttp.Raw(at)) {
            c.write("PUT /buckets/b/keys/continued HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            c.write("hello");
            assertThat(c.read().status()).isEqualTo(204);
        }
        http.holds("/buckets/b/keys/continued", "hello");
    }

    @Test
    void aChunkedBodyThatOutgrowsWhatTheNodeReadsIsRefusedAndTheConnectionGoesOn() {
        byte[] piece = new byte[16 * 1024];
        Arrays.fill(piece, (byte) 'x');
        try (TestHttp.Raw c = new TestHttp.Raw(at)) {
            c.write("PUT /buckets/b/keys/chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 6; i++) { // 96 KiB
                c.write(Integer.toHexString(piece.length) + "\r\n").write(piece).write("\r\n");
            }
            c.write("0\r\n\r\n");
            JsonNode e = error(c.read(), 413, "value_too_large");
            assertThat(message(e)).contains("more than " + READ_LIMIT).contains("Content-Length")
                    .contains("max_value_bytes");
            assertThat(e.has("size")).as("the size is not known").isFalse();

            c.write("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().status()).as("the rest of the body was dropped").isEqualTo(200);
        }
        error(http.get("/buckets/b/keys/chunked"), 404, "not_found");
    }

    // ------------------------------------------------------------------ the decoder's limits

    @Test
    void aRequestLineOverTheLimitIsAnUriTooLong() {
        try (TestHttp.Raw c = new TestHttp.Raw(at)) {
            c.write("PUT /buckets/b/keys/" + "k".repeat(9000) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv");
            JsonNode e = error(c.read(), 414, "uri_too_long");
            assertThat(message(e)).contains("8192");
            assertThat(e.path("limit").asInt()).isEqualTo(8192);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void headersOverTheLimitAreTooLarge() {
        try (TestHttp.Raw c = new TestHttp.Raw(at)) {
            c.write("GET /ping HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(17_000) + "\r\n\r\n");
            JsonNode e = error(c.read(), 431, "headers_too_large");
            assertThat(message(e)).contains("16384");
            assertThat(e.path("limit").asInt()).isEqualTo(16384);
        }
    }

    @Test
    void anExpectationTheNodeCannotMeetIsRefusedAndChangesNothing() {
        String path = "/buckets/b/keys/expect-teapot";
        http.stores(path, "original", "Content-Type", "text/plain");
        try (TestHttp.Raw c = new TestHttp.Raw(at)) {
            c.write("PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
                    + "Expect: teapot\r\n\r\nafter");
            JsonNode e = error(c.read(), 417, "expectation_failed");
            assertThat(message(e)).contains("teapot").contains("100-continue");
        }
        http.holds(path, "original");
    }

    @Test
    void bytesThatAreNotHttpGetTheJsonErrorToo() {
        try (TestHttp.Raw c = new TestHttp.Raw(at)) {
            c.write("HELLO THERE\r\n\r\n");
            error(c.read(), 400, "malformed_request");
        }
    }

    // ------------------------------------------------------------------ contexts

    @Test
    void riaksVclockHeaderIsRefusedOnWritesAndChangesNothing() {
        String path = "/buckets/b/keys/riak";
        http.stores(path, "original", "Content-Type", "text/plain");
        String vclock = "a85hYGBgzGDKBVIcypz/fgaUHjmdwZTImMfKsMKK7RRfFgA=";
        JsonNode put = error(http.put(path, "changed", "X-Riak-Vclock", vclock), 400, "invalid_context");
        assertThat(message(put)).contains("X-Riak-Vclock").contains("X-Dynamo-Context");
        error(http.send("POST", path, "changed".getBytes(StandardCharsets.UTF_8), "X-Riak-Vclock", vclock), 400,
                "invalid_context");
        JsonNode delete = error(http.send("DELETE", path, null, "X-Riak-Vclock", vclock), 400, "invalid_context");
        assertThat(message(delete)).contains("X-Dynamo-Context");
        // with our context too: still refused, rather than guessing which the client meant
        error(http.put(path, "changed", "X-Riak-Vclock", vclock, HttpApi.CONTEXT_HEADER, http.context(path)), 400,
                "invalid_context");
        http.holds(path, "original");
        assertThat(http.get(path, "X-Riak-Vclock", vclock).statusCode()).as("a read changes nothing").isEqualTo(200);
    }

    @Test
    void aContextThatIsNotBase64NamesTheBadCharacterAndItsPositionAndChangesNothing() {
        String path = "/buckets/b/keys/bad-base64";
        http.stores(path, "original", "Content-Type", "text/plain");
        JsonNode bang = error(http.put(path, "changed", HttpApi.CONTEXT_HEADER, "AQEC!bjE"), 400, "invalid_context");
        assertThat(message(bang)).contains(HttpApi.CONTEXT_HEADER + " is not valid base64url: '!' at position 4");
        JsonNode plus = error(http.send("DELETE", path, null, HttpApi.CONTEXT_HEADER, "AQ+C"), 400,
                "invalid_context");
        assertThat(message(plus)).contains("'+' at position 2").contains("'-' and '_'");
        try (TestHttp.Raw c = new TestHttp.Raw(at)) {
            c.write("PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n" + HttpApi.CONTEXT_HEADER
                    + ": AQ\u00e9C\r\n\r\nv");
            assertThat(message(error(c.read(), 400, "invalid_context"))).contains("U+00E9 at position 2");
        }
        http.holds(path, "original");
    }

    // ------------------------------------------------------------------ the other ports

    @Test
    void httpSentToThePeerPortIsToldWhereTheApiIs() {
        long before = server.transport().stats().closedForBadInput();
        try (TestHttp.Raw c = new TestHttp.Raw(server.endpoints().peer())) {
            c.write("GET /buckets/b/keys/k HTTP/1.1\r\nHost: x\r\n\r\n");
            TestHttp.Raw.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("content-type")).startsWith("text/plain");
            assertThat(r.text()).contains("peer port of node n1").contains("node-to-node")
                    .contains("http://" + Endpoints.hostPort(server.endpoints().http()));
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(server.transport().stats().closedForBadInput()).isEqualTo(before + 1);
    }

    @Test
    void httpSentToTheClientPortIsToldWhereTheApiIs() {
        try (TestHttp.Raw c = new TestHttp.Raw(server.endpoints().client())) {
            c.write("PUT /buckets/b/keys/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv");
            TestHttp.Raw.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("client-protocol port of node n1")
                    .contains("http://" + Endpoints.hostPort(server.endpoints().http()));
            assertThat(c.closedByServer()).isTrue();
        }
        error(http.get("/buckets/b/keys/k"), 404, "not_found");
    }

    private static JsonNode json(HttpResponse<byte[]> r) {
        return TestHttp.json(r.body());
    }
}

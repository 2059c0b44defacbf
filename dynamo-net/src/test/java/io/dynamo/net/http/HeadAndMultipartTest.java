package io.dynamo.net.http;

import static io.dynamo.net.http.TestHttp.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HEAD on a key answers as GET would, without the body; siblings come as {@code multipart/mixed}
 * to a client that asks for it, as Riak sends them, and as JSON otherwise. The multipart bodies
 * are parsed back here, byte for byte.
 */
class HeadAndMultipartTest {

    @TempDir
    static Path tmp;

    private static DynamoServer server;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        server = DynamoServer.start(ServerConfig.of(HttpApiTest.settings(tmp.resolve("head"))));
        http = new TestHttp(server.endpoints().http());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Two blind puts of {@code values} (each with its own content type): siblings. */
    private static void siblings(String path, byte[] one, String oneType, byte[] two, String twoType) {
        assertThat(http.send("PUT", path, one, "Content-Type", oneType).statusCode()).isEqualTo(204);
        assertThat(http.send("PUT", path, two, "Content-Type", twoType).statusCode()).isEqualTo(204);
    }

    // ------------------------------------------------------------------ HEAD

    @Test
    void headOnAKeyAnswersTheHeadersAGetWouldWithoutTheBody() {
        String path = "/buckets/b/keys/headed";
        http.stores(path, "some value", "Content-Type", "text/plain");
        HttpResponse<byte[]> get = http.get(path);
        HttpResponse<byte[]> head = http.send("HEAD", path, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        for (String h : List.of("Content-Type", "Content-Length", "X-Dynamo-Context", "X-Dynamo-Timestamp",
                "Last-Modified")) {
            assertThat(head.headers().firstValue(h)).as(h).isPresent().isEqualTo(get.headers().firstValue(h));
        }
        assertThat(head.headers().firstValue("Content-Length")).hasValue("10");
    }

    @Test
    void headOnAMissingKeyIsNotFoundAndOnSiblingsMultipleChoices() {
        HttpResponse<byte[]> missing = http.send("HEAD", "/buckets/b/keys/never-written", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();

        String path = "/buckets/b/keys/head-siblings";
        siblings(path, bytes("one"), "text/plain", bytes("two"), "text/plain");
        HttpResponse<byte[]> get = http.get(path);
        HttpResponse<byte[]> head = http.send("HEAD", path, null);
        assertThat(head.statusCode()).isEqualTo(300);
        assertThat(head.headers().firstValue("X-Dynamo-Context")).isPresent()
                .isEqualTo(get.headers().firstValue("X-Dynamo-Context"));
        assertThat(head.headers().firstValue("Content-Length")).isEqualTo(get.headers().firstValue("Content-Length"));
    }

    @Test
    void headSendsNoBodyOnTheWireSoTheNextAnswerFollowsAtOnce() {
        String path = "/buckets/b/keys/head-raw";
        http.stores(path, "raw value", "Content-Type", "text/plain");
        try (TestHttp.Raw c = new TestHttp.Raw(server.endpoints().http())) {
            c.write("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\nGET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
            TestHttp.Raw.Response head = c.readHeaders();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("9");
            TestHttp.Raw.Response ping = c.read(); // straight after the headers: no body came between
            assertThat(ping.status()).isEqualTo(200);
            assertThat(ping.text()).isEqualTo("OK");
        }
    }

    @Test
    void headRefusesWhatAGetRefuses() {
        String path = "/buckets/b/keys/head-refused?w=1"; // w means nothing to a read
        error(http.get(path), 400, "invalid_request");
        HttpResponse<byte[]> head = http.send("HEAD", path, null);
        assertThat(head.statusCode()).isEqualTo(400);
        assertThat(head.body()).isEmpty();
    }

    // ------------------------------------------------------------------ siblings

    @Test
    void siblingsComeAsJsonByDefault() {
        String path = "/buckets/b/keys/json-siblings";
        siblings(path, bytes("one"), "text/plain", bytes("two"), "text/plain");
        for (String accept : List.of("*/*", "application/json", "application/json, multipart/mixed;q=0.5")) {
            HttpResponse<byte[]> g = http.get(path, "Accept", accept);
            assertThat(g.statusCode()).isEqualTo(300);
            assertThat(g.headers().firstValue("Content-Type")).as(accept).hasValue("application/json");
            assertThat(TestHttp.json(g.body()).path("siblings")).hasSize(2);
        }
        assertThat(http.get(path).headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void siblingsComeAsMultipartMixedToAClientThatAsksForIt() {
        String path = "/buckets/b/keys/multipart";
        // values that would break a naive framing: line breaks, a dash run, binary bytes
        byte[] one = "line one\r\n--\r\nline two".getBytes(StandardCharsets.UTF_8);
        byte[] two = {0, (byte) 0xff, '\r', '\n', '-', '-', 1};
        siblings(path, one, "text/plain; charset=utf-8", two, "application/x-bin");
        JsonNode json = TestHttp.json(http.get(path).body());

        HttpResponse<byte[]> g = http.get(path, "Accept", "multipart/mixed");
        assertThat(g.statusCode()).isEqualTo(300);
        String type = g.headers().firstValue("Content-Type").orElseThrow();
        assertThat(type).startsWith("multipart/mixed; boundary=");
        assertThat(g.headers().firstValue("X-Dynamo-Context")).as("the context that covers them all")
                .hasValue(json.path("context").asText());

        List<Part> parts = parse(g.body(), type.substring(type.indexOf("boundary=") + "boundary=".length()));
        assertThat(parts).hasSize(2);
        Map<String, Part> byType = new LinkedHashMap<>();
        parts.forEach(p -> byType.put(p.headers().get("content-type"), p));
        assertThat(byType.get("text/plain; charset=utf-8").body()).isEqualTo(one);
        assertThat(byType.get("application/x-bin").body()).isEqualTo(two);
        List<Long> timestamps = new ArrayList<>();
        json.path("siblings").forEach(s -> timestamps.add(s.path("timestamp_ms").asLong()));
        for (Part p : parts) {
            long ms = Long.parseLong(p.headers().get("x-dynamo-timestamp"));
            assertThat(timestamps).contains(ms);
            ZonedDateTime modified = ZonedDateTime.parse(p.headers().get("last-modified"),
                    DateTimeFormatter.RFC_1123_DATE_TIME);
            assertThat(modified.toInstant().getEpochSecond()).isEqualTo(ms / 1000);
        }

        // the merge written back with the header's context resolves them, as with JSON
        http.stores(path, "merged", "Content-Type", "text/plain", "X-Dynamo-Context",
                g.headers().firstValue("X-Dynamo-Context").orElseThrow());
        HttpResponse<byte[]> one1 = http.get(path, "Accept", "multipart/mixed");
        assertThat(one1.statusCode()).isEqualTo(200);
        assertThat(TestHttp.text(one1.body())).as("one value comes as itself").isEqualTo("merged");
    }

    @Test
    void theBoundaryIsNeverInAValue() {
        String path = "/buckets/b/keys/boundary";
        byte[] sneaky = "--siblings-0\r\n--siblings-1--".getBytes(StandardCharsets.ISO_8859_1);
        siblings(path, sneaky, "text/plain", bytes("plain"), "text/plain");
        HttpResponse<byte[]> g = http.get(path, "Accept", "text/plain, multipart/mixed");
        String type = g.headers().firstValue("Content-Type").orElseThrow();
        String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length());
        assertThat(TestHttp.text(sneaky)).doesNotContain("--" + boundary);
        List<Part> parts = parse(g.body(), boundary);
        assertThat(parts).extracting(p -> TestHttp.text(p.body())).containsExactlyInAnyOrder(
                TestHttp.text(sneaky), "plain");
    }

    // ------------------------------------------------------------------ a multipart/mixed parser (RFC 2046 5.1)

    record Part(Map<String, String> headers, byte[] body) {
    }

    /** The parts of a multipart body: each delimiter is CRLF "--" boundary; headers, an empty line, the bytes. */
    static List<Part> parse(byte[] body, String boundary) {
        byte[] first = ("--" + boundary + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Arrays.copyOf(body, first.length)).as("starts with the first boundary").isEqualTo(first);
        List<Part> parts = new ArrayList<>();
        int at = first.length;
        while (true) {
            int end = indexOf(body, delimiter, at);
            assertThat(end).as("a closing delimiter").isNotNegative();
            parts.add(part(Arrays.copyOfRange(body, at, end)));
            int next = end + delimiter.length;
            String after = new String(body, next, Math.min(4, body.length - next), StandardCharsets.ISO_8859_1);
            if (after.startsWith("--")) {
                assertThat(after).isEqualTo("--\r\n");
                assertThat(next + 4).as("nothing after the close").isEqualTo(body.length);
                return parts;
            }
            assertThat(after).startsWith("\r\n");
            at = next + 2;
        }
    }

    private static Part part(byte[] bytes) {
        int blank = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        assertThat(blank).as("headers end with an empty line").isNotNegative();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : new String(bytes, 0, blank, StandardCharsets.ISO_8859_1).split("\r\n")) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Part(headers, Arrays.copyOfRange(bytes, blank + 4, bytes.length));
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

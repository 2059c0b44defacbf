package io.dynamo.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP calls for the tests of one node's API: with {@link HttpClient}, and over a raw socket for what it will not send. */
final class TestHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    TestHttp(InetSocketAddress http) {
        this.base = "http://" + http.getHostString() + ":" + http.getPort();
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResponse<byte[]> put(String path, String body, String... headers) {
        return send("PUT", path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Stores {@code value} at {@code path} with the given headers; asserts the 204. */
    void stores(String path, String value, String... headers) {
        HttpResponse<byte[]> r = put(path, value, headers);
        assertThat(r.statusCode()).as(text(r.body())).isEqualTo(204);
    }

    /** Asserts that {@code path} holds exactly {@code value}. */
    void holds(String path, String value) {
        HttpResponse<byte[]> r = get(path);
        assertThat(r.statusCode()).as(text(r.body())).isEqualTo(200);
        assertThat(text(r.body())).isEqualTo(value);
    }

    String context(String path) {
        return get(path).headers().firstValue(HttpApi.CONTEXT_HEADER).orElseThrow();
    }

    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text(body), e);
        }
    }

    /** Asserts an error answer: its status, a JSON body with {@code error} and a message; returns the body. */
    static JsonNode error(int status, String contentType, byte[] body, int expectedStatus, String kind) {
        assertThat(status).as("status of %s", text(body)).isEqualTo(expectedStatus);
        assertThat(contentType).isEqualTo("application/json");
        JsonNode json = json(body);
        assertThat(json.path("error").asText()).as(text(body)).isEqualTo(kind);
        assertThat(json.path("message").asText()).isNotBlank();
        return json;
    }

    static JsonNode error(HttpResponse<byte[]> r, int status, String kind) {
        return error(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), status, kind);
    }

    static JsonNode error(Raw.Response r, int status, String kind) {
        return error(r.status(), r.header("content-type"), r.body(), status, kind);
    }

    /** One connection over which requests go as written, and answers are read one by one. */
    static final class Raw implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        record Response(int status, Map<String, String> headers, byte[] body) {
            String header(String name) {
                return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
            }

            String text() {
                return TestHttp.text(body);
            }
        }

        Raw(InetSocketAddress at) {
            try {
                socket = new Socket(at.getHostString(), at.getPort());
                socket.setSoTimeout(10_000);
                in = socket.getInputStream();
            } catch (IOException e) {
                throw new AssertionError("cannot connect to " + at + ": " + e, e);
            }
        }

        Raw write(String text) {
            return write(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        Raw write(byte[] bytes) {
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                throw new AssertionError("write failed: " + e, e);
            }
            return this;
        }

        /** The next answer on the connection, its body as long as its Content-Length says. */
        Response read() {
            Response r = readHeaders();
            try {
                int length = Integer.parseInt(r.headers().getOrDefault("content-length", "0"));
                return new Response(r.status(), r.headers(), in.readNBytes(length));
            } catch (IOException e) {
                throw new AssertionError("read failed: " + e, e);
            }
        }

        /** The status and headers of the next answer, as for HEAD: no body read. */
        Response readHeaders() {
            try {
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        throw new AssertionError("the connection closed after: " + head);
                    }
                    head.write(b);
                }
                String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
                int status = Integer.parseInt(lines[0].split(" ")[1]);
                Map<String, String> headers = new LinkedHashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
                return new Response(status, headers, new byte[0]);
            } catch (IOException e) {
                throw new AssertionError("read failed: " + e, e);
            }
        }

        /** Whether the server has closed the connection (reads end of stream). */
        boolean closedByServer() {
            try {
                return in.read() < 0;
            } catch (IOException e) {
                return true; // reset
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}

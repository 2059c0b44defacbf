package io.dynamo.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The CLI's HTTP calls to a node, with errors turned into one readable line. */
final class HttpCalls {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A call that failed: the message is what the CLI prints. */
    static final class CallException extends RuntimeException {
        final int status;

        CallException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    HttpCalls(String node) {
        String b = node.contains("://") ? node : "http://" + node;
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new CallException(0, "cannot reach " + base + " (is the node running? see 'dynamo dev up')");
        } catch (IOException e) {
            throw new CallException(0, "talking to " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallException(0, "interrupted");
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    /** GET a JSON admin resource; a non-2xx answer becomes a CallException with the server's message. */
    JsonNode getJson(String path) {
        return json(send(request(path).GET()));
    }

    JsonNode postJson(String path) {
        return json(send(request(path).POST(HttpRequest.BodyPublishers.noBody())));
    }

    /** The body as JSON, whatever the status; a body that is not JSON fails with its first line, if that is short text. */
    static JsonNode parse(HttpResponse<byte[]> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            String first = new String(r.body(), StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
            boolean text = !first.isEmpty() && first.length() <= 300 && first.chars().allMatch(c -> c >= ' ' || c == '\t');
            throw new CallException(r.statusCode(), "HTTP " + r.statusCode()
                    + (text ? ": " + first : " with a body that is not JSON"));
        }
    }

    /** The body as JSON of a 2xx answer; any other status becomes a CallException with the server's message. */
    static JsonNode json(HttpResponse<byte[]> r) {
        JsonNode body = parse(r);
        if (r.statusCode() / 100 != 2) {
            throw failure(r.statusCode(), body);
        }
        return body;
    }

    static CallException failure(int status, JsonNode body) {
        String message = body == null ? "" : body.path("message").asText("");
        String kind = body == null ? "" : body.path("error").asText("");
        StringBuilder line = new StringBuilder("HTTP " + status);
        if (!kind.isEmpty()) {
            line.append(' ').append(kind);
        }
        if (!message.isEmpty()) {
            line.append(": ").append(message);
        } else if (body == null || body.isMissingNode()) {
            line.append(" (the answer has no body)");
        }
        if (body != null && body.has("required")) {
            line.append(" (required ").append(body.path("required").asInt()).append(", achieved ")
                    .append(body.path("achieved").asInt()).append(')');
        }
        return new CallException(status, line.toString());
    }
}

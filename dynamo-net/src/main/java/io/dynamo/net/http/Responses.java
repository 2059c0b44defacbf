package io.dynamo.net.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** The HTTP API's response builders: JSON (indented, or compact for the dashboard), text, errors, redirects. */
final class Responses {

    static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {
    }

    static CompletableFuture<FullHttpResponse> done(FullHttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    /** The error's status and JSON body; a 503 says when to retry. */
    static FullHttpResponse error(HttpError e) {
        FullHttpResponse r = json(e.status, e.body);
        e.headers.forEach(r.headers()::set);
        if (e.status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        return r;
    }

    static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        try {
            return bytes(status, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 200 with {@code body} unindented: for the dashboard's large, frequent answers. */
    static FullHttpResponse compactJson(JsonNode body) {
        try {
            return bytes(HttpResponseStatus.OK, JSON.writeValueAsBytes(body), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
        return bytes(status, body.getBytes(StandardCharsets.UTF_8), type);
    }

    static FullHttpResponse bytes(HttpResponseStatus status, byte[] body, String type) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return r;
    }

    static FullHttpResponse redirect(String location) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        return r;
    }
}

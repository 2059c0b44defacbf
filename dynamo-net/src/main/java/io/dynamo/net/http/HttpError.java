package io.dynamo.net.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.core.versioning.InvalidContextException;
import io.dynamo.net.server.BucketAccess;
import io.dynamo.server.coordinator.DynamoException;
import io.dynamo.server.coordinator.InsufficientReplicasException;
import io.dynamo.server.coordinator.InvalidRequestException;
import io.dynamo.server.coordinator.OverloadedException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request answered with an error status and the one JSON shape every refusal of the HTTP API
 * has: {@code {"error": KIND, "message": ...}}, plus fields of the kind's own (a limit and the
 * size that broke it, the quorum counts). {@link #of} maps whatever a request failed with to one.
 */
final class HttpError extends RuntimeException {

    private static final Logger LOG = LoggerFactory.getLogger(HttpError.class);

    final HttpResponseStatus status;
    final ObjectNode body;
    /** Headers the answer carries besides the body's, e.g. {@code Allow} on a 405. */
    final Map<String, String> headers = new LinkedHashMap<>();

    HttpError(HttpResponseStatus status, String kind, String message) {
        super(message, null, false, false);
        this.status = status;
        this.body = JsonNodeFactory.instance.objectNode().put("error", kind).put("message", message);
    }

    static HttpError badRequest(String message) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_request", message);
    }

    /** This error with a number field of its own, e.g. the {@code limit} that was exceeded. */
    HttpError with(String field, long value) {
        body.put(field, value);
        return this;
    }

    /** This error with a header of the answer's own. */
    HttpError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The error's kind, its body's {@code error}: what metrics count a failed request under. */
    String kind() {
        return body.path("error").asText("error");
    }

    /** What a request that failed with {@code t} is answered with. */
    static HttpError of(Throwable t) {
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
            case OverloadedException o -> new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded",
                    o.getMessage()).with("limit", o.limit());
            case InvalidRequestException i -> badRequest(i.getMessage());
            case DynamoException d -> new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, d.kind(), d.getMessage());
            case InvalidContextException c -> new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_context",
                    c.getMessage());
            case BucketAccess.UnknownBucketException u -> new HttpError(HttpResponseStatus.NOT_FOUND,
                    "unknown_bucket", u.getMessage());
            case TimeoutException te -> new HttpError(HttpResponseStatus.GATEWAY_TIMEOUT, "timeout",
                    "the node did not answer in time");
            case IllegalArgumentException ia -> badRequest(ia.getMessage());
            default -> {
                LOG.error("HTTP request failed", e);
                yield new HttpError(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal", e.toString());
            }
        };
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}

package io.dynamo.net.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.core.storage.Content;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.PutResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The answers to key requests (see {@code docs/api.md}): one value as itself; siblings as
 * {@code 300 Multiple Choices}, in JSON by default or, for a client that accepts it, as
 * {@code multipart/mixed} as Riak sends them, one part per sibling with its own
 * {@code Content-Type}, {@code Last-Modified} and {@code X-Dynamo-Timestamp}; a write's context,
 * stored siblings or receipt. The context that covers every value is always in
 * {@code X-Dynamo-Context}.
 */
final class KeyResponses {

    static final String TIMESTAMP = "X-Dynamo-Timestamp";

    /** HTTP's date format (RFC 9110 section 5.6.7), always in GMT. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private KeyResponses() {
    }

    /** A get's answer: 200 with the value, 300 with the siblings (multipart if asked for), or 404. */
    static FullHttpResponse get(GetResult r, boolean multipart) {
        List<Content> live = r.contents();
        FullHttpResponse response;
        if (live.isEmpty()) {
            response = Responses.json(HttpResponseStatus.NOT_FOUND, Responses.JSON.createObjectNode()
                    .put("error", "not_found").put("message", "no value for this key"));
        } else if (live.size() == 1) {
            Content c = live.get(0);
            FullHttpResponse one = Responses.bytes(HttpResponseStatus.OK, c.value(), c.contentType());
            metadata(c, (name, value) -> one.headers().set(name, value));
            response = one;
        } else if (multipart) {
            response = multipart(live);
        } else {
            response = Responses.json(HttpResponseStatus.MULTIPLE_CHOICES, siblings(r.values(), r.context()));
        }
        if (!r.context().isEmpty() || !live.isEmpty()) {
            response.headers().set(KeyHeaders.CONTEXT, KeyHeaders.encode(r.context()));
        }
        return response;
    }

    /** The siblings and their context as JSON: each value in base64, with its content type and timestamp. */
    static ObjectNode siblings(List<Versioned<Content>> values, VersionVector context) {
        ObjectNode body = Responses.JSON.createObjectNode();
        ArrayNode list = body.putArray("siblings");
        for (Versioned<Content> v : values) {
            list.addObject().put("value", Base64.getEncoder().encodeToString(v.value().value()))
                    .put("content_type", v.value().contentType())
                    .put("timestamp_ms", v.value().timestampMillis());
        }
        body.put("context", KeyHeaders.encode(context));
        return body;
    }

    /** A write's answer: 204, or 200 with the stored siblings and/or the receipt; the new context in the header. */
    static FullHttpResponse put(PutResult r, boolean returnBody, boolean receipt) {
        FullHttpResponse response;
        if (!returnBody && !receipt) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        } else {
            ObjectNode body = returnBody ? siblings(r.values(), r.context())
                    : Responses.JSON.createObjectNode().put("context", KeyHeaders.encode(r.context()));
            if (receipt) {
                ObjectNode rec = body.putObject("receipt");
                ArrayNode acked = rec.putArray("acknowledged");
                r.receipt().acknowledged().forEach(id -> acked.add(id.value()));
                ObjectNode fb = rec.putObject("fallbacks");
                r.receipt().fallbacks().forEach((standIn, owner) -> fb.put(standIn.value(), owner.value()));
                rec.put("durable", r.receipt().durable());
            }
            response = Responses.json(HttpResponseStatus.OK, body);
        }
        response.headers().set(KeyHeaders.CONTEXT, KeyHeaders.encode(r.context()));
        return response;
    }

    /**
     * A 300 whose body is {@code multipart/mixed} (RFC 2046 section 5.1): each sibling a part
     * with its own headers, then its bytes as stored. The boundary is the first of a fixed
     * sequence that no value contains, so that no value can end its part early.
     */
    static FullHttpResponse multipart(List<Content> siblings) {
        String boundary = boundary(siblings);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Content c : siblings) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n");
            head.append(HttpHeaderNames.CONTENT_TYPE).append(": ").append(c.contentType()).append("\r\n");
            metadata(c, (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(c.value());
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return Responses.bytes(HttpResponseStatus.MULTIPLE_CHOICES, out.toByteArray(),
                "multipart/mixed; boundary=" + boundary);
    }

    private static String boundary(List<Content> siblings) {
        for (int i = 0; ; i++) {
            byte[] delimiter = ("--siblings-" + Integer.toString(i, 36)).getBytes(StandardCharsets.ISO_8859_1);
            boolean used = false;
            for (Content c : siblings) {
                used |= contains(c.value(), delimiter);
            }
            if (!used) {
                return "siblings-" + Integer.toString(i, 36);
            }
        }
    }

    private static boolean contains(byte[] value, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= value.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (value[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The headers a value's metadata gives it, in a response of its own or in its part. */
    private static void metadata(Content c, BiConsumer<String, String> header) {
        header.accept(TIMESTAMP, Long.toString(c.timestampMillis()));
        header.accept(HttpHeaderNames.LAST_MODIFIED.toString(),
                HTTP_DATE.format(Instant.ofEpochMilli(c.timestampMillis())));
    }
}

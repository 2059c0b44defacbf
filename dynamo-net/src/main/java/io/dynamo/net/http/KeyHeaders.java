package io.dynamo.net.http;

import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.InvalidContextException;
import io.dynamo.core.versioning.VersionVector;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Base64;
import java.util.Locale;

/**
 * The request headers of a key request that mean something to this API, read and checked:
 * the causal context ({@code X-Dynamo-Context}, base64url of the context codec's bytes), Riak's
 * {@code X-Riak-Vclock} refused on writes rather than ignored, and whether the client takes
 * siblings as {@code multipart/mixed}. Every refusal names the header and what to send instead.
 */
final class KeyHeaders {

    /** The header carrying the opaque causal context. */
    static final String CONTEXT = "X-Dynamo-Context";
    /** Riak's name for the context: a Riak client sends it, and it means nothing here. */
    static final String RIAK_VCLOCK = "X-Riak-Vclock";

    private static final String SEND_BACK = "; send back the header a read returned, unchanged";

    private KeyHeaders() {
    }

    /**
     * The context a write sends (empty without one). A write carrying Riak's {@code X-Riak-Vclock}
     * is refused: taken silently as a blind write, it would become a sibling of what it meant to
     * replace.
     */
    static VersionVector writeContext(HttpHeaders headers) {
        if (headers.contains(RIAK_VCLOCK)) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_context", RIAK_VCLOCK + " is Riak's header; "
                    + "this store takes the context from a read's " + CONTEXT + " header: send that back instead "
                    + "(nothing was written)");
        }
        return context(headers);
    }

    /** The context in {@code headers}; empty without one. */
    static VersionVector context(HttpHeaders headers) {
        String header = headers.get(CONTEXT);
        if (header == null || header.isBlank()) {
            return VersionVector.empty();
        }
        byte[] bytes = base64Url(CONTEXT, header.trim());
        try {
            return ContextCodec.decode(bytes);
        } catch (InvalidContextException e) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_context", CONTEXT + " does not decode: "
                    + e.getMessage() + SEND_BACK);
        }
    }

    /** The context as the header carries it. */
    static String encode(VersionVector context) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ContextCodec.encode(context));
    }

    /**
     * The bytes of {@code text}, base64url with or without padding; a bad character is named as
     * itself with its position (the JDK's decoder names it in hex).
     */
    static byte[] base64Url(String header, String text) {
        int end = text.length();
        while (end > 0 && end > text.length() - 2 && text.charAt(end - 1) == '=') {
            end--;
        }
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                String hint = c == '+' || c == '/' ? " (in base64url '-' and '_' stand for '+' and '/')"
                        : c == '=' ? " (padding belongs only at the end)" : "";
                throw new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_context", header
                        + " is not valid base64url: " + describe(c) + " at position " + i + " (counting from 0)"
                        + hint + SEND_BACK);
            }
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_context", header + " is not valid base64url: "
                    + text.length() + " characters cannot encode whole bytes (was it cut short?)" + SEND_BACK);
        }
    }

    /** A character as a message shows it: itself in quotes if it is printable ASCII, else its code point. */
    static String describe(char c) {
        return c > ' ' && c < 0x7f ? "'" + c + "'" : c == ' ' ? "' ' (a space)"
                : String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    /**
     * Whether the client asks for siblings as {@code multipart/mixed}, as Riak's clients do: its
     * {@code Accept} names that type (with a quality above 0) and no higher quality for JSON.
     */
    static boolean wantsMultipart(HttpHeaders headers) {
        double multipart = 0;
        double json = 0;
        for (String accept : headers.getAll(HttpHeaderNames.ACCEPT)) {
            for (String range : accept.split(",")) {
                String[] parts = range.split(";");
                String type = parts[0].trim().toLowerCase(Locale.ROOT);
                double q = quality(parts);
                if (type.equals("multipart/mixed")) {
                    multipart = Math.max(multipart, q);
                } else if (type.equals("application/json")) {
                    json = Math.max(json, q);
                }
            }
        }
        return multipart > 0 && multipart >= json;
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String p = parameters[i].trim();
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}

package io.dynamo.client;

import io.dynamo.core.versioning.ContextCodec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The opaque causal context of a key: what a read (or write) returns and the next write of the
 * key carries, so that the write supersedes exactly the values its writer saw. Pass it back
 * unchanged; {@link #EMPTY} is the context of a blind write.
 *
 * <p>The bytes are those the HTTP API carries, base64url-encoded without padding, in its
 * {@code X-Dynamo-Context} header: {@link #toBase64()} and {@link #fromBase64} convert, so a
 * context can move between the two APIs (and be stored as text).
 */
public final class Context {

    /** The empty context: a write with it (a blind write) supersedes nothing. */
    public static final Context EMPTY = new Context(new byte[0]);

    private final byte[] bytes;

    private Context(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The context with these bytes (as a response or {@link #toBytes()} gave them); copied. */
    public static Context of(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return EMPTY;
        }
        return new Context(bytes.clone());
    }

    /**
     * The context an {@code X-Dynamo-Context} header (or {@link #toBase64()}) holds: base64url,
     * with or without padding. Blank text is {@link #EMPTY}.
     *
     * @throws InvalidContextException if the text is not base64url of a valid context
     */
    public static Context fromBase64(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidContextException("the context is not base64url: " + e.getMessage(), e);
        }
        try {
            if (ContextCodec.decode(bytes).isEmpty()) {
                return EMPTY;
            }
        } catch (io.dynamo.core.versioning.InvalidContextException e) {
            throw new InvalidContextException(e.getMessage(), e);
        }
        return new Context(bytes);
    }

    /** Base64url without padding, as the HTTP API's {@code X-Dynamo-Context} header; "" for {@link #EMPTY}. */
    public String toBase64() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A copy of the bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Whether this is the empty context (of a key never written, or a blind write). */
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Context c && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Context[" + toBase64() + "]";
    }
}

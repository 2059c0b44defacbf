package io.dynamo.core.versioning;

/**
 * A context handed back by a client could not be decoded: it is truncated, has trailing bytes,
 * an unknown format version, a malformed or out-of-range number, or is not in canonical form.
 * This is the only exception {@link ContextCodec#decode(byte[])} throws for bad input; callers map
 * it to an "invalid request" error, and the request changes nothing.
 */
public final class InvalidContextException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidContextException(String message) {
        super(message);
    }

    public InvalidContextException(String message, Throwable cause) {
        super(message, cause);
    }
}

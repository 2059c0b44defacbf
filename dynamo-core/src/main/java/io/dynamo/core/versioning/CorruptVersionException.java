package io.dynamo.core.versioning;

/**
 * Stored or received bytes do not decode to a valid {@link Siblings} set: truncated, trailing
 * bytes, unknown format version, malformed or out-of-range numbers, values whose dots the context
 * does not cover, non-canonical order, or value bytes the value decoder rejected. This is the only
 * exception {@link SiblingsCodec#decode(byte[])} throws for bad input.
 *
 * <p>Kept apart from {@link InvalidContextException} because the two mean different things to a
 * caller: a bad client context is the client's mistake, while a corrupt sibling set is damage in
 * storage or on the wire between nodes, to be reported and never returned as data.
 */
public final class CorruptVersionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CorruptVersionException(String message) {
        super(message);
    }

    public CorruptVersionException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.dynamo.core.merkle;

/**
 * Bytes given to {@link TreeCodec#decode(byte[])} are not a tree: wrong format version,
 * truncated, a bad checksum, an impossible shape or an entry out of place. The only exception
 * decoding throws for bad bytes; the message says what was wrong and where.
 */
public final class MerkleFormatException extends RuntimeException {

    public MerkleFormatException(String message) {
        super(message);
    }

    public MerkleFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

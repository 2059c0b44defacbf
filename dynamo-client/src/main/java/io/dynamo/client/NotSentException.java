package io.dynamo.client;

/**
 * Internal: the request provably never reached a node (the connection could not be made, or the
 * write failed before the frame left the client), so it may be sent elsewhere, even a write.
 * Surfaces as {@link UnavailableException} when no node is left to try.
 */
final class NotSentException extends DynamoClientException {

    private static final long serialVersionUID = 1L;

    NotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}

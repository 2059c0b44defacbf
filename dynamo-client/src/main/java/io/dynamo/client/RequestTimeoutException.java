package io.dynamo.client;

/**
 * No answer came before the request's deadline (or the node gave up waiting for replicas). The
 * outcome of a write is unknown: it may have been applied. Writes are never retried after a
 * timeout.
 */
public class RequestTimeoutException extends DynamoClientException {

    private static final long serialVersionUID = 1L;

    public RequestTimeoutException(String message) {
        super(message);
    }
}

package io.dynamo.client;

/**
 * A request failed. The subclasses say what the caller can do about it; this class itself is used
 * for failures with no better type (a bug in a node, a client that is closed, an interrupt).
 * Unchecked.
 */
public class DynamoClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DynamoClientException(String message) {
        super(message);
    }

    public DynamoClientException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.dynamo.client;

/**
 * The connection to the node closed after the request was sent and before it was answered. The
 * outcome of a write is unknown (it may have been applied), so writes are not retried; reads are
 * retried on another replica, and this is thrown only when none is left.
 */
public class ConnectionLostException extends DynamoClientException {

    private static final long serialVersionUID = 1L;

    public ConnectionLostException(String message) {
        super(message);
    }
}

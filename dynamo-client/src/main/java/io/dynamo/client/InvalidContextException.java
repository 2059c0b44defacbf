package io.dynamo.client;

/**
 * A context does not decode: it was not one a read or write returned, or was altered. Nothing was
 * done. Send back contexts unchanged.
 */
public class InvalidContextException extends DynamoClientException {

    private static final long serialVersionUID = 1L;

    public InvalidContextException(String message) {
        super(message);
    }

    public InvalidContextException(String message, Throwable cause) {
        super(message, cause);
    }
}

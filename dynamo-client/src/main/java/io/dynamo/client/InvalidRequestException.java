package io.dynamo.client;

/**
 * The request is malformed: a bad namespace, key, value, quorum (such as W above the namespace's
 * N) or timeout. Nothing was done; retrying the same request fails the same way.
 */
public class InvalidRequestException extends DynamoClientException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}

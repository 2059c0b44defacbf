package io.dynamo.client;

/**
 * No node could serve the request: none was reachable (the request never left the client), or the
 * node that got it could not coordinate it (it is stopping, has not joined, or reaches none of the
 * key's owners). Nothing is known to have been written, so it is safe to retry; the client
 * refreshes its ring when it sees one.
 */
public class UnavailableException extends DynamoClientException {

    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.dynamo.server.coordinator;

/**
 * The request could not be coordinated: no node of the key's top N was reachable to coordinate a
 * write, or the one it was forwarded to did not answer. Nothing is known to have been written.
 */
public final class UnavailableException extends DynamoException {

    public UnavailableException(String message) {
        super(message);
    }

    @Override
    public String kind() {
        return "unavailable";
    }
}

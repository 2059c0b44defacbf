package io.dynamo.server.coordinator;

/**
 * The failures a client of the store sees, one subclass per thing it can do about them: retry
 * later ({@link OverloadedException}, {@link UnavailableException}), lower its quorum or wait for
 * replicas ({@link InsufficientReplicasException}), or fix its request
 * ({@link InvalidRequestException}).
 */
public abstract sealed class DynamoException extends RuntimeException
        permits InsufficientReplicasException, OverloadedException, InvalidRequestException, UnavailableException {

    DynamoException(String message) {
        super(message, null, false, false);
    }

    /** A short stable name for the kind of failure, as the HTTP API and forwarded puts carry it. */
    public abstract String kind();
}

package io.dynamo.client;

/**
 * A node refused the request because it is at its limit of requests (or the connection at its
 * limit of requests in flight); nothing was done. Retry later or elsewhere: reads are retried on
 * another replica, and {@link DynamoClient#update} retries its read-modify-write.
 */
public class OverloadedException extends DynamoClientException {

    private static final long serialVersionUID = 1L;

    private final int limit;

    public OverloadedException(int limit, String message) {
        super(message);
        this.limit = limit;
    }

    /** The limit that was reached (0 if the node did not say). */
    public int limit() {
        return limit;
    }
}

package io.dynamo.server.coordinator;

/**
 * The node already coordinates as many requests as it is allowed to; nothing was done. Retry
 * later or elsewhere.
 */
public final class OverloadedException extends DynamoException {

    private final int limit;

    public OverloadedException(int limit) {
        super("node is coordinating its limit of " + limit + " requests; retry later");
        this.limit = limit;
    }

    @Override
    public String kind() {
        return "overloaded";
    }

    public int limit() {
        return limit;
    }
}

package io.dynamo.server.coordinator;

/** The request is malformed (bad namespace, key, value, context or option); nothing was done. */
public final class InvalidRequestException extends DynamoException {

    public InvalidRequestException(String message) {
        super(message);
    }

    @Override
    public String kind() {
        return "invalid";
    }
}

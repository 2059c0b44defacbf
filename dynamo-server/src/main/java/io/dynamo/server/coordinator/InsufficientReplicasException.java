package io.dynamo.server.coordinator;

import io.dynamo.core.ring.NodeId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fewer replicas answered than the request's quorum needed: {@code achieved} of {@code required}
 * (for a write, and {@code achievedDurable} of {@code requiredDurable} durable ones). The write
 * may still have reached some replicas, and will spread from them; a read may be retried with a
 * lower R.
 */
public final class InsufficientReplicasException extends DynamoException {

    private final String operation;
    private final int required;
    private final int achieved;
    private final int requiredDurable;
    private final int achievedDurable;
    private final Map<NodeId, String> failures;

    public InsufficientReplicasException(String operation, int required, int achieved, int requiredDurable,
            int achievedDurable, Map<NodeId, String> failures) {
        super(message(operation, required, achieved, requiredDurable, achievedDurable, failures));
        this.operation = operation;
        this.required = required;
        this.achieved = achieved;
        this.requiredDurable = requiredDurable;
        this.achievedDurable = achievedDurable;
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    private static String message(String operation, int required, int achieved, int requiredDurable,
            int achievedDurable, Map<NodeId, String> failures) {
        StringBuilder b = new StringBuilder(operation).append(" reached ").append(achieved).append(" of ")
                .append(required).append(" required replicas");
        if (requiredDurable > 0 && achievedDurable < requiredDurable) {
            b.append(" (").append(achievedDurable).append(" of ").append(requiredDurable).append(" durable)");
        }
        if (!failures.isEmpty()) {
            b.append("; failures: ").append(failures);
        }
        return b.toString();
    }

    @Override
    public String kind() {
        return "insufficient";
    }

    /** {@code get}, {@code put} or {@code delete}. */
    public String operation() {
        return operation;
    }

    public int required() {
        return required;
    }

    public int achieved() {
        return achieved;
    }

    public int requiredDurable() {
        return requiredDurable;
    }

    public int achievedDurable() {
        return achievedDurable;
    }

    /** Why each failed replica failed, in the order the failures were seen. */
    public Map<NodeId, String> failures() {
        return failures;
    }
}

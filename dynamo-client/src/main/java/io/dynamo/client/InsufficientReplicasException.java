package io.dynamo.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fewer replicas answered than the request's quorum needed: {@link #achieved} of
 * {@link #required} (for a write, {@link #achievedDurable} of {@link #requiredDurable} durable
 * ones). A write may still have reached some replicas and will spread from them, so its outcome
 * is unknown; it is not retried. A read may be retried with a lower R.
 */
public class InsufficientReplicasException extends DynamoClientException {

    private static final long serialVersionUID = 1L;

    private final int required;
    private final int achieved;
    private final int requiredDurable;
    private final int achievedDurable;
    private final Map<String, String> failures;

    public InsufficientReplicasException(int required, int achieved, int requiredDurable, int achievedDurable,
            Map<String, String> failures, String message) {
        super(message);
        this.required = required;
        this.achieved = achieved;
        this.requiredDurable = requiredDurable;
        this.achievedDurable = achievedDurable;
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** Replies (for a read) or acknowledgements (for a write) the quorum needed. */
    public int required() {
        return required;
    }

    /** Replies or acknowledgements received. */
    public int achieved() {
        return achieved;
    }

    /** Durable acknowledgements a write needed. */
    public int requiredDurable() {
        return requiredDurable;
    }

    /** Durable acknowledgements a write received. */
    public int achievedDurable() {
        return achievedDurable;
    }

    /** Why each failed replica failed: node id to reason. */
    public Map<String, String> failures() {
        return failures;
    }
}

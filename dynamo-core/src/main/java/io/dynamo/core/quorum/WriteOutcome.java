package io.dynamo.core.quorum;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a write answers, once its {@link WriteTally} is done.
 *
 * @param <R> the replica id type
 */
public sealed interface WriteOutcome<R> {

    /** W acknowledgements, DW of them durable, were reached. */
    record Success<R>(Receipt<R> receipt) implements WriteOutcome<R> {
    }

    /** W or DW can no longer be reached. */
    record Insufficient<R>(int requiredW, int achievedW, int requiredDW, int achievedDW,
                           Map<R, String> failures) implements WriteOutcome<R> {
        public Insufficient {
            failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        }
    }

    /**
     * Who acknowledged a write, for the client's write receipt.
     *
     * @param acknowledged every replica that acknowledged, in reply order
     * @param fallbacks each acknowledging fallback, mapped to the owner it stands in for
     * @param durable how many acknowledgements were durable
     */
    record Receipt<R>(Set<R> acknowledged, Map<R, R> fallbacks, int durable) {
        public Receipt {
            acknowledged = Collections.unmodifiableSet(new LinkedHashSet<>(acknowledged));
            fallbacks = Collections.unmodifiableMap(new LinkedHashMap<>(fallbacks));
        }

        /** Whether any acknowledgement came from a fallback rather than an owner. */
        public boolean usedFallbacks() {
            return !fallbacks.isEmpty();
        }
    }
}

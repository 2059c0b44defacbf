package io.dynamo.client;

import java.util.List;

/**
 * Reconciles concurrent siblings into one value (section 4.4 of the Dynamo paper: the application
 * merges). Called by {@link DynamoClient#update} only when a key holds two or more siblings; the
 * result is the value the {@link Mutator} then sees. It must not block for long: it may run on a
 * shared pool.
 */
@FunctionalInterface
public interface Resolver {

    /** The one value {@code siblings} (two or more, in a stable order) reconcile to. */
    byte[] resolve(List<Sibling> siblings);

    /** Keeps the sibling with the latest timestamp (last writer wins, by the nodes' clocks). */
    static Resolver lastWriterWins() {
        return siblings -> {
            Sibling latest = siblings.get(0);
            for (Sibling s : siblings) {
                if (s.timestampMillis() > latest.timestampMillis()) {
                    latest = s;
                }
            }
            return latest.value();
        };
    }
}

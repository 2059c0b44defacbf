package io.dynamo.bench.load;

/**
 * What the measured operations saw besides their latency.
 *
 * @param readsWithSiblings reads that returned two or more siblings (concurrent writes, typically
 *     updates of one hot key by two threads at once)
 * @param readsNotFound reads of a key with no value (deleted, or never loaded)
 * @param updatesThatReadFirst updates whose key's context was not in the cache, so they read the
 *     key first (get then put, counted as one update)
 * @param deletesThatReadFirst the same for deletes
 * @param rmwResolvedSiblings read-modify-writes that found siblings and resolved them (the
 *     sibling with the latest timestamp wins)
 * @param inserts inserts that succeeded (keys added to the store beyond the records)
 * @param clampedLatencies operations slower than 60 s, recorded as 60 s
 * @param siblingReads where the siblings those reads saw came from, and whether later writes merged them
 */
public record Counters(long readsWithSiblings, long readsNotFound, long updatesThatReadFirst,
        long deletesThatReadFirst, long rmwResolvedSiblings, long inserts, long clampedLatencies,
        SiblingReads siblingReads) {

    public Counters {
        java.util.Objects.requireNonNull(siblingReads, "siblingReads");
    }
}

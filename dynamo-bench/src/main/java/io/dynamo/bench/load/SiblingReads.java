package io.dynamo.bench.load;

/**
 * What the reads that saw siblings tell about where siblings come from and whether they last.
 *
 * @param reads measured reads that returned two or more siblings
 * @param keys distinct keys among them (few keys: hot keys)
 * @param byDifferentThreads of those reads, the ones whose siblings were written by two or more
 *     different worker threads (each value carries its writer's number); -1 when values are too
 *     short to carry it
 * @param merged of those reads, the ones whose siblings a later update or delete of the key
 *     superseded: it carried a context that covers the read's (every sibling the read saw)
 * @param open the ones no later update or delete covered before the run ended
 */
public record SiblingReads(long reads, long keys, long byDifferentThreads, long merged, long open) {

    /** No read saw siblings. */
    public static final SiblingReads NONE = new SiblingReads(0, 0, 0, 0, 0);
}

package io.dynamo.server.coordinator;

/**
 * One delete: a {@link PutFsm} whose value is a tombstone, so that the delete replicates, counts
 * toward W and is ordered causally like any write; reads hide tombstones but return their
 * context, so a later put supersedes the delete instead of becoming its sibling.
 *
 * <p>Tombstones are kept: none is purged yet. Purging safely needs more than the N owners'
 * acknowledgements (a fallback may still hold an older hint for the key and would bring the
 * value back on delivery); docs/design/coordination.md describes the plan.
 */
final class DeleteFsm {

    private final PutFsm put;

    DeleteFsm(PutFsm put) {
        if (!"delete".equals(put.operation)) {
            throw new IllegalArgumentException("a delete is a put of a tombstone");
        }
        this.put = put;
    }

    void start() {
        put.start();
    }
}

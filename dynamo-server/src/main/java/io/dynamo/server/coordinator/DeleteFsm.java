package io.dynamo.server.coordinator;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.versioning.Siblings;
import java.util.ArrayList;
import java.util.List;

/**
 * One delete: a {@link PutFsm} whose value is a tombstone, so that the delete replicates, counts
 * toward W and is ordered causally like any write; reads hide tombstones but return their
 * context, so a later put supersedes the delete instead of becoming its sibling. Then, in the
 * background, the tombstone's purge:
 *
 * <ol>
 *   <li>{@link State#AWAITING_ACKS}: the put runs to its end. Only if every one of the key's N
 *       owners acknowledged the tombstone itself (no fallback stood in for any) does the purge
 *       go on; otherwise the tombstone is kept.</li>
 *   <li>{@link State#AWAITING_GRACE}: the tombstone grace passes, so that replica writes, read
 *       repairs and hint deliveries of older values still in flight have landed.</li>
 *   <li>{@link State#CHECKING}: {@link TombstonePurge} asks every node of the ring what it holds
 *       for the key. The purge goes on only if all answer, no node holds a hint for the key (a
 *       fallback's hint written before the delete would bring the value back once delivered),
 *       and every owner holds exactly the state the coordinator wrote; then each owner removes
 *       the key if its state is still exactly that one (a write that arrived meanwhile keeps
 *       it).</li>
 * </ol>
 *
 * Every step errs on the side of keeping the tombstone: a node that does not answer, a hint
 * anywhere, or a state that moved stops the purge for good.
 */
final class DeleteFsm {

    enum State { AWAITING_ACKS, AWAITING_GRACE, CHECKING, KEPT, PURGED }

    private final Coordinator c;
    private final PutFsm put;
    /** The epoch of the ring the delete was made on. */
    private final long epoch;
    private State state = State.AWAITING_ACKS;
    private Siblings<Content> tombstone;
    private final List<NodeId> owners = new ArrayList<>();

    DeleteFsm(Coordinator c, PutFsm put) {
        if (!"delete".equals(put.operation)) {
            throw new IllegalArgumentException("a delete is a put of a tombstone");
        }
        this.c = c;
        this.put = put;
        this.epoch = c.ringEpoch();
        put.onDone(this::afterPut);
    }

    State state() {
        return state;
    }

    void start() {
        put.start();
    }

    private void afterPut() {
        tombstone = put.written();
        owners.addAll(put.preferenceList.primaries());
        boolean onlyTombstones = tombstone != null && !tombstone.isEmpty()
                && tombstone.values().stream().allMatch(v -> v.value().isTombstone());
        if (!onlyTombstones || !put.ownersAcknowledged().containsAll(owners)) {
            keep();
            return;
        }
        state = State.AWAITING_GRACE;
        c.scheduler.schedule(c.config.tombstoneGrace(), this::check);
    }

    private void check() {
        if (c.ringChanging() || c.ringEpoch() != epoch) {
            // The owners the tombstone reached may not be the owners any more, or a new owner may
            // be streaming the value from before the delete: keep the tombstone.
            keep();
            return;
        }
        state = State.CHECKING;
        c.tombstonePurge().run(put.preferenceList.partition(), put.key, tombstone, owners, c.members(), purged -> {
            if (!purged) {
                keep();
                return;
            }
            state = State.PURGED;
            c.purgesStarted++;
        });
    }

    private void keep() {
        state = State.KEPT;
        c.tombstonesKept++;
    }
}

package io.dynamo.server.coordinator;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.Purge;
import io.dynamo.server.transport.Message.PurgeCheck;
import io.dynamo.server.transport.Message.PurgeCheckReply;
import io.dynamo.server.transport.Requests;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 *   <li>{@link State#CHECKING}: every node of the ring is asked what it holds for the key. The
 *       purge goes on only if all answer, no node holds a hint for the key (a fallback's hint
 *       written before the delete would bring the value back once delivered), and every owner
 *       holds exactly the state the coordinator wrote.</li>
 *   <li>{@link State#PURGING}: each owner removes the key if its state is still exactly that
 *       one; a write that arrived meanwhile keeps it.</li>
 * </ol>
 *
 * Every step errs on the side of keeping the tombstone: a node that does not answer, a hint
 * anywhere, or a state that moved stops the purge for good.
 */
final class DeleteFsm {

    enum State { AWAITING_ACKS, AWAITING_GRACE, CHECKING, PURGING, KEPT, PURGED }

    private final Coordinator c;
    private final PutFsm put;
    /** The epoch of the ring the delete was made on. */
    private final long epoch;
    private State state = State.AWAITING_ACKS;
    private Siblings<Content> tombstone;
    private int answersLeft;
    private final List<NodeId> owners = new ArrayList<>();
    private final Set<NodeId> unexpected = new HashSet<>();

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
        List<NodeId> everyone = c.members();
        answersLeft = everyone.size();
        int partition = put.preferenceList.partition();
        for (NodeId node : everyone) {
            if (node.equals(c.self())) {
                checkLocally(partition);
                continue;
            }
            c.requests.send(node, id -> new PurgeCheck(id, partition, put.key, owners), c.config.replicaTimeout(),
                    new Requests.Callback() {
                        @Override
                        public void onReply(Message reply) {
                            boolean fine = reply instanceof PurgeCheckReply r && r.ok() && !r.holdsHint()
                                    && (owners.contains(node) ? tombstone.equals(r.state()) : r.state().isEmpty());
                            answered(node, fine);
                        }

                        @Override
                        public void onTimeout() {
                            answered(node, false);
                        }
                    });
        }
    }

    /** The coordinator's own check, like a remote one: no hint, the tombstone, and it durable. */
    private void checkLocally(int partition) {
        NodeId self = c.self();
        try {
            for (NodeId owner : owners) {
                if (c.storage.hints().get(owner, put.key).isPresent()) {
                    answered(self, false);
                    return;
                }
            }
            Siblings<Content> local = c.storage.get(partition, put.key);
            if (!tombstone.equals(local)) {
                answered(self, owners.contains(self) ? false : local.isEmpty());
                return;
            }
            var durable = c.storage.merge(partition, put.key, local, io.dynamo.core.storage.Durability.DURABLE).durable();
            if (durable.isDone() && !durable.isCompletedExceptionally()) {
                answered(self, true);
            } else {
                durable.whenComplete((ok, error) -> c.scheduler.execute(() -> answered(self, error == null)));
            }
        } catch (RuntimeException e) {
            answered(self, false);
        }
    }

    private void answered(NodeId node, boolean fine) {
        if (state != State.CHECKING) {
            return;
        }
        if (!fine) {
            unexpected.add(node);
        }
        if (--answersLeft > 0) {
            return;
        }
        if (!unexpected.isEmpty()) {
            keep();
            return;
        }
        state = State.PURGING;
        int partition = put.preferenceList.partition();
        for (NodeId owner : owners) {
            if (owner.equals(c.self())) {
                try {
                    c.storage.removeIfUnchanged(partition, put.key, tombstone);
                } catch (RuntimeException e) {
                    // The tombstone stays here; it is harmless, and a read repairs the others with it.
                }
                continue;
            }
            c.requests.send(owner, id -> new Purge(id, partition, put.key, tombstone), c.config.replicaTimeout(),
                    new Requests.Callback() {
                        @Override
                        public void onReply(Message reply) {
                        }

                        @Override
                        public void onTimeout() {
                        }
                    });
        }
        state = State.PURGED;
        c.purgesStarted++;
    }

    private void keep() {
        state = State.KEPT;
        c.tombstonesKept++;
    }
}

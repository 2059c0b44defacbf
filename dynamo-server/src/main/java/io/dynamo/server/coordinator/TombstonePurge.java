package io.dynamo.server.coordinator;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.Scheduler;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.Purge;
import io.dynamo.server.transport.Message.PurgeCheck;
import io.dynamo.server.transport.Message.PurgeCheckReply;
import io.dynamo.server.transport.Requests;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The last two steps of a tombstone's purge, shared by a delete's coordinator ({@link DeleteFsm})
 * and the anti-entropy sweep that purges tombstones left behind
 * ({@link io.dynamo.server.antientropy.TombstoneReaper}):
 *
 * <ol>
 *   <li>check: every node that may hold data is asked what it holds for the key ({@link
 *       PurgeCheck}). The purge goes on only if all answer, no node holds a hint for the key for
 *       any owner (a fallback's hint written before the delete would bring the value back once
 *       delivered), every owner holds exactly {@code tombstone}, durably, and every other node
 *       holds nothing;</li>
 *   <li>purge: each owner removes the key only if its state is still exactly {@code tombstone}
 *       ({@link Purge}); a write that arrived meanwhile keeps it.</li>
 * </ol>
 *
 * Errs on the side of keeping the tombstone: a node that does not answer, a hint anywhere, or a
 * state that differs stops the purge. Runs on the node's thread.
 */
public final class TombstonePurge {

    private final NodeId self;
    private final StorageEngine storage;
    private final Requests requests;
    private final Scheduler scheduler;
    private final Duration timeout;

    public TombstonePurge(NodeId self, StorageEngine storage, Requests requests, Scheduler scheduler,
            Duration timeout) {
        this.self = Objects.requireNonNull(self, "self");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Checks {@code key} with {@code everyone} and, if all agree, sends each of {@code owners} the
     * purge; {@code done} learns (once, on the node's thread) whether the purge was sent.
     */
    public void run(int partition, StoredKey key, Siblings<Content> tombstone, List<NodeId> owners,
            List<NodeId> everyone, Consumer<Boolean> done) {
        new Run(partition, key, tombstone, List.copyOf(owners), everyone.size(), done).start(everyone);
    }

    private final class Run {
        private final int partition;
        private final StoredKey key;
        private final Siblings<Content> tombstone;
        private final List<NodeId> owners;
        private final Consumer<Boolean> done;
        private final Set<NodeId> unexpected = new HashSet<>();
        private int answersLeft;
        private boolean finished;

        Run(int partition, StoredKey key, Siblings<Content> tombstone, List<NodeId> owners, int asked,
                Consumer<Boolean> done) {
            this.partition = partition;
            this.key = key;
            this.tombstone = tombstone;
            this.owners = owners;
            this.answersLeft = asked;
            this.done = done;
        }

        void start(List<NodeId> everyone) {
            if (everyone.isEmpty()) {
                finish(false);
                return;
            }
            for (NodeId node : everyone) {
                if (node.equals(self)) {
                    checkLocally();
                    continue;
                }
                requests.send(node, id -> new PurgeCheck(id, partition, key, owners), timeout,
                        new Requests.Callback() {
                            @Override
                            public void onReply(Message reply) {
                                boolean fine = reply instanceof PurgeCheckReply r && r.ok() && !r.holdsHint()
                                        && (owners.contains(node) ? tombstone.equals(r.state())
                                                : r.state().isEmpty());
                                answered(node, fine);
                            }

                            @Override
                            public void onTimeout() {
                                answered(node, false);
                            }
                        });
            }
        }

        /** This node's own check, like a remote one: no hint, the tombstone, and it durable. */
        private void checkLocally() {
            try {
                for (NodeId owner : owners) {
                    if (storage.hints().get(owner, key).isPresent()) {
                        answered(self, false);
                        return;
                    }
                }
                Siblings<Content> local = storage.get(partition, key);
                if (!tombstone.equals(local)) {
                    answered(self, !owners.contains(self) && local.isEmpty());
                    return;
                }
                var durable = storage.merge(partition, key, local, Durability.DURABLE).durable();
                if (durable.isDone() && !durable.isCompletedExceptionally()) {
                    answered(self, true);
                } else {
                    durable.whenComplete((ok, error) -> scheduler.execute(() -> answered(self, error == null)));
                }
            } catch (RuntimeException e) {
                answered(self, false);
            }
        }

        private void answered(NodeId node, boolean fine) {
            if (finished) {
                return;
            }
            if (!fine) {
                unexpected.add(node);
            }
            if (--answersLeft > 0) {
                return;
            }
            if (!unexpected.isEmpty()) {
                finish(false);
                return;
            }
            for (NodeId owner : owners) {
                if (owner.equals(self)) {
                    try {
                        storage.removeIfUnchanged(partition, key, tombstone);
                    } catch (RuntimeException e) {
                        // The tombstone stays here; it is harmless, and a read repairs the others with it.
                    }
                    continue;
                }
                requests.send(owner, id -> new Purge(id, partition, key, tombstone), timeout, new Requests.Callback() {
                    @Override
                    public void onReply(Message reply) {
                    }

                    @Override
                    public void onTimeout() {
                    }
                });
            }
            finish(true);
        }

        private void finish(boolean purged) {
            finished = true;
            done.accept(purged);
        }
    }
}

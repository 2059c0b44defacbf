package io.dynamo.sim.cluster;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.RandomSource;
import io.dynamo.testkit.NetworkFaults;
import io.dynamo.testkit.cluster.SimCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Injects faults during the workload, at exponentially distributed intervals (mean one second),
 * each fault undone a little later: network partitions into two random sides, one-way link cuts,
 * crashes of one node or two at once (memory and unflushed buffered writes lost) with a restart,
 * slow disks (durable writes acknowledged late), delays of every message on one link (up to
 * 1 s), and jumps of a node's
 * wall clock, and membership changes (a new node joins, or a member other than the seeds leaves;
 * the ring change with its ownership transfers runs under the other faults). At most
 * {@code members - 3} nodes are down at once, so that a majority of every preference list can
 * come back. {@link #healAll} undoes everything at the end; a ring change under way then
 * completes.
 */
final class Nemesis {

    enum Kind { PARTITION, ONE_WAY, CRASH, CLOCK, SLOW_DISK, DELAY, MEMBERSHIP }

    /** At most this many joins, and this many leaves, per run. */
    static final int MAX_CHANGES = 2;

    private final SimCluster cluster;
    private final RandomSource random;
    private final Set<Kind> kinds;
    private final NetworkFaults faults;
    private final Set<NodeId> down = new HashSet<>();
    private final Set<NodeId> leavers = new HashSet<>();
    private boolean stopped;
    private int injected;
    private int joins;

    Nemesis(SimCluster cluster, RandomSource random, Set<Kind> kinds, NetworkFaults faults) {
        this.cluster = cluster;
        this.random = random;
        this.kinds = kinds;
        this.faults = faults;
    }

    void start() {
        if (!kinds.isEmpty()) {
            schedule();
        }
    }

    int injected() {
        return injected;
    }

    private void schedule() {
        long mean = 1_000_000_000L;
        long delay = (long) (-Math.log(1 - random.nextDouble()) * mean);
        cluster.sim().scheduler().schedule(Duration.ofNanos(delay), this::act);
    }

    private void act() {
        if (stopped) {
            return;
        }
        List<Kind> options = new ArrayList<>(kinds);
        Kind kind = options.get(random.nextInt(options.size()));
        List<NodeId> ids = cluster.ids();
        Duration lasting = Duration.ofMillis(300 + random.nextInt(3_000));
        injected++;
        switch (kind) {
            case PARTITION -> {
                Set<NodeId> left = new HashSet<>();
                for (NodeId id : ids) {
                    if (random.nextBoolean()) {
                        left.add(id);
                    }
                }
                Set<NodeId> right = new HashSet<>(ids);
                right.removeAll(left);
                if (!left.isEmpty() && !right.isEmpty()) {
                    cluster.sim().network().partition(left, right);
                    later(lasting, () -> cluster.sim().network().heal());
                }
            }
            case ONE_WAY -> {
                NodeId from = ids.get(random.nextInt(ids.size()));
                NodeId to = ids.get(random.nextInt(ids.size()));
                if (!from.equals(to)) {
                    cluster.sim().network().block(from, to);
                    later(lasting, () -> cluster.sim().network().unblock(from, to));
                }
            }
            case CRASH -> {
                // One node, or two at the same instant (correlated failure: what tests that a
                // write acknowledged by two replicas was durable on at least one of them).
                int victims = 1 + random.nextInt(2);
                int members = ids.size() - leavers.size();
                for (int i = 0; i < victims; i++) {
                    NodeId victim = ids.get(random.nextInt(ids.size()));
                    if (!down.contains(victim) && !leavers.contains(victim) && down.size() < members - 3) {
                        down.add(victim);
                        cluster.crash(victim);
                        later(lasting, () -> {
                            down.remove(victim);
                            cluster.restart(victim);
                        });
                    }
                }
            }
            case DELAY -> {
                // Every message on one link held back 50 ms to 1 s: late replies, reordering
                // across links, requests arriving after their sender gave up. Bounded below the
                // simulator's tombstone grace (2 s), the delay the purge protocol assumes.
                NodeId from = ids.get(random.nextInt(ids.size()));
                NodeId to = ids.get(random.nextInt(ids.size()));
                var filter = cluster.sim().network().filters().from(from).to(to)
                        .delay(Duration.ofMillis(50 + random.nextInt(950)));
                later(lasting, filter::off);
            }
            case SLOW_DISK -> {
                NodeId node = ids.get(random.nextInt(ids.size()));
                cluster.setSyncDelay(node, Duration.ofMillis(20 + random.nextInt(800)));
                later(lasting, () -> cluster.setSyncDelay(node, Duration.ZERO));
            }
            case MEMBERSHIP -> {
                List<NodeId> candidates = new ArrayList<>();
                for (NodeId id : ids.subList(2, ids.size())) { // n1 and n2 are the seeds
                    if (!leavers.contains(id) && !down.contains(id) && cluster.isUp(id)) {
                        candidates.add(id);
                    }
                }
                int members = ids.size() - leavers.size();
                if (random.nextBoolean() && joins < MAX_CHANGES) {
                    joins++;
                    cluster.join(NodeId.of("n" + (ids.size() + 1)), "z1");
                } else if (leavers.size() < MAX_CHANGES && members > 4 && !candidates.isEmpty() && down.isEmpty()) {
                    NodeId leaver = candidates.get(random.nextInt(candidates.size()));
                    leavers.add(leaver);
                    cluster.leave(leaver);
                }
            }
            case CLOCK -> {
                NodeId node = ids.get(random.nextInt(ids.size()));
                cluster.sim().scheduler().setClockOffset(node, Duration.ofMillis(random.nextInt(20_000) - 10_000));
            }
        }
        schedule();
    }

    private void later(Duration d, Runnable r) {
        cluster.sim().scheduler().schedule(d, () -> {
            if (!stopped) {
                r.run();
            }
        });
    }

    /** Stops injecting and undoes every fault: links healed, nodes restarted, faults off. */
    void healAll() {
        stopped = true;
        cluster.sim().network().heal();
        cluster.sim().network().filters().clear();
        cluster.sim().network().setFaults(NetworkFaults.RELIABLE.withLatency(faults.latency()));
        for (NodeId id : cluster.ids()) {
            cluster.setSyncDelay(id, Duration.ZERO);
            cluster.sim().scheduler().setClockOffset(id, Duration.ZERO);
            cluster.restart(id);
        }
        down.clear();
    }
}

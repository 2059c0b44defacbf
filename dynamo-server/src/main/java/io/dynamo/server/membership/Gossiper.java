package io.dynamo.server.membership;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.Clock;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.time.Scheduler;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.GossipPull;
import io.dynamo.server.transport.Message.GossipPush;
import io.dynamo.server.transport.Requests;
import io.dynamo.server.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Spreads the cluster state (paper section 4.8): every interval the node bumps its own heartbeat
 * and does one push-pull exchange with a random live member: it sends its state, the peer merges
 * it and answers with the result, which the node merges in turn. Seeds are gossiped with too:
 * always while the node knows no other live member (a joining node), and otherwise with a
 * probability of one over the number of live peers, so that two groups that each know only
 * themselves meet through the seeds instead of forming two rings.
 *
 * <p>After every merge, the claimant (the lowest up member it does not suspect) takes the next
 * {@linkplain ClusterState#step step} of a ring change: it plans one when members are joining or
 * leaving, and promotes the plan once every transfer is received. Every change of the state is handed to {@code onChange} (the node persists
 * and applies it). Heartbeats that grew feed the phi-accrual detector.
 *
 * <p>Not thread-safe: owned by the node's thread.
 */
public final class Gossiper {

    private final NodeId self;
    private final List<NodeId> seeds;
    private final ClaimStrategy strategy;
    private final java.util.function.Supplier<java.util.Set<Integer>> replicationFactors;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RandomSource random;
    private final Transport transport;
    private final Requests requests;
    private final Duration interval;
    private final PhiAccrualDetector phi;
    private final Consumer<ClusterState> onChange;
    private ClusterState state;
    private boolean started;
    private long rounds;
    private long errors;
    private long foreign;

    /**
     * @param replicationFactors the replication factors in use (every namespace's N, which
     *     operators may change): a ring change moves a partition to every node that becomes one of
     *     its first N owners for any
     */
    public Gossiper(NodeId self, ClusterState initial, List<NodeId> seeds, ClaimStrategy strategy,
            java.util.function.Supplier<java.util.Set<Integer>> replicationFactors, Clock clock,
            Scheduler scheduler, RandomSource random, Transport transport, Requests requests, Duration interval,
            PhiAccrualDetector phi, Consumer<ClusterState> onChange) {
        this.self = Objects.requireNonNull(self, "self");
        this.state = Objects.requireNonNull(initial, "initial");
        if (initial.member(self).isEmpty()) {
            throw new IllegalArgumentException(self + " is not in its own cluster state");
        }
        this.seeds = List.copyOf(seeds);
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.replicationFactors = Objects.requireNonNull(replicationFactors, "replicationFactors");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.phi = Objects.requireNonNull(phi, "phi");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    /** Starts gossiping, the first round after a random part of the interval (so nodes do not beat in step). */
    public void start() {
        if (!started) {
            started = true;
            scheduler.schedule(Duration.ofNanos(random.nextLong(0, interval.toNanos())), this::round);
        }
    }

    public ClusterState state() {
        return state;
    }

    /** Rounds or merges that failed (a persist or a rebalance threw); counted, never fatal. */
    public long errors() {
        return errors;
    }

    /** Gossip from another cluster (another name, or a different claim strategy), ignored. */
    public long foreign() {
        return foreign;
    }

    /** Gossip rounds this node started. */
    public long rounds() {
        return rounds;
    }

    /** Applies an operator's change here (it spreads from this node by gossip). */
    public void change(ClusterState changed) {
        update(state.merge(changed));
    }

    /** An operator's leave of {@code node}: it is marked leaving; the claimant takes its partitions. */
    public void leave(NodeId node) {
        update(state.withStatus(node, MemberStatus.LEAVING));
    }

    /** An operator's replace: {@code newcomer} (joining) takes {@code replaced}'s partitions unchanged. */
    public void replace(NodeId replaced, NodeId newcomer) {
        update(state.replace(replaced, newcomer));
    }

    /** Marks {@code transfer} of the ring change under way received (it spreads from here). */
    public void received(io.dynamo.core.membership.Transfer transfer) {
        update(state.withReceived(transfer));
    }

    /** The replication factors ring changes move partitions for. */
    public java.util.Set<Integer> replicationFactors() {
        return replicationFactors.get();
    }

    private io.dynamo.server.events.ClusterEvents events = io.dynamo.server.events.ClusterEvents.NONE;
    /** The live members the phi-accrual detector suspected at the last round. */
    private final java.util.Set<NodeId> suspected = new java.util.TreeSet<>();

    /** Reports each member whose heartbeats stop (phi-accrual suspicion) or resume, to {@code sink}. */
    public void reportTo(io.dynamo.server.events.ClusterEvents sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    private void round() {
        try {
            noteSuspicions();
            gossip();
        } catch (RuntimeException e) {
            // A failed persist or rebalance must not stop the heartbeat: peers would suspect a
            // healthy node for good. Counted; the next round tries again.
            errors++;
        } finally {
            scheduler.schedule(interval, this::round);
        }
    }

    private void gossip() {
        rounds++;
        update(state.heartbeat(self));
        List<NodeId> peers = new ArrayList<>();
        for (NodeId id : state.live()) {
            if (!id.equals(self)) {
                peers.add(id);
            }
        }
        NodeId peer = peers.isEmpty() ? null : peers.get(random.nextInt(peers.size()));
        if (peer != null) {
            exchange(peer);
        }
        List<NodeId> otherSeeds = seeds.stream().filter(s -> !s.equals(self)).toList();
        if (!otherSeeds.isEmpty() && (peer == null || !seeds.contains(peer) && random.nextInt(peers.size()) == 0)) {
            exchange(otherSeeds.get(random.nextInt(otherSeeds.size())));
        }
    }

    private void exchange(NodeId peer) {
        ClusterState sent = state;
        requests.send(peer, id -> new GossipPush(id, sent), interval, new Requests.Callback() {
            @Override
            public void onReply(Message reply) {
                if (reply instanceof GossipPull pull) {
                    receive(pull.state());
                }
            }

            @Override
            public void onTimeout() {
            }
        });
    }

    /** Handles a peer's push: merge, answer with the merged state. False if {@code message} is not gossip. */
    public boolean handle(NodeId from, Message message) {
        if (!(message instanceof GossipPush push)) {
            return false;
        }
        if (receive(push.state())) {
            transport.send(from, new GossipPull(push.requestId(), state));
        }
        return true;
    }

    /**
     * Merges {@code theirs}; false (and ignored) if it is another cluster's: another name, or
     * another claim strategy.
     */
    private boolean receive(ClusterState theirs) {
        if (!theirs.sameCluster(state) || !theirs.ring().strategy().equals(state.ring().strategy())) {
            foreign++;
            return false;
        }
        long now = clock.nanoTime();
        for (MemberEntry e : theirs.members().values()) {
            MemberEntry mine = state.members().get(e.id());
            if (!e.id().equals(self) && (mine == null || e.generation() > mine.generation()
                    || e.generation() == mine.generation() && e.heartbeat() > mine.heartbeat())) {
                phi.heartbeat(e.id(), now);
            }
        }
        update(state.merge(theirs));
        return true;
    }

    private void update(ClusterState next) {
        // The claimant is the lowest up member this node does not suspect: a crashed claimant
        // does not stall joins and leaves. Two claimants at once make rings of one epoch, which
        // every node orders the same way.
        if (next.claimant(id -> id.equals(self) || !suspects(id)).filter(self::equals).isPresent()) {
            try {
                next = next.step(strategy, replicationFactors.get());
            } catch (IllegalArgumentException | IllegalStateException e) {
                errors++; // e.g. more members than partitions: keep the merged state, no new ring
            }
        }
        if (!next.equals(state)) {
            state = next;
            onChange.accept(next);
        } else {
            state = next;
        }
    }

    private void noteSuspicions() {
        java.util.Set<NodeId> live = new java.util.TreeSet<>(state.live());
        suspected.retainAll(live);
        for (NodeId id : live) {
            if (id.equals(self)) {
                continue;
            }
            boolean now = suspects(id);
            if (now && suspected.add(id)) {
                events.event(io.dynamo.server.events.ClusterEvents.Kind.PEER_SUSPECTED, id + "'s gossip heartbeats stopped reaching " + self
                        + " (phi " + Math.round(Math.min(phi(id), 1e6) * 10) / 10.0 + " over the threshold "
                        + phi.threshold() + "); requests route around it");
            } else if (!now && suspected.remove(id)) {
                events.event(io.dynamo.server.events.ClusterEvents.Kind.PEER_TRUSTED, id + "'s gossip heartbeats reach " + self + " again");
            }
        }
    }

    /** The phi-accrual detector's suspicion of {@code peer} now: 0 for a peer never heard from. */
    public double phi(NodeId peer) {
        return phi.phi(peer, clock.nanoTime());
    }

    /**
     * What to report of {@code peer} given the routing decision ({@code reachable}): the phi
     * detector's evidence can only say how sure "requests go to it" is, never change it.
     */
    public PeerState peerState(NodeId peer, boolean reachable) {
        long now = clock.nanoTime();
        return PeerState.of(reachable, phi.samples(peer), phi.phi(peer, now), phi.threshold());
    }

    /** Whether the phi-accrual detector suspects {@code peer} now. */
    public boolean suspects(NodeId peer) {
        return phi.isSuspected(peer, clock.nanoTime());
    }
}

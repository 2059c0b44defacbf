package io.dynamo.server.membership;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Local failure detection for routing (paper section 4.8.3): this node's own view of which peers
 * answer. A peer that lets a request time out is marked unreachable; requests stop going to it
 * (a sloppy quorum uses a fallback instead) and the prober pings it; the first reply of any kind
 * from it marks it reachable again. Only replies count as evidence, never requests: a request
 * that reaches us proves nothing about the way back. No agreement with other nodes is needed.
 *
 * <p>Not thread-safe: owned by the node's thread.
 */
public final class FailureDetector {

    private final NodeId self;
    private final Clock clock;
    /** Unreachable peers, with the monotonic time they were marked. */
    private final Map<NodeId, Long> unreachable = new TreeMap<>();

    public FailureDetector(NodeId self, Clock clock) {
        this.self = Objects.requireNonNull(self, "self");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Another view of peers' health to combine with timeouts: the gossip heartbeats' phi. */
    private java.util.function.Predicate<NodeId> suspected = node -> false;

    /**
     * Also route around peers {@code suspicion} suspects (the phi-accrual detector on gossip
     * heartbeats): a peer that stopped gossiping leaves the routes even before a request to it
     * times out, and returns when its heartbeats do.
     */
    public void alsoRouteAround(java.util.function.Predicate<NodeId> suspicion) {
        this.suspected = Objects.requireNonNull(suspicion, "suspicion");
    }

    /** Whether requests should go to {@code node}; always true for this node itself. */
    public boolean isReachable(NodeId node) {
        return node.equals(self) || !unreachable.containsKey(node) && !suspected.test(node);
    }

    private io.dynamo.server.events.ClusterEvents events = io.dynamo.server.events.ClusterEvents.NONE;

    /** Reports each peer marked unreachable, and each that answers again, to {@code sink}. */
    public void reportTo(io.dynamo.server.events.ClusterEvents sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /** {@code node} let a request time out: route around it until it answers again. */
    public void onTimeout(NodeId node) {
        onTimeout(node, "a request timed out");
    }

    /** {@code node} did not answer, for {@code reason}: route around it until it answers again. */
    public void onTimeout(NodeId node, String reason) {
        if (!node.equals(self) && unreachable.putIfAbsent(node, clock.nanoTime()) == null) {
            events.event(io.dynamo.server.events.ClusterEvents.Kind.PEER_DOWN, node
                    + " is unreachable from " + self + ": " + reason + "; requests go to fallbacks, and it is pinged");
        }
    }

    /** {@code node} answered a request of ours: it is reachable. */
    public void onReply(NodeId node) {
        Long since = unreachable.remove(node);
        if (since != null) {
            events.event(io.dynamo.server.events.ClusterEvents.Kind.PEER_UP, node + " answers " + self
                    + " again, after " + java.time.Duration.ofNanos(clock.nanoTime() - since).toMillis() + " ms");
        }
    }

    /** The peers currently marked unreachable. */
    public Set<NodeId> unreachable() {
        return Collections.unmodifiableSet(unreachable.keySet());
    }
}

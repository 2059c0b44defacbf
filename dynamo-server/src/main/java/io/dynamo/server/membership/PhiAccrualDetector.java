package io.dynamo.server.membership;

import io.dynamo.core.ring.NodeId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The phi-accrual failure detector (Hayashibara et al., as in Cassandra): for each peer, the
 * intervals between the moments its gossiped heartbeat was seen to grow, over a sliding window;
 * phi is how unlikely the silence since the last one is, on a log10 scale, under an exponential
 * model of those intervals ({@code phi = elapsed / mean * log10(e)}). A peer whose phi passes the
 * threshold is suspected; the next heartbeat clears it. Times are the node's monotonic clock.
 *
 * <p>Not thread-safe: owned by the node's thread.
 */
public final class PhiAccrualDetector {

    /** Cassandra's default threshold: phi 8 is about a 1 in 10^8 chance the peer is merely slow. */
    public static final double DEFAULT_THRESHOLD = 8.0;

    private static final double LOG10_E = Math.log10(Math.E);

    private final int window;
    private final double threshold;
    private final long firstIntervalNanos;
    private final Map<NodeId, Arrivals> peers = new HashMap<>();

    /**
     * @param window how many intervals the mean is taken over
     * @param threshold phi at which a peer is suspected
     * @param firstIntervalNanos the interval assumed before a peer's second heartbeat (the gossip
     *     interval)
     */
    public PhiAccrualDetector(int window, double threshold, long firstIntervalNanos) {
        if (window < 1 || threshold <= 0 || firstIntervalNanos <= 0) {
            throw new IllegalArgumentException("window, threshold and first interval must be positive");
        }
        this.window = window;
        this.threshold = threshold;
        this.firstIntervalNanos = firstIntervalNanos;
    }

    private final class Arrivals {
        final Deque<Long> intervals = new ArrayDeque<>();
        long sum;
        long last;
        /** Intervals actually observed (the assumed first one is not), capped at the window. */
        int observed;

        Arrivals(long now) {
            last = now;
            add(firstIntervalNanos);
        }

        void add(long interval) {
            intervals.addLast(interval);
            sum += interval;
            if (intervals.size() > window) {
                sum -= intervals.removeFirst();
            }
        }

        double mean() {
            return (double) sum / intervals.size();
        }
    }

    /** {@code peer}'s heartbeat was seen to grow at {@code nowNanos}. */
    public void heartbeat(NodeId peer, long nowNanos) {
        Arrivals a = peers.get(peer);
        if (a == null) {
            peers.put(peer, new Arrivals(nowNanos));
            return;
        }
        long interval = Math.max(1, nowNanos - a.last);
        if (interval <= 10 * firstIntervalNanos) {
            // A silence longer than ten heartbeat intervals (a partition, a pause) is an outage,
            // not the peer's rhythm: left out of the mean, as Cassandra does, so that detection
            // after it is not slowed for the next hundred samples.
            a.add(interval);
            a.observed = Math.min(window, a.observed + 1);
        }
        a.last = nowNanos;
    }

    /** Phi of {@code peer} at {@code nowNanos}; 0 for a peer never heard from. */
    public double phi(NodeId peer, long nowNanos) {
        Arrivals a = peers.get(peer);
        if (a == null) {
            return 0;
        }
        return Math.max(0, nowNanos - a.last) / a.mean() * LOG10_E;
    }

    /**
     * How many intervals between {@code peer}'s heartbeats the mean rests on, not counting the
     * assumed first one: 0 for a peer heard from once or never (as after this node restarts), at
     * most the window. Few samples make phi a guess; it is reported, never used for routing.
     */
    public int samples(NodeId peer) {
        Arrivals a = peers.get(peer);
        return a == null ? 0 : a.observed;
    }

    /** Whether {@code peer}'s silence has passed the threshold. */
    public boolean isSuspected(NodeId peer, long nowNanos) {
        return phi(peer, nowNanos) > threshold;
    }

    /** Stops tracking {@code peer} (it left the cluster). */
    public void forget(NodeId peer) {
        peers.remove(peer);
    }

    public double threshold() {
        return threshold;
    }
}

package io.dynamo.server.membership;

/**
 * What this node's failure detection says of a peer, as the admin endpoints and the dashboard
 * report it. Only {@link #UNREACHABLE} is a routing decision ({@link FailureDetector#isReachable}
 * false); the other states describe the evidence behind "requests go to it" and never change
 * where requests go.
 */
public enum PeerState {
    /** Requests go to it, and its heartbeats arrive on time. */
    OK,
    /**
     * Requests still go to it, but its heartbeats are overdue: phi has passed half the suspicion
     * threshold. A peer that died shows this before it is suspected (phi 8 takes about 18 mean
     * heartbeat intervals of silence).
     */
    LATE,
    /**
     * Requests go to it, but too few of its heartbeats have been seen to judge it (fewer than
     * {@link #MIN_SAMPLES} intervals, as just after this node restarted): not known to be ok.
     */
    UNKNOWN,
    /** Routed around: a request to it timed out, or phi passed the threshold. */
    UNREACHABLE;

    /** Heartbeat intervals needed before a peer's phi says more than a guess. */
    public static final int MIN_SAMPLES = 5;

    /**
     * The state of a peer from the routing decision and the heartbeat evidence.
     *
     * @param reachable whether requests go to it ({@link FailureDetector#isReachable})
     * @param samples heartbeat intervals seen ({@link PhiAccrualDetector#samples})
     * @param phi its phi now
     * @param threshold the phi at which it would be suspected
     */
    public static PeerState of(boolean reachable, int samples, double phi, double threshold) {
        if (!reachable) {
            return UNREACHABLE;
        }
        if (samples < MIN_SAMPLES) {
            return UNKNOWN;
        }
        return phi >= threshold / 2 ? LATE : OK;
    }

    /** The state where there are no heartbeats to go by (a fixed ring): only the routing decision. */
    public static PeerState of(boolean reachable) {
        return reachable ? OK : UNREACHABLE;
    }
}

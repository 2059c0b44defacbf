package io.dynamo.client;

/**
 * Sees which node each attempt of a request goes to: for benchmarks and tests that need to know
 * where the client routed a request (for example, whether it still tried a node that was killed).
 * Set per call with {@link CallOptions#observer}.
 *
 * <p>{@link #onAttempt} is called once per attempt, when the client has picked the node the
 * attempt tries and before it asks for a connection to it: the first attempt on the calling
 * thread, retries on another node on the client's I/O threads. An attempt on a node whose
 * connect then fails, or that is backing off after failed connects, is still reported (the
 * client tried it, and moves on to the next node). Calls for one request come one at a time, in
 * attempt order, all before the request's future completes. The ring fetches the client makes
 * on its own are not reported. An observer must return quickly and must not block; what it
 * throws is ignored.
 */
@FunctionalInterface
public interface AttemptObserver {

    /**
     * @param attempt 1 for the first node tried, 2 for the next, ...
     * @param nodeId the node's id as the ring names it; null for a seed not yet seen in a ring
     * @param address the node's client address, {@code HOST:PORT}
     */
    void onAttempt(int attempt, String nodeId, String address);
}

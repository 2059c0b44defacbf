package io.dynamo.bench.failure;

/**
 * Kills one node of the cluster under test, for {@link FailureUnderLoad}: the command line sends
 * SIGKILL to a server process, a test stops an in-process node. Called once, on the thread that
 * runs the benchmark, while the load goes on; it should return once the node is dead (the time it
 * takes is reported).
 */
@FunctionalInterface
public interface NodeKiller {

    /**
     * Kills the node and names it: its id as the ring names it ({@code n3}) or its client address
     * ({@code 127.0.0.1:9083}), so the benchmark can tell which of the client's attempts went to
     * it.
     *
     * @throws Exception if the node could not be killed (the benchmark stops its load and fails)
     */
    String kill() throws Exception;
}

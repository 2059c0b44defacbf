package io.dynamo.client;

/** Where a {@link DynamoClient} sends each request. */
public enum Routing {
    /**
     * To one of the key's top-N owners, computed from the ring the client keeps fresh: the first
     * reachable one, then the next on failure (client-driven coordination, section 6.4 of the
     * Dynamo paper). Saves the hop a node would make to forward a write, and spreads coordination
     * over the owners. The default.
     */
    CLIENT,
    /** To any node, round-robin; the node coordinates or forwards. */
    SERVER
}

package io.dynamo.core.storage;

/**
 * How a write reaches stable storage (paper section 6.1: of the N replica writes of a put, a
 * configured number are durable and the rest buffered).
 */
public enum Durability {
    /**
     * Acknowledged only once on stable storage. Concurrent durable writes share one sync (group
     * commit), so the cost of an fsync is paid once per batch, not once per write.
     */
    DURABLE,
    /**
     * Written without waiting for a sync; made durable within the engine's flush interval. A
     * crash may lose the last interval's buffered writes, never corrupt the store.
     */
    BUFFERED
}

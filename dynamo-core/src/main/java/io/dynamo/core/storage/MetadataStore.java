package io.dynamo.core.storage;

import java.util.Optional;

/**
 * A node's small durable facts: its id, its incarnation counter, the persisted cluster state.
 * Values are opaque bytes owned by whoever wrote them; every put is durable when it returns.
 */
public interface MetadataStore {

    Optional<byte[]> get(String name);

    void put(String name, byte[] value);

    void delete(String name);
}

package io.dynamo.core.storage;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.versioning.Siblings;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable hints, kept apart from the data (a fallback's hints are not its replicas). One hint per
 * (target, key): a second hint for the same key merges causally into the first, so the store
 * stays bounded by the number of keys written while the target was away.
 */
public interface HintStore {

    /**
     * Stores (or merges into) the hint for {@code target} and {@code key}, durably: the hint is on
     * stable storage when this returns. Returns the hint as stored, with its new sequence. The
     * merge is {@code stored.sync(state)}; if that changes nothing the stored hint may be returned
     * as it was. Sequences are never reused for the life of the store, not even after the hint
     * was deleted or the engine restarted, so a late or duplicated acknowledgement of an old
     * delivery can never delete a hint created afterwards. The key and state are checked
     * against the {@link StorageLimits} like a data write.
     */
    Hint append(NodeId target, int partition, StoredKey key, Siblings<Content> state);

    /**
     * The hint for {@code target} and {@code key}, if there is one: what a fallback answers when
     * a read reaches it in the owner's place.
     */
    Optional<Hint> get(NodeId target, StoredKey key);

    /**
     * Up to {@code limit} hints for {@code target}, in {@link StoredKey} order, with keys strictly
     * after {@code after} (null: from the start).
     */
    List<Hint> list(NodeId target, StoredKey after, int limit);

    /**
     * Deletes the hint for {@code target} and {@code key} if its sequence is still {@code
     * sequence} (it was not merged with a newer write since it was listed). Returns whether it
     * deleted.
     */
    boolean delete(NodeId target, StoredKey key, long sequence);

    /** The number of hints held for each target that has any. */
    Map<NodeId, Long> countsByTarget();
}

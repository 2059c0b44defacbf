package io.dynamo.core.storage;

import io.dynamo.core.merkle.TreeSnapshot;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.util.List;

/**
 * A node's local persistence (paper section 5). Data is addressed by ring partition and key.
 *
 * <h2>Contract (checked for every engine by the same contract suite)</h2>
 * <ul>
 *   <li>Writes are atomic per key: a write reads the stored state, merges, stores the result
 *       and updates the partition's Merkle tree as one step; concurrent writes to one key never
 *       lose each other.</li>
 *   <li>{@link #update} is the coordinator's write of a new version ({@link Siblings#update});
 *       {@link #merge} is a replica's write of a whole state ({@link Siblings#sync}), used for
 *       replication, read repair, hints, transfer and anti-entropy.</li>
 *   <li>The Merkle tree of a partition always equals one rebuilt from the partition's contents:
 *       each key contributes ({@link StoredKey#keyHash()}, {@link Siblings#versionDigest()}).</li>
 *   <li>Input over the {@link StorageLimits} is rejected with an {@link IllegalArgumentException}
 *       before anything is written. Every other failure is a {@link StorageException}.</li>
 *   <li>A durable write's {@link WriteResult#durable()} completes only once the write survives a
 *       crash; a buffered write is durable within the engine's flush interval.</li>
 * </ul>
 */
public interface StorageEngine extends AutoCloseable {

    /** The key's stored state; empty if the partition holds nothing for it. */
    Siblings<Content> get(int partition, StoredKey key);

    /**
     * Applies a client write coordinated by this node: the values {@code context} covers are
     * replaced by {@code value} under a new dot of {@code coordinator}. The stored result is
     * {@code stored.update(context, value, coordinator, floor)}, where {@code floor} is one more
     * than the highest counter this engine instance issued to {@code coordinator} before, for any
     * key; {@code changed} is true.
     *
     * <p>The new dot must never be issued twice (see {@link Siblings}). The floor covers a key
     * whose state was removed ({@link #removeIfUnchanged}, a purged tombstone) or dropped and is
     * written again: its new dot is above every dot the engine issued for it before. Across
     * engine instances the node takes care: a {@link Durability#BUFFERED} update can be lost in a
     * crash after its dot was sent to replicas, so a node takes a new incarnation (a new actor) on
     * every start.
     */
    WriteResult update(int partition, StoredKey key, VersionVector context, Content value, ActorId coordinator,
            Durability durability);

    /**
     * Merges a replica's state for the key into the stored one. The stored result is exactly
     * {@code stored.sync(state)} (stored state first: where both hold a dot, the stored value is
     * kept); when that equals {@code stored}, nothing is written and {@code changed} is false. A
     * result holding no values but a non-empty context is stored like any other state (it keeps
     * discarded values from coming back); only {@link Siblings#empty()} means "not stored".
     * A {@link Durability#DURABLE} merge that changes nothing still completes its future only
     * once the returned state is durable: the stored state may have arrived buffered, and the
     * sender counts this reply as a durable copy.
     */
    WriteResult merge(int partition, StoredKey key, Siblings<Content> state, Durability durability);

    /**
     * Removes the key if its stored state is still exactly {@code expected} (used to purge
     * tombstones once every replica holds them). Returns whether it removed; false when the key
     * is not stored. The removal is buffered: durable after the next {@link #flush()}. Losing it
     * in a crash brings back a state every replica already held, which is harmless.
     */
    boolean removeIfUnchanged(int partition, StoredKey key, Siblings<Content> expected);

    /**
     * Up to {@code limit} entries of the partition in key order ({@link StoredKey#compareTo}),
     * strictly after {@code after} (null: from the first key). Resuming from the last key returned
     * continues where the previous call stopped, even across writes: keys written behind the
     * cursor are not seen, keys written ahead of it are. {@code limit} must be at least 1.
     */
    List<StoredEntry> scan(int partition, StoredKey after, int limit);

    /**
     * The entries whose {@link StoredKey#keyHash()} lies in {@code [fromKeyHash, toKeyHash]}
     * (unsigned, inclusive), in key order: one or more Merkle segments, for anti-entropy. Empty
     * when {@code fromKeyHash} is above {@code toKeyHash}.
     */
    List<StoredEntry> scanKeyHashRange(int partition, long fromKeyHash, long toKeyHash);

    /** An immutable snapshot of the partition's Merkle tree. */
    TreeSnapshot merkleTree(int partition);

    /** The partitions that hold at least one key, in ascending order. */
    List<Integer> partitions();

    /** Removes every key of the partition and its tree; durable when it returns. */
    void dropPartition(int partition);

    /** Approximate bytes stored for the partition. */
    long approximateSize(int partition);

    /** Makes every buffered write durable now. */
    void flush();

    HintStore hints();

    MetadataStore metadata();

    StorageLimits limits();

    /**
     * Flushes and releases everything; later calls, including those on {@link #hints()} and
     * {@link #metadata()}, fail with {@link StorageException.Kind#CLOSED}. Closing twice is
     * harmless.
     */
    @Override
    void close();
}

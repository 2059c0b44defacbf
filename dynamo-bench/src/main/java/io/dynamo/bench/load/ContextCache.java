package io.dynamo.bench.load;

import io.dynamo.client.Context;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.InvalidContextException;
import io.dynamo.core.versioning.VersionVector;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The causal contexts of recently read or written keys, shared by every worker thread, so that an
 * update carries the context of the key's last known state instead of writing blind. Bounded and
 * lock-free: a direct-mapped table of {@code capacity} slots, each holding one key's number and
 * context. When every key number fits ({@code keySpace <= capacity}) key i has slot i and nothing
 * is ever evicted; otherwise keys are hashed to slots and a key evicts whatever its slot held. A
 * lost or never-seen key's context is simply unknown ({@code null}), and the update reads the key
 * first.
 *
 * <p>The cache never goes back in time for a key: a context replaces the cached one unless the
 * cached one already knows everything it knows (its version vector, decoded from the context's
 * bytes, descends from the new one's). So a slow thread's answer, carrying an older context, does
 * not replace the context a faster thread stored after it; and of two concurrent contexts the
 * later stored wins. Two threads updating a key at once with the same context still make two
 * siblings (both writes are kept, as the store must); the next read's context, or the context
 * of a put that made them (it covers every sibling the put wrote beside), supersedes both, so
 * siblings do not pile up.
 */
public final class ContextCache {

    /** A key's context and its decoded version vector (null if the bytes could not be decoded). */
    private record Entry(long key, Context context, VersionVector version) {
    }

    private final AtomicReferenceArray<Entry> slots;
    private final boolean direct;

    /**
     * A cache of at most {@code capacity} contexts for keys numbered from 0 to {@code keySpace - 1}
     * (at most {@code keySpace} slots are made).
     */
    public ContextCache(int capacity, long keySpace) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        if (keySpace < 1) {
            throw new IllegalArgumentException("keySpace must be at least 1, was " + keySpace);
        }
        this.direct = keySpace <= capacity;
        this.slots = new AtomicReferenceArray<>((int) Math.min(capacity, keySpace));
    }

    public int capacity() {
        return slots.length();
    }

    /** The context last stored for record {@code key}, or null when unknown. */
    public Context get(long key) {
        Entry e = slots.get(slot(key));
        return e != null && e.key == key ? e.context : null;
    }

    /**
     * Stores {@code context} as record {@code key}'s, evicting the slot's previous key, unless the
     * slot already holds a context of this key that descends from it.
     */
    public void put(long key, Context context) {
        if (context == null) {
            return;
        }
        VersionVector version = decode(context);
        Entry next = new Entry(key, context, version);
        int slot = slot(key);
        while (true) {
            Entry current = slots.get(slot);
            if (current != null && current.key == key && version != null && current.version != null
                    && current.version.descendsFrom(version)) {
                return; // what is cached is as new or newer
            }
            if (slots.compareAndSet(slot, current, next)) {
                return;
            }
        }
    }

    private static VersionVector decode(Context context) {
        if (context.isEmpty()) {
            return VersionVector.empty();
        }
        try {
            return ContextCodec.decode(context.toBytes());
        } catch (InvalidContextException | IllegalArgumentException e) {
            return null; // not a context this codec knows: cache it without ordering
        }
    }

    private int slot(long key) {
        if (direct && key >= 0 && key < slots.length()) {
            return (int) key;
        }
        return (int) Math.floorMod(KeyScrambler.mix64(key), (long) slots.length());
    }
}

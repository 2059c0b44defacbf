package io.dynamo.storage.rocksdb;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Hint;
import io.dynamo.core.storage.HintStore;
import io.dynamo.core.storage.StorageLimits;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.Siblings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The {@link HintStore} of the RocksDB engine: column family {@code hints}, one record per
 * (target, key), merged causally on append; every write synced. Sequences are never reused: each
 * append writes the hint and the sequence high-water mark in one synced batch.
 */
final class RocksHintStore implements HintStore {

    private static final int STRIPES = 64;
    static final byte[] SEQUENCE_KEY = "hint-sequence".getBytes(StandardCharsets.UTF_8);

    private final RocksAccess io;
    private final ColumnFamilyHandle hintsCf;
    private final ColumnFamilyHandle internalCf;
    private final StorageLimits limits;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final AtomicLong sequence = new AtomicLong();

    RocksHintStore(RocksAccess io, ColumnFamilyHandle hintsCf, ColumnFamilyHandle internalCf, StorageLimits limits) {
        this.io = io;
        this.hintsCf = hintsCf;
        this.internalCf = internalCf;
        this.limits = limits;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        long max = 0;
        byte[] mark = io.read(internalCf, SEQUENCE_KEY, "hint sequence mark");
        if (mark != null) {
            byte[] payload = RecordCodec.open(SEQUENCE_KEY, mark, "hint sequence mark");
            if (payload.length != 8) {
                throw RecordCodec.corrupt("hint sequence mark", "length " + payload.length, null);
            }
            max = KeyCodec.getLong(payload, 0);
        }
        try (RocksIterator it = io.db.newIterator(hintsCf, io.reads)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                max = Math.max(max, RecordCodec.decodeHint(it.key(), it.value(), "hint").sequence());
            }
            it.status();
        } catch (RocksDBException e) {
            throw Errors.map("scanning hints at open", e);
        }
        sequence.set(max);
    }

    private ReentrantLock stripe(NodeId target, StoredKey key) {
        int h = 31 * target.hashCode() + key.hashCode();
        return stripes[Math.floorMod(h ^ (h >>> 16), stripes.length)];
    }

    @Override
    public Hint append(NodeId target, int partition, StoredKey key, Siblings<Content> state) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        RocksDbStorageEngine.checkPartition(partition);
        limits.checkKey(key);
        limits.checkState(state);
        io.enter();
        try {
            byte[] hintKey = KeyCodec.hintKey(target, key);
            Object where = "hint for " + target + ", " + key;
            ReentrantLock lock = stripe(target, key);
            lock.lock();
            try {
                byte[] stored = io.read(hintsCf, hintKey, where);
                Siblings<Content> merged = stored == null ? state
                        : RecordCodec.decodeHint(hintKey, stored, where).state().sync(state);
                limits.checkState(merged);
                long seq = sequence.incrementAndGet();
                byte[] mark = new byte[8];
                KeyCodec.putLong(mark, 0, seq);
                // The hint and the sequence high-water mark in one synced batch: sequences are
                // never reused, even after every hint was deleted and the engine restarted.
                try (WriteBatch batch = new WriteBatch()) {
                    batch.put(hintsCf, hintKey, RecordCodec.encodeHint(hintKey, seq, partition, merged));
                    batch.put(internalCf, SEQUENCE_KEY, RecordCodec.seal(SEQUENCE_KEY, mark));
                    io.db.write(io.synced, batch);
                } catch (RocksDBException e) {
                    throw Errors.map("writing " + where, e);
                }
                return new Hint(target, partition, key, merged, seq);
            } finally {
                lock.unlock();
            }
        } finally {
            io.exit();
        }
    }

    @Override
    public Optional<Hint> get(NodeId target, StoredKey key) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(key, "key");
        io.enter();
        try {
            byte[] hintKey = KeyCodec.hintKey(target, key);
            Object where = "hint for " + target + ", " + key;
            byte[] stored = io.read(hintsCf, hintKey, where);
            if (stored == null) {
                return Optional.empty();
            }
            RecordCodec.HintPayload payload = RecordCodec.decodeHint(hintKey, stored, where);
            return Optional.of(new Hint(target, payload.partition(), key, payload.state(), payload.sequence()));
        } finally {
            io.exit();
        }
    }

    @Override
    public List<Hint> list(NodeId target, StoredKey after, int limit) {
        Objects.requireNonNull(target, "target");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        io.enter();
        try {
            List<Hint> out = new ArrayList<>();
            if (limit == 0) {
                return out;
            }
            byte[] prefix = KeyCodec.hintPrefix(target);
            byte[] start = after == null ? prefix : KeyCodec.hintKey(target, after);
            try (RocksIterator it = io.db.newIterator(hintsCf, io.reads)) {
                it.seek(start);
                if (after != null && it.isValid() && Arrays.equals(it.key(), start)) {
                    it.next();
                }
                for (; it.isValid() && out.size() < limit; it.next()) {
                    byte[] hintKey = it.key();
                    if (!KeyCodec.hasPrefix(hintKey, prefix)) {
                        break;
                    }
                    RecordCodec.HintPayload payload = RecordCodec.decodeHint(hintKey, it.value(), "hint for " + target);
                    StoredKey key;
                    try {
                        key = KeyCodec.storedKeyOfHint(hintKey);
                    } catch (IllegalArgumentException e) {
                        throw RecordCodec.corrupt("hint for " + target, "undecodable key: " + e.getMessage(), e);
                    }
                    out.add(new Hint(target, payload.partition(), key, payload.state(), payload.sequence()));
                }
                it.status();
            } catch (RocksDBException e) {
                throw Errors.map("listing hints for " + target, e);
            }
            return out;
        } finally {
            io.exit();
        }
    }

    @Override
    public boolean delete(NodeId target, StoredKey key, long sequence) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(key, "key");
        io.enter();
        try {
            byte[] hintKey = KeyCodec.hintKey(target, key);
            Object where = "hint for " + target + ", " + key;
            ReentrantLock lock = stripe(target, key);
            lock.lock();
            try {
                byte[] stored = io.read(hintsCf, hintKey, where);
                if (stored == null || RecordCodec.decodeHint(hintKey, stored, where).sequence() != sequence) {
                    return false;
                }
                io.remove(hintsCf, io.synced, hintKey, where);
                return true;
            } finally {
                lock.unlock();
            }
        } finally {
            io.exit();
        }
    }

    @Override
    public Map<NodeId, Long> countsByTarget() {
        io.enter();
        try {
            Map<NodeId, Long> counts = new TreeMap<>();
            try (RocksIterator it = io.db.newIterator(hintsCf, io.reads)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    NodeId target;
                    try {
                        target = KeyCodec.targetOfHint(it.key());
                    } catch (IllegalArgumentException e) {
                        throw RecordCodec.corrupt("hint", "undecodable key: " + e.getMessage(), e);
                    }
                    counts.merge(target, 1L, Long::sum);
                }
                it.status();
            } catch (RocksDBException e) {
                throw Errors.map("counting hints", e);
            }
            return counts;
        } finally {
            io.exit();
        }
    }
}

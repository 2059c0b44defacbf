package io.dynamo.storage.rocksdb;

import io.dynamo.core.merkle.MerkleTree;
import io.dynamo.core.merkle.TreeSnapshot;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.HintStore;
import io.dynamo.core.storage.MetadataStore;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StorageException.Kind;
import io.dynamo.core.storage.StorageLimits;
import io.dynamo.core.storage.StoredEntry;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.storage.WriteResult;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ChecksumType;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Range;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * The durable {@link StorageEngine}: one RocksDB database per node (see docs/design/storage.md,
 * "RocksDB engine").
 *
 * <ul>
 *   <li>Column family {@code data} holds every partition's keys under a 4-byte partition prefix
 *       (layout in {@link KeyCodec}), so a partition is a contiguous key range in
 *       {@link StoredKey#compareTo} order, a Merkle segment is one range scan and dropping a
 *       partition is one range delete. Column families {@code hints} and {@code meta} hold the
 *       {@link HintStore} and the {@link MetadataStore}; their writes are synced.</li>
 *   <li>Every value is wrapped in a CRC32C envelope ({@link RecordCodec}); a mismatch, like a
 *       RocksDB block checksum failure, is {@link Kind#CORRUPTION} and never a value.</li>
 *   <li>Writes go to the WAL without a sync. A durable write then waits on the
 *       {@link GroupCommitter}, which syncs the WAL once for every writer waiting; buffered writes
 *       are synced by the same thread at least once per flush interval.</li>
 *   <li>A write to a key reads, merges, writes and updates the partition's Merkle tree under that
 *       partition's lock; reads take no lock.</li>
 *   <li>Merkle trees live in memory and are rebuilt at open by one scan of the data column
 *       family, which also checks every record's checksum.</li>
 * </ul>
 */
public final class RocksDbStorageEngine implements StorageEngine {

    /**
     * The highest dot counter {@link #update} issued in this engine's life for each actor, over
     * all keys: new dots start above it, so a key that was purged (or dropped) and written again never gets a dot
     * it had before.
     */
    private final java.util.concurrent.ConcurrentHashMap<ActorId, java.util.concurrent.atomic.AtomicLong> issued =
            new java.util.concurrent.ConcurrentHashMap<>();

    static final String DATA_CF = "data";
    static final String HINTS_CF = "hints";
    static final String META_CF = "meta";


    private final RocksDbConfig config;
    private final StorageLimits limits;
    private final RocksDB db;
    /** The default column family holds the engine's own bookkeeping (the hint sequence high-water mark). */
    private final ColumnFamilyHandle internalCf;
    private final ColumnFamilyHandle dataCf;
    private final ColumnFamilyHandle hintsCf;
    private final ColumnFamilyHandle metaCf;
    /** Handles and options, closed in reverse order after the database. */
    private final Deque<AutoCloseable> resources;
    private final List<ColumnFamilyHandle> handles;
    private final WriteOptions unsynced;
    private final WriteOptions synced;
    private final ReadOptions reads;
    private final ConcurrentHashMap<Integer, Partition> partitions = new ConcurrentHashMap<>();
    private final TreeSnapshot emptyTree;
    private final RocksAccess io;
    private final Object syncMonitor = new Object();
    private long syncedSequence = -1;
    private final AtomicLong walSyncs = new AtomicLong();
    private final GroupCommitter committer;
    private final RocksHintStore hints;
    private final RocksMetadataStore metadata;
    private final long rebuildNanos;
    private final long keysAtOpen;

    /** One partition's tree, key count and key filter, guarded by its lock. */
    private final class Partition {
        final ReentrantLock lock = new ReentrantLock();
        MerkleTree tree = MerkleTree.empty(config.treeShape());
        long keys;
        /** Never cleared, not even by a drop: stale bits only cost a read. */
        final KeyFilter written = new KeyFilter();
    }

    /** Where a record lives, for error messages (formatted only when one is raised). */
    private record Where(int partition, StoredKey key) {
        @Override
        public String toString() {
            return "partition " + partition + ", key " + key;
        }
    }

    private RocksDbStorageEngine(RocksDbConfig config, RocksDB db, List<ColumnFamilyHandle> handles,
            Deque<AutoCloseable> resources) {
        this.config = config;
        this.limits = config.limits();
        this.db = db;
        this.handles = handles;
        this.resources = resources;
        this.internalCf = handles.get(0);
        this.dataCf = handles.get(1);
        this.hintsCf = handles.get(2);
        this.metaCf = handles.get(3);
        this.unsynced = track(new WriteOptions().setSync(false));
        this.synced = track(new WriteOptions().setSync(true));
        this.reads = track(new ReadOptions().setVerifyChecksums(true));
        this.io = new RocksAccess(db, reads, synced, "storage engine at " + config.dataDirectory());
        this.emptyTree = MerkleTree.empty(config.treeShape()).snapshot();
        long start = System.nanoTime();
        this.keysAtOpen = rebuildTrees();
        this.rebuildNanos = System.nanoTime() - start;
        this.hints = new RocksHintStore(io, hintsCf, internalCf, limits);
        this.metadata = new RocksMetadataStore(io, metaCf);
        this.committer = new GroupCommitter("rocksdb-commit-" + config.dataDirectory().getFileName(),
                this::syncIfDirty, config.flushInterval(), config.groupCommitMaxBatch(),
                config.groupCommitMaxLatency());
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    /**
     * Opens (creating if needed) the database in {@code config.dataDirectory()} and rebuilds every
     * partition's Merkle tree from the stored records.
     *
     * @throws StorageException {@link Kind#CORRUPTION} if RocksDB or a record checksum reports
     *     corruption while opening or scanning, {@link Kind#IO} or {@link Kind#DISK_FULL} otherwise;
     *     when another process or engine holds the folder, {@link Kind#IO} with a message naming
     *     the holding process where it can be found ({@link LockHolder})
     */
    public static RocksDbStorageEngine open(RocksDbConfig config) {
        Objects.requireNonNull(config, "config");
        RocksDB.loadLibrary();
        try {
            Files.createDirectories(config.dataDirectory());
        } catch (IOException e) {
            throw new StorageException(Kind.IO, "cannot create " + config.dataDirectory(), e);
        }
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            LRUCache cache = push(resources, new LRUCache(Math.max(1L << 20, config.blockCacheBytes())));
            BloomFilter bloom = push(resources, new BloomFilter(10));
            BlockBasedTableConfig dataTable = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom)
                    .setChecksumType(ChecksumType.kXXH3)
                    .setBlockSize(16 * 1024);
            ColumnFamilyOptions dataOptions = push(resources, new ColumnFamilyOptions()
                    .setTableFormatConfig(dataTable)
                    .setWriteBufferSize(config.writeBufferBytes())
                    .setCompressionType(compressionOf(config.compression()))
                    .setLevelCompactionDynamicLevelBytes(true)
                    // Every write reads the key first (to merge causally), and a new key's read
                    // misses: a whole-key bloom filter over the memtable answers that miss without
                    // searching the skiplist.
                    .setMemtablePrefixBloomSizeRatio(0.1)
                    .setMemtableWholeKeyFiltering(true));
            BlockBasedTableConfig smallTable = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setChecksumType(ChecksumType.kXXH3);
            ColumnFamilyOptions smallOptions = push(resources, new ColumnFamilyOptions()
                    .setTableFormatConfig(smallTable)
                    .setWriteBufferSize(4L << 20));
            DBOptions dbOptions = push(resources, new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setParanoidChecks(true)
                    .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                    .setKeepLogFileNum(5)
                    .setMaxTotalWalSize(4 * config.writeBufferBytes())
                    .setIncreaseParallelism(Math.max(2, Runtime.getRuntime().availableProcessors())));
            List<ColumnFamilyDescriptor> descriptors = List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, smallOptions),
                    new ColumnFamilyDescriptor(DATA_CF.getBytes(StandardCharsets.UTF_8), dataOptions),
                    new ColumnFamilyDescriptor(HINTS_CF.getBytes(StandardCharsets.UTF_8), smallOptions),
                    new ColumnFamilyDescriptor(META_CF.getBytes(StandardCharsets.UTF_8), smallOptions));
            db = RocksDB.open(dbOptions, config.dataDirectory().toString(), descriptors, handles);
            return new RocksDbStorageEngine(config, db, handles, resources);
        } catch (RocksDBException e) {
            release(db, handles, resources);
            if (LockHolder.isLockFailure(e)) { // another process (or engine) has this folder open
                throw new StorageException(Kind.IO, LockHolder.message(config.dataDirectory()), e);
            }
            throw Errors.map("cannot open " + config.dataDirectory(), e);
        } catch (RuntimeException | Error e) {
            release(db, handles, resources);
            throw e;
        }
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> resources, T resource) {
        resources.push(resource);
        return resource;
    }

    private static CompressionType compressionOf(RocksDbConfig.Compression compression) {
        return switch (compression) {
            case NONE -> CompressionType.NO_COMPRESSION;
            case LZ4 -> CompressionType.LZ4_COMPRESSION;
            case ZSTD -> CompressionType.ZSTD_COMPRESSION;
            case SNAPPY -> CompressionType.SNAPPY_COMPRESSION;
        };
    }

    /** Closes handles, then the database, then options and caches; returns the first failure. */
    private static StorageException release(RocksDB db, List<ColumnFamilyHandle> handles,
            Deque<AutoCloseable> resources) {
        StorageException failure = null;
        for (ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        if (db != null) {
            try {
                db.closeE();
            } catch (RocksDBException e) {
                failure = Errors.map("closing the database", e);
            }
        }
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new StorageException(Kind.IO, "closing a RocksDB resource", e);
                }
            }
        }
        return failure;
    }

    /** Scans the data column family once, checking every record and adding it to its tree. */
    private long rebuildTrees() {
        long count = 0;
        try (ReadOptions scan = new ReadOptions().setVerifyChecksums(true).setFillCache(false)
                .setReadaheadSize(2L << 20);
                RocksIterator it = db.newIterator(dataCf, scan)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (key.length < KeyCodec.PARTITION_BYTES + KeyCodec.HASH_BYTES + 1) {
                    throw RecordCodec.corrupt("data key", "key of " + key.length + " bytes is too short", null);
                }
                int p = KeyCodec.partitionOf(key);
                long digest = RecordCodec.dataDigest(key, it.value(), "partition " + p);
                Partition partition = partitions.computeIfAbsent(p, x -> new Partition());
                partition.tree.add(KeyCodec.keyHashOf(key), digest);
                partition.written.add(KeyCodec.keyHashOf(key));
                partition.keys++;
                count++;
            }
            it.status();
        } catch (RocksDBException e) {
            throw Errors.map("scanning the data at open", e);
        }
        return count;
    }

    // ---- lifecycle

    private void enter() {
        io.enter();
    }

    private void exit() {
        io.exit();
    }

    /** Syncs the WAL unless nothing was written since the last sync. Called by the committer and close. */
    private boolean syncIfDirty() {
        synchronized (syncMonitor) {
            long sequence = db.getLatestSequenceNumber();
            if (sequence == syncedSequence) {
                return false;
            }
            try {
                db.flushWal(true);
            } catch (RocksDBException e) {
                throw Errors.map("syncing the WAL", e);
            }
            syncedSequence = sequence;
            walSyncs.incrementAndGet();
            return true;
        }
    }

    @Override
    public void close() {
        if (!io.markClosed()) {
            return;
        }
        committer.close();
        StorageException failure = null;
        try {
            syncIfDirty();
        } catch (StorageException e) {
            failure = e;
        }
        StorageException releaseFailure = release(db, handles, resources);
        if (failure == null) {
            failure = releaseFailure;
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---- data

    static void checkPartition(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative, was " + partition);
        }
    }

    private Partition partition(int partition) {
        return partitions.computeIfAbsent(partition, p -> new Partition());
    }

    private byte[] read(ColumnFamilyHandle cf, byte[] key, Object where) {
        return io.read(cf, key, where);
    }

    private void write(ColumnFamilyHandle cf, WriteOptions options, byte[] key, byte[] value, Object where) {
        io.write(cf, options, key, value, where);
    }

    private void remove(ColumnFamilyHandle cf, WriteOptions options, byte[] key, Object where) {
        io.remove(cf, options, key, where);
    }

    @Override
    public Siblings<Content> get(int partition, StoredKey key) {
        Objects.requireNonNull(key, "key");
        checkPartition(partition);
        enter();
        try {
            byte[] dbKey = KeyCodec.dataKey(partition, key);
            Where where = new Where(partition, key);
            byte[] stored = read(dataCf, dbKey, where);
            return stored == null ? Siblings.empty() : RecordCodec.decodeData(dbKey, stored, where).state();
        } finally {
            exit();
        }
    }

    private java.util.concurrent.atomic.AtomicLong issuedBy(ActorId actor) {
        return issued.computeIfAbsent(actor, a -> new java.util.concurrent.atomic.AtomicLong());
    }

    @Override
    public WriteResult update(int partition, StoredKey key, VersionVector context, Content value, ActorId coordinator,
            Durability durability) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(durability, "durability");
        checkPartition(partition);
        limits.checkKey(key);
        limits.checkValue(value);
        WriteResult result = apply(partition, key, durability,
                old -> old.update(context, value, coordinator, issuedBy(coordinator).get() + 1));
        issuedBy(coordinator).accumulateAndGet(result.state().context().counter(coordinator), Math::max);
        return result;
    }

    @Override
    public WriteResult merge(int partition, StoredKey key, Siblings<Content> state, Durability durability) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(durability, "durability");
        checkPartition(partition);
        limits.checkKey(key);
        limits.checkState(state);
        return apply(partition, key, durability, old -> old.sync(state));
    }

    /** Read, merge, check, write and update the tree, under the partition's lock. */
    private WriteResult apply(int partition, StoredKey key, Durability durability,
            UnaryOperator<Siblings<Content>> change) {
        Siblings<Content> next;
        boolean changed;
        enter();
        try {
            Partition part = partition(partition);
            byte[] dbKey = KeyCodec.dataKey(partition, key);
            Where where = new Where(partition, key);
            part.lock.lock();
            try {
                // A key the partition never held has no stored state: skip the read.
                byte[] stored = part.written.mightContain(key.keyHash()) ? read(dataCf, dbKey, where) : null;
                RecordCodec.Data old = stored == null ? null : RecordCodec.decodeData(dbKey, stored, where);
                Siblings<Content> current = old == null ? Siblings.empty() : old.state();
                next = change.apply(current);
                limits.checkState(next);
                changed = !next.equals(current);
                if (changed) {
                    long digest = next.versionDigest();
                    part.written.add(key.keyHash());
                    write(dataCf, unsynced, dbKey, RecordCodec.encodeData(dbKey, next, digest), where);
                    part.tree.update(key.keyHash(), old == null ? OptionalLong.empty() : OptionalLong.of(old.digest()),
                            OptionalLong.of(digest));
                    if (old == null) {
                        part.keys++;
                    }
                }
            } finally {
                part.lock.unlock();
            }
        } finally {
            exit();
        }
        CompletableFuture<Void> durable = durability == Durability.DURABLE ? committer.submit()
                : CompletableFuture.completedFuture(null);
        return new WriteResult(next, changed, durable);
    }

    @Override
    public boolean removeIfUnchanged(int partition, StoredKey key, Siblings<Content> expected) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expected, "expected");
        checkPartition(partition);
        enter();
        try {
            Partition part = partitions.get(partition);
            if (part == null) {
                return false;
            }
            byte[] dbKey = KeyCodec.dataKey(partition, key);
            Where where = new Where(partition, key);
            part.lock.lock();
            try {
                byte[] stored = read(dataCf, dbKey, where);
                if (stored == null) {
                    return false;
                }
                RecordCodec.Data old = RecordCodec.decodeData(dbKey, stored, where);
                if (!old.state().equals(expected)) {
                    return false;
                }
                remove(dataCf, unsynced, dbKey, where);
                part.tree.remove(key.keyHash(), old.digest());
                part.keys--;
                return true;
            } finally {
                part.lock.unlock();
            }
        } finally {
            exit();
        }
    }

    @Override
    public List<StoredEntry> scan(int partition, StoredKey after, int limit) {
        checkPartition(partition);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        enter();
        try {
            byte[] prefix = KeyCodec.partitionPrefix(partition);
            byte[] start = after == null ? prefix : KeyCodec.dataKey(partition, after);
            List<StoredEntry> out = new ArrayList<>(Math.min(limit, 1024));
            try (RocksIterator it = db.newIterator(dataCf, reads)) {
                it.seek(start);
                if (after != null && it.isValid() && Arrays.equals(it.key(), start)) {
                    it.next();
                }
                for (; it.isValid() && out.size() < limit; it.next()) {
                    byte[] key = it.key();
                    if (!KeyCodec.hasPrefix(key, prefix)) {
                        break;
                    }
                    out.add(entry(partition, key, it.value()));
                }
                it.status();
            } catch (RocksDBException e) {
                throw Errors.map("scanning partition " + partition, e);
            }
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public List<StoredEntry> scanKeyHashRange(int partition, long fromKeyHash, long toKeyHash) {
        checkPartition(partition);
        enter();
        try {
            List<StoredEntry> out = new ArrayList<>();
            if (Long.compareUnsigned(fromKeyHash, toKeyHash) > 0) {
                return out;
            }
            byte[] prefix = KeyCodec.partitionPrefix(partition);
            try (RocksIterator it = db.newIterator(dataCf, reads)) {
                for (it.seek(KeyCodec.hashPrefix(partition, fromKeyHash)); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (!KeyCodec.hasPrefix(key, prefix) || key.length < prefix.length + KeyCodec.HASH_BYTES
                            || Long.compareUnsigned(KeyCodec.keyHashOf(key), toKeyHash) > 0) {
                        break;
                    }
                    out.add(entry(partition, key, it.value()));
                }
                it.status();
            } catch (RocksDBException e) {
                throw Errors.map("scanning partition " + partition, e);
            }
            return out;
        } finally {
            exit();
        }
    }

    private StoredEntry entry(int partition, byte[] dbKey, byte[] stored) {
        RecordCodec.check(dbKey, stored, "partition " + partition);
        StoredKey key;
        try {
            key = KeyCodec.storedKeyOfData(dbKey);
        } catch (IllegalArgumentException e) {
            throw RecordCodec.corrupt("partition " + partition, "undecodable key: " + e.getMessage(), e);
        }
        return new StoredEntry(key, RecordCodec.decodeData(dbKey, stored, new Where(partition, key)).state());
    }

    @Override
    public TreeSnapshot merkleTree(int partition) {
        checkPartition(partition);
        enter();
        try {
            Partition part = partitions.get(partition);
            if (part == null) {
                return emptyTree;
            }
            part.lock.lock();
            try {
                return part.tree.snapshot();
            } finally {
                part.lock.unlock();
            }
        } finally {
            exit();
        }
    }

    @Override
    public List<Integer> partitions() {
        enter();
        try {
            List<Integer> out = new ArrayList<>();
            for (Map.Entry<Integer, Partition> e : partitions.entrySet()) {
                Partition part = e.getValue();
                part.lock.lock();
                try {
                    if (part.keys > 0) {
                        out.add(e.getKey());
                    }
                } finally {
                    part.lock.unlock();
                }
            }
            out.sort(null);
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public void dropPartition(int partition) {
        checkPartition(partition);
        enter();
        try {
            Partition part = partition(partition);
            part.lock.lock();
            try {
                db.deleteRange(dataCf, synced, KeyCodec.partitionPrefix(partition), KeyCodec.partitionEnd(partition));
                part.tree = MerkleTree.empty(config.treeShape());
                part.keys = 0;
            } catch (RocksDBException e) {
                throw Errors.map("dropping partition " + partition, e);
            } finally {
                part.lock.unlock();
            }
        } finally {
            exit();
        }
    }

    @Override
    public long approximateSize(int partition) {
        checkPartition(partition);
        enter();
        try (Slice from = new Slice(KeyCodec.partitionPrefix(partition));
                Slice to = new Slice(KeyCodec.partitionEnd(partition))) {
            long[] sizes = db.getApproximateSizes(dataCf, List.of(new Range(from, to)),
                    SizeApproximationFlag.INCLUDE_FILES, SizeApproximationFlag.INCLUDE_MEMTABLES);
            return sizes.length == 0 ? 0 : Math.max(0, sizes[0]);
        } finally {
            exit();
        }
    }

    @Override
    public void flush() {
        CompletableFuture<Void> done;
        enter();
        try {
            done = committer.submit();
        } finally {
            exit();
        }
        try {
            done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StorageException se) {
                throw new StorageException(se.kind(), "flush failed", se);
            }
            throw new StorageException(Kind.IO, "flush failed", e.getCause());
        }
    }

    @Override
    public HintStore hints() {
        return hints;
    }

    @Override
    public MetadataStore metadata() {
        return metadata;
    }

    @Override
    public StorageLimits limits() {
        return limits;
    }

    /** Writes every memtable to SST files and waits (tests use it to put data into SSTs). */
    void flushMemtables() {
        enter();
        try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
            db.flush(options, List.of(dataCf, hintsCf, metaCf));
        } catch (RocksDBException e) {
            throw Errors.map("flushing memtables", e);
        } finally {
            exit();
        }
    }

    // ---- figures for tests and metrics

    /** WAL syncs performed since open (group commits, periodic flushes, explicit flushes). */
    public long walSyncCount() {
        return walSyncs.get();
    }

    /** Durable writes acknowledged by the group committer since open. */
    public long durableWriteCount() {
        return committer.committed();
    }

    /** Batches the group committer completed since open. */
    public long groupCommitBatchCount() {
        return committer.batches();
    }

    /** How long rebuilding the Merkle trees (and checking every record) took at open, in nanoseconds. */
    public long openRebuildNanos() {
        return rebuildNanos;
    }

    /** Data records found at open. */
    public long keysAtOpen() {
        return keysAtOpen;
    }

    /** The configuration this engine was opened with. */
    public RocksDbConfig config() {
        return config;
    }
}

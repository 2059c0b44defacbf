package io.dynamo.bench.storage;

import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.storage.WriteResult;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.storage.rocksdb.RocksDbConfig;
import io.dynamo.storage.rocksdb.RocksDbStorageEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ChecksumType;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * Our RocksDB storage engine against raw RocksDB (org.rocksdb used directly), in one JMH run:
 * point gets, buffered puts and replica merges against raw gets and unsynced puts, and durable
 * puts with the engine's group commit against one fsync per put.
 *
 * <p><b>Data.</b> Values are 1 KiB of seeded random bytes (incompressible); keys are 16 bytes
 * (namespace {@code bench} for the engine), spread over 16 partitions. Every trial opens a fresh
 * temporary directory, preloads {@code preloadKeys} keys, closes and reopens the database (so the
 * preloaded data is in SST files and read through the block cache, in both), and deletes the
 * directory at the end. Puts and merges always write a key nobody wrote before: a blind write
 * (empty context) to an existing key would add a sibling per write, so the record would grow.
 *
 * <p><b>Same RocksDB options.</b> The raw database uses one column family configured like the
 * engine's data column family with {@link RocksDbConfig#defaults} (LZ4, 256 MiB LRU block cache,
 * 64 MiB write buffer, bloom filter, 16 KiB blocks, XXH3 block checksums, dynamic level bytes) and
 * the engine's database options; WAL on in both, reads verify block checksums in both.
 *
 * <p><b>Keys are built outside the timed region.</b> Before every iteration each state builds
 * {@code keyPool} fresh keys (the engine's {@link StoredKey}, whose constructor hashes with MD5;
 * raw RocksDB's 16-byte arrays), as a node has its {@code StoredKey} before it reaches storage. If
 * an iteration writes more keys than that, the rest are built inline and counted in the trial's
 * closing line.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
public class StorageBenchmark {

    static final int VALUE_BYTES = 1024;
    static final int KEY_BYTES = 16;
    static final int PARTITIONS = 16;
    static final String NAMESPACE = "bench";
    static final long SEED = 20070101L;
    static final ActorId COORDINATOR = new ActorId("bench-a", 1L);
    static final ActorId REPLICA = new ActorId("bench-b", 1L);

    /**
     * The 16-byte key number {@code n}: a mix of n, then n, big-endian. Distinct for distinct n,
     * and in no particular order: raw RocksDB inserting ascending keys (the end of the memtable,
     * SSTs that never overlap) would be an easier workload than the engine's, whose RocksDB keys
     * follow the key hash.
     */
    static byte[] keyBytes(long n) {
        byte[] out = new byte[KEY_BYTES];
        putLong(out, 0, mix(n));
        putLong(out, 8, n);
        return out;
    }

    static int partitionOf(StoredKey key) {
        return (int) (key.keyHash() >>> 60);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static byte[] value() {
        byte[] value = new byte[VALUE_BYTES];
        RandomSource random = RandomSource.seeded(SEED);
        for (int i = 0; i < value.length; i += 8) {
            putLong(value, i, random.nextLong());
        }
        return value;
    }

    static Path freshDirectory(String what) {
        try {
            return Files.createTempDirectory("dynamo-bench-" + what + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String shortName(BenchmarkParams params) {
        String name = params.getBenchmark();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /**
     * A full collection after building a key pool, outside the timed region: otherwise the first
     * young collections of the iteration copy the whole fresh pool, a cost of the harness that
     * would land on whichever benchmark allocates (the engine).
     */
    @SuppressWarnings("java:S1215")
    static void settle() {
        System.gc();
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark setup broken: " + what);
        }
    }

    /** Key numbers 0 .. preloadKeys-1 are preloaded; writes take fresh numbers from here up. */
    @State(Scope.Benchmark)
    public abstract static class Keys {
        @Param("100000")
        public int preloadKeys;

        @Param("1000000")
        public int keyPool;

        final AtomicLong next = new AtomicLong();
        long poolBase;
        /** Picks preloaded keys for reads: a fixed odd stride over the key numbers. */
        int readCursor;
        final AtomicLong inlineKeys = new AtomicLong();

        final int nextRead() {
            int i = readCursor;
            readCursor = (int) ((i + 7919L) % preloadKeys);
            return i;
        }
    }

    /** Our engine, opened on a fresh directory with {@link RocksDbConfig#defaults}. */
    @State(Scope.Benchmark)
    public abstract static class EngineBase extends Keys {
        Path directory;
        RocksDbStorageEngine engine;
        Content content;
        /** A replica's state of a key it received: one value, written through another coordinator. */
        Siblings<Content> replicaState;
        StoredKey[] preloaded;
        StoredKey[] pool;
        long syncsAtStart;
        long durableAtStart;
        long batchesAtStart;

        final void open() {
            directory = freshDirectory("engine");
            content = Content.of(value(), "application/octet-stream", 1_700_000_000_000L);
            replicaState = Siblings.<Content>empty().update(VersionVector.empty(), content, REPLICA);
            preloaded = new StoredKey[preloadKeys];
            RocksDbConfig config = RocksDbConfig.defaults(directory);
            try (RocksDbStorageEngine loading = RocksDbStorageEngine.open(config)) {
                for (int i = 0; i < preloadKeys; i++) {
                    StoredKey key = StoredKey.of(NAMESPACE, keyBytes(i));
                    preloaded[i] = key;
                    loading.update(partitionOf(key), key, VersionVector.empty(), content, COORDINATOR,
                            Durability.BUFFERED);
                }
            }
            engine = RocksDbStorageEngine.open(config);
            check(engine.keysAtOpen() == preloadKeys, "engine reopened with " + engine.keysAtOpen() + " keys");
            next.set(preloadKeys);
            syncsAtStart = engine.walSyncCount();
            durableAtStart = engine.durableWriteCount();
            batchesAtStart = engine.groupCommitBatchCount();
        }

        @Setup(Level.Iteration)
        public void buildKeys() {
            long base = next.get();
            StoredKey[] keys = new StoredKey[keyPool];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = StoredKey.of(NAMESPACE, keyBytes(base + i));
            }
            pool = keys;
            poolBase = base;
            settle();
        }

        final StoredKey freshKey() {
            long n = next.getAndIncrement();
            long i = n - poolBase;
            if (i < pool.length) {
                return pool[(int) i];
            }
            inlineKeys.incrementAndGet();
            return StoredKey.of(NAMESPACE, keyBytes(n));
        }

        final void close(String name) {
            try {
                if (engine != null) {
                    long durable = engine.durableWriteCount() - durableAtStart;
                    long syncs = engine.walSyncCount() - syncsAtStart;
                    long batches = engine.groupCommitBatchCount() - batchesAtStart;
                    System.out.printf("%n[%s] %d keys written, %d built inline; %d durable writes in %d group-commit"
                            + " batches, %d WAL syncs (%.1f durable writes per sync)%n", name,
                            next.get() - preloadKeys, inlineKeys.get(), durable, batches, syncs,
                            syncs == 0 ? 0.0 : (double) durable / syncs);
                    engine.close();
                }
            } finally {
                engine = null;
                pool = null;
                preloaded = null;
                deleteTree(directory);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Engine extends EngineBase {
        @Setup(Level.Trial)
        public void setUp() {
            open();
        }

        @TearDown(Level.Trial)
        public void tearDown(BenchmarkParams params) {
            close(shortName(params) + ": engine");
        }
    }

    /** Raw RocksDB, configured like the engine's data column family and database. */
    @State(Scope.Benchmark)
    public abstract static class RawBase extends Keys {
        Path directory;
        RocksDB db;
        Options options;
        LRUCache cache;
        BloomFilter bloom;
        Statistics statistics;
        WriteOptions writeOptions;
        ReadOptions readOptions;
        byte[] value;
        byte[][] preloaded;
        byte[][] pool;
        long syncsAtStart;
        long keysWrittenAtStart;

        /**
         * @param sync WriteOptions.sync of the timed puts
         * @param oneWriterPerGroup whether RocksDB may put concurrent writers in one write group
         *     (sharing one WAL write and one fsync); false makes every synced put its own fsync
         * @param counted whether to keep RocksDB statistics (for the WAL sync count)
         */
        final void open(boolean sync, boolean oneWriterPerGroup, boolean counted) {
            RocksDB.loadLibrary();
            directory = freshDirectory("raw");
            value = value();
            RocksDbConfig defaults = RocksDbConfig.defaults(directory);
            check(defaults.compression() == RocksDbConfig.Compression.LZ4, "engine default compression changed");
            cache = new LRUCache(Math.max(1L << 20, defaults.blockCacheBytes()));
            bloom = new BloomFilter(10);
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom)
                    .setChecksumType(ChecksumType.kXXH3)
                    .setBlockSize(16 * 1024);
            options = new Options()
                    .setCreateIfMissing(true)
                    .setParanoidChecks(true)
                    .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                    .setKeepLogFileNum(5)
                    .setMaxTotalWalSize(4 * defaults.writeBufferBytes())
                    .setIncreaseParallelism(Math.max(2, Runtime.getRuntime().availableProcessors()))
                    .setTableFormatConfig(table)
                    .setWriteBufferSize(defaults.writeBufferBytes())
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setLevelCompactionDynamicLevelBytes(true);
            if (oneWriterPerGroup) {
                // A group's size limit is max(leader + limit/8, limit): 1 byte admits no follower.
                options.setMaxWriteBatchGroupSizeBytes(1);
            }
            if (counted) {
                statistics = new Statistics();
                options.setStatistics(statistics);
            }
            preloaded = new byte[preloadKeys][];
            try (RocksDB loading = RocksDB.open(options, directory.toString());
                    WriteOptions unsynced = new WriteOptions().setSync(false)) {
                for (int i = 0; i < preloadKeys; i++) {
                    preloaded[i] = keyBytes(i);
                    loading.put(unsynced, preloaded[i], value);
                }
            } catch (RocksDBException e) {
                throw new IllegalStateException("preloading raw RocksDB", e);
            }
            try {
                db = RocksDB.open(options, directory.toString());
            } catch (RocksDBException e) {
                throw new IllegalStateException("reopening raw RocksDB", e);
            }
            writeOptions = new WriteOptions().setSync(sync);
            readOptions = new ReadOptions().setVerifyChecksums(true);
            next.set(preloadKeys);
            if (statistics != null) {
                syncsAtStart = statistics.getTickerCount(TickerType.WAL_FILE_SYNCED);
                keysWrittenAtStart = statistics.getTickerCount(TickerType.NUMBER_KEYS_WRITTEN);
            }
        }

        @Setup(Level.Iteration)
        public void buildKeys() {
            long base = next.get();
            byte[][] keys = new byte[keyPool][];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = keyBytes(base + i);
            }
            pool = keys;
            poolBase = base;
            settle();
        }

        final byte[] freshKey() {
            long n = next.getAndIncrement();
            long i = n - poolBase;
            if (i < pool.length) {
                return pool[(int) i];
            }
            inlineKeys.incrementAndGet();
            return keyBytes(n);
        }

        final void close(String name) {
            try {
                String syncs = "";
                if (statistics != null) {
                    long synced = statistics.getTickerCount(TickerType.WAL_FILE_SYNCED) - syncsAtStart;
                    long written = statistics.getTickerCount(TickerType.NUMBER_KEYS_WRITTEN) - keysWrittenAtStart;
                    syncs = String.format("; %d WAL syncs (%.1f puts per sync)", synced,
                            synced == 0 ? 0.0 : (double) written / synced);
                }
                System.out.printf("%n[%s] %d keys written, %d built inline%s%n", name, next.get() - preloadKeys,
                        inlineKeys.get(), syncs);
                if (db != null) {
                    db.closeE();
                }
            } catch (RocksDBException e) {
                throw new IllegalStateException("closing raw RocksDB", e);
            } finally {
                db = null;
                for (AutoCloseable c : new AutoCloseable[] {writeOptions, readOptions, options, statistics, bloom, cache}) {
                    if (c != null) {
                        try {
                            c.close();
                        } catch (Exception e) {
                            // closing native handles: nothing to do
                        }
                    }
                }
                pool = null;
                preloaded = null;
                deleteTree(directory);
            }
        }
    }

    /** Raw RocksDB, unsynced puts (WriteOptions sync=false). */
    @State(Scope.Benchmark)
    public static class Raw extends RawBase {
        @Setup(Level.Trial)
        public void setUp() {
            open(false, false, false);
        }

        @TearDown(Level.Trial)
        public void tearDown(BenchmarkParams params) {
            close(shortName(params) + ": raw");
        }
    }

    /** Raw RocksDB, synced puts, every put its own write group and so its own fsync. */
    @State(Scope.Benchmark)
    public static class RawFsyncPerPut extends RawBase {
        @Setup(Level.Trial)
        public void setUp() {
            open(true, true, true);
        }

        @TearDown(Level.Trial)
        public void tearDown(BenchmarkParams params) {
            close(shortName(params) + ": raw sync=true, one writer per write group");
        }
    }

    /** Raw RocksDB, synced puts, RocksDB's own write grouping on (its default). */
    @State(Scope.Benchmark)
    public static class RawSyncGrouped extends RawBase {
        @Setup(Level.Trial)
        public void setUp() {
            open(true, false, true);
        }

        @TearDown(Level.Trial)
        public void tearDown(BenchmarkParams params) {
            close(shortName(params) + ": raw sync=true, RocksDB write groups");
        }
    }

    // ---- reads

    /** Our engine: get of a preloaded key (read, CRC32C check, decode). */
    @Benchmark
    public Siblings<Content> engineGet(Engine s) {
        StoredKey key = s.preloaded[s.nextRead()];
        return s.engine.get(partitionOf(key), key);
    }

    /** Raw RocksDB: get of a preloaded key. */
    @Benchmark
    public byte[] rawGet(Raw s) throws RocksDBException {
        return s.db.get(s.readOptions, s.preloaded[s.nextRead()]);
    }

    // ---- buffered writes

    /** Our engine: a blind client write (empty context) of a new key, Durability.BUFFERED. */
    @Benchmark
    public WriteResult enginePut(Engine s) {
        StoredKey key = s.freshKey();
        return s.engine.update(partitionOf(key), key, VersionVector.empty(), s.content, COORDINATOR,
                Durability.BUFFERED);
    }

    /** Our engine: a replica's one-value state merged into a new key, Durability.BUFFERED. */
    @Benchmark
    public WriteResult engineMerge(Engine s) {
        StoredKey key = s.freshKey();
        return s.engine.merge(partitionOf(key), key, s.replicaState, Durability.BUFFERED);
    }

    /** Raw RocksDB: put of a new key, WriteOptions sync=false (WAL on). */
    @Benchmark
    public void rawPut(Raw s) throws RocksDBException {
        s.db.put(s.writeOptions, s.freshKey(), s.value);
    }

    // ---- durable writes

    /** Our engine, 16 writers: a durable write of a new key, waiting until group commit syncs it. */
    @Benchmark
    @Threads(16)
    public void engineDurablePut16(Engine s) {
        StoredKey key = s.freshKey();
        s.engine.update(partitionOf(key), key, VersionVector.empty(), s.content, COORDINATOR, Durability.DURABLE)
                .durable().join();
    }

    /** Raw RocksDB, 16 writers: sync=true puts, one fsync per put (no write grouping). */
    @Benchmark
    @Threads(16)
    public void rawFsyncPerPut16(RawFsyncPerPut s) throws RocksDBException {
        s.db.put(s.writeOptions, s.freshKey(), s.value);
    }

    /** Raw RocksDB, 1 writer: sync=true puts, one fsync per put (for reference). */
    @Benchmark
    @Threads(1)
    public void rawFsyncPerPut1(RawFsyncPerPut s) throws RocksDBException {
        s.db.put(s.writeOptions, s.freshKey(), s.value);
    }

    /** Raw RocksDB, 16 writers: sync=true puts with RocksDB's own write groups (its group commit). */
    @Benchmark
    @Threads(16)
    public void rawSyncPutGrouped16(RawSyncGrouped s) throws RocksDBException {
        s.db.put(s.writeOptions, s.freshKey(), s.value);
    }
}

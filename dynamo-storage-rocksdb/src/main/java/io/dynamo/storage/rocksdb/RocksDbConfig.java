package io.dynamo.storage.rocksdb;

import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.storage.StorageLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open a {@link RocksDbStorageEngine}.
 *
 * @param dataDirectory the node's one RocksDB database lives here (created if missing)
 * @param flushInterval buffered writes are made durable (one WAL sync) at least this often
 * @param groupCommitMaxBatch most durable writes completed by one WAL sync
 * @param groupCommitMaxLatency how long the committer waits for more writers to join a batch
 *     before syncing; zero (the default) syncs as soon as a writer is waiting, and batches form
 *     naturally from the writers that arrive while the previous sync runs
 * @param limits key, value and sibling limits, enforced before anything is written
 * @param treeShape the shape of every partition's Merkle tree
 * @param blockCacheBytes the shared LRU block cache for the data column family
 * @param writeBufferBytes memtable size of the data column family
 * @param compression block compression of the data column family
 */
public record RocksDbConfig(Path dataDirectory, Duration flushInterval, int groupCommitMaxBatch,
        Duration groupCommitMaxLatency, StorageLimits limits, TreeShape treeShape, long blockCacheBytes,
        long writeBufferBytes, Compression compression) {

    /** Block compression choices; all are linked into the bundled rocksdbjni library. */
    public enum Compression {
        NONE, LZ4, ZSTD, SNAPPY
    }

    public RocksDbConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(groupCommitMaxLatency, "groupCommitMaxLatency");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(treeShape, "treeShape");
        Objects.requireNonNull(compression, "compression");
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("storage.flush-interval must be positive, was " + flushInterval);
        }
        if (groupCommitMaxBatch < 1) {
            throw new IllegalArgumentException("storage.group-commit-max-batch must be at least 1, was "
                    + groupCommitMaxBatch);
        }
        if (groupCommitMaxLatency.isNegative()) {
            throw new IllegalArgumentException("storage.group-commit-max-latency must not be negative, was "
                    + groupCommitMaxLatency);
        }
        if (blockCacheBytes < 0) {
            throw new IllegalArgumentException("storage.block-cache-bytes must not be negative, was "
                    + blockCacheBytes);
        }
        if (writeBufferBytes < 64 * 1024) {
            throw new IllegalArgumentException("storage.write-buffer-bytes must be at least 65536, was "
                    + writeBufferBytes);
        }
    }

    /**
     * Defaults: 1 s flush interval, batches of up to 1024 durable writes with no added latency,
     * {@link StorageLimits#DEFAULTS}, {@link TreeShape#DEFAULT}, 256 MiB block cache, 64 MiB
     * write buffer, LZ4.
     */
    public static RocksDbConfig defaults(Path dataDirectory) {
        return new RocksDbConfig(dataDirectory, Duration.ofSeconds(1), 1024, Duration.ZERO, StorageLimits.DEFAULTS,
                TreeShape.DEFAULT, 256L << 20, 64L << 20, Compression.LZ4);
    }

    public RocksDbConfig withFlushInterval(Duration value) {
        return new RocksDbConfig(dataDirectory, value, groupCommitMaxBatch, groupCommitMaxLatency, limits, treeShape,
                blockCacheBytes, writeBufferBytes, compression);
    }

    public RocksDbConfig withGroupCommit(int maxBatch, Duration maxLatency) {
        return new RocksDbConfig(dataDirectory, flushInterval, maxBatch, maxLatency, limits, treeShape,
                blockCacheBytes, writeBufferBytes, compression);
    }

    public RocksDbConfig withLimits(StorageLimits value) {
        return new RocksDbConfig(dataDirectory, flushInterval, groupCommitMaxBatch, groupCommitMaxLatency, value,
                treeShape, blockCacheBytes, writeBufferBytes, compression);
    }

    public RocksDbConfig withTreeShape(TreeShape value) {
        return new RocksDbConfig(dataDirectory, flushInterval, groupCommitMaxBatch, groupCommitMaxLatency, limits,
                value, blockCacheBytes, writeBufferBytes, compression);
    }

    public RocksDbConfig withCache(long blockCache, long writeBuffer) {
        return new RocksDbConfig(dataDirectory, flushInterval, groupCommitMaxBatch, groupCommitMaxLatency, limits,
                treeShape, blockCache, writeBuffer, compression);
    }

    public RocksDbConfig withCompression(Compression value) {
        return new RocksDbConfig(dataDirectory, flushInterval, groupCommitMaxBatch, groupCommitMaxLatency, limits,
                treeShape, blockCacheBytes, writeBufferBytes, value);
    }
}

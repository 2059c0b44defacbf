package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageEngineContract;
import io.dynamo.core.storage.StorageLimits;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/** The shared storage contract, run against the RocksDB engine (each engine in its own directory). */
class RocksDbStorageEngineTest extends StorageEngineContract {

    @TempDir
    Path dir;

    @Override
    protected StorageEngine createEngine(StorageLimits limits) {
        Path data = dir.resolve("engine-" + UUID.randomUUID());
        // A small cache and write buffer: the suite opens many engines.
        return RocksDbStorageEngine.open(RocksDbConfig.defaults(data).withLimits(limits).withCache(8L << 20, 1L << 20));
    }

    @Override
    protected StorageEngine reopen(StorageEngine closed) {
        return RocksDbStorageEngine.open(((RocksDbStorageEngine) closed).config());
    }
}

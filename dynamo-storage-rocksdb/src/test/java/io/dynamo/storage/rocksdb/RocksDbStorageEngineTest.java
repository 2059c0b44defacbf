package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageEngineContract;
import io.dynamo.core.storage.StorageLimits;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/** The shared storage contract, run against the RocksDB engine (each engine in its own directory). */
class RocksDbStorageEngineTest extends StorageEngineContract {

    @TempDir
    Path dir;

    /**
     * jqwik properties get no {@code @TempDir}; their engines go under one directory that is
     * deleted when the test JVM exits.
     */
    private static Path propertyRoot;

    private static synchronized Path propertyRoot() {
        if (propertyRoot == null) {
            try {
                Path root = Files.createTempDirectory("rocksdb-contract-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        CorruptionTest.deleteTree(root);
                    } catch (IOException e) {
                        // best effort: it is a temporary directory
                    }
                }));
                propertyRoot = root;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return propertyRoot;
    }

    @Override
    protected StorageEngine createEngine(StorageLimits limits) {
        Path base = dir != null ? dir : propertyRoot();
        Path data = base.resolve("engine-" + UUID.randomUUID());
        // A small cache and write buffer: the suite opens many engines.
        return RocksDbStorageEngine.open(RocksDbConfig.defaults(data).withLimits(limits).withCache(8L << 20, 1L << 20));
    }

    @Override
    protected StorageEngine reopen(StorageEngine closed) {
        return RocksDbStorageEngine.open(((RocksDbStorageEngine) closed).config());
    }
}

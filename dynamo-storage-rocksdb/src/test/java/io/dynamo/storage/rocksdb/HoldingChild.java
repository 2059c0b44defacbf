package io.dynamo.storage.rocksdb;

import java.nio.file.Path;

/**
 * The child JVM of {@link DataFolderInUseTest}: opens the engine in {@code args[0]}, prints
 * {@code READY}, and keeps it open until its standard input closes (or it is killed).
 */
public final class HoldingChild {

    private HoldingChild() {
    }

    public static void main(String[] args) throws Exception {
        try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(Path.of(args[0])))) {
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the folder until the parent closes our stdin
            }
        }
    }
}

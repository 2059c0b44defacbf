package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.VersionVector;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Measures what rebuilding the Merkle trees at open costs (a measurement, not a test; 1 KiB
 * values, 256 partitions). Run from the repository root:
 *
 * <pre>
 * mvn -B -q -pl dynamo-storage-rocksdb -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.dynamo.storage.rocksdb.MerkleRebuildMeasurement -Dexec.args=1000000
 * </pre>
 */
public final class MerkleRebuildMeasurement {

    private MerkleRebuildMeasurement() {
    }

    public static void main(String[] args) throws IOException {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("merkle-rebuild");
        int partitions = 256;
        ActorId me = new ActorId("node-1", 1);
        SplittableRandom random = new SplittableRandom(1);
        byte[] value = new byte[1024];
        long writeStart = System.nanoTime();
        try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(dir))) {
            for (int i = 0; i < keys; i++) {
                // Half random, half repeated: about 2:1 compressible, like typical payloads.
                for (int j = 0; j < 512; j += 8) {
                    ByteBuffer.wrap(value, j, 8).putLong(random.nextLong());
                }
                StoredKey key = StoredKey.of("bench", ByteBuffer.allocate(4).putInt(i).array());
                engine.update(i % partitions, key, VersionVector.empty(), Content.of(value, "application/octet-stream", i),
                        me, Durability.BUFFERED);
            }
            engine.flushMemtables();
        }
        long writeNanos = System.nanoTime() - writeStart;
        for (int round = 0; round < 3; round++) {
            long openStart = System.nanoTime();
            try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(dir))) {
                long openNanos = System.nanoTime() - openStart;
                System.out.printf("merkle rebuild at open: %d keys, rebuild+check %.2f s, whole open %.2f s"
                        + " (write phase %.1f s)%n", engine.keysAtOpen(), engine.openRebuildNanos() / 1e9,
                        openNanos / 1e9, writeNanos / 1e9);
            }
        }
        System.out.println("data left in " + dir + " (delete it when done)");
    }
}

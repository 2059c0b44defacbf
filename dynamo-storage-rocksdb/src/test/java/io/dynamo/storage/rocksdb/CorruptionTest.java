package io.dynamo.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes flipped in the data files are reported as corruption, on open or on read, and never come
 * back as a wrong value.
 */
class CorruptionTest {

    private static final ActorId ME = new ActorId("node-1", 1);
    private static final int KEYS = 2000;
    private static final int TRIALS = 40;

    @TempDir
    Path tmp;

    private static StoredKey key(int i) {
        return StoredKey.of("ns", ("key-" + i).getBytes(StandardCharsets.UTF_8));
    }

    /** Values that do not compress to nothing, so the SST files have real data blocks. */
    private static Content value(int i) {
        Random r = new Random(i);
        byte[] bytes = new byte[100 + r.nextInt(200)];
        r.nextBytes(bytes);
        return Content.of(bytes, "application/octet-stream", i);
    }

    private static void writeAll(RocksDbStorageEngine engine) {
        for (int i = 0; i < KEYS; i++) {
            engine.update(i % 8, key(i), VersionVector.empty(), value(i), ME, Durability.BUFFERED);
        }
        engine.metadata().put("node-id", "node-1".getBytes(StandardCharsets.UTF_8));
        engine.hints().append(NodeId.of("other"), 0, key(0), engine.get(0, key(0)));
    }

    private enum Outcome { OPEN_FAILED, ALL_READS_RIGHT, SOME_READS_CORRUPT }

    /** Reads every key; each read must be the right value or CORRUPTION. Returns the corrupt count. */
    private static int readEverything(RocksDbStorageEngine engine, boolean allowMissing) {
        int corrupt = 0;
        for (int i = 0; i < KEYS; i++) {
            try {
                Siblings<Content> s = engine.get(i % 8, key(i));
                if (s.isEmpty() && allowMissing) {
                    continue;
                }
                assertThat(s.values()).as("key %d", i).hasSize(1);
                assertThat(s.values().get(0).value()).as("key %d", i).isEqualTo(value(i));
            } catch (StorageException e) {
                assertThat(e.kind()).as("key %d: %s", i, e).isEqualTo(StorageException.Kind.CORRUPTION);
                corrupt++;
            }
        }
        try {
            Optional<byte[]> id = engine.metadata().get("node-id");
            assertThat(id).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("node-1"));
            assertThat(engine.hints().list(NodeId.of("other"), null, 10)).singleElement()
                    .satisfies(h -> assertThat(h.key()).isEqualTo(key(0)));
        } catch (StorageException e) {
            assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPTION);
            corrupt++;
        }
        return corrupt;
    }

    @Test
    void flippedSstBytesAreDetectedAtOpenOrOnRead() throws IOException {
        Path pristine = tmp.resolve("pristine");
        try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(pristine))) {
            writeAll(engine);
            engine.flushMemtables();
        }
        Random random = new Random(20071014);
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            Path copy = tmp.resolve("trial-" + trial);
            copyTree(pristine, copy);
            List<Path> ssts = files(copy, ".sst");
            assertThat(ssts).isNotEmpty();
            Path victim = ssts.get(random.nextInt(ssts.size()));
            flip(victim, random);
            Outcome outcome;
            try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(copy))) {
                outcome = readEverything(engine, false) == 0 ? Outcome.ALL_READS_RIGHT : Outcome.SOME_READS_CORRUPT;
            } catch (StorageException e) {
                assertThat(e.kind()).as("%s", e).isEqualTo(StorageException.Kind.CORRUPTION);
                outcome = Outcome.OPEN_FAILED;
            }
            outcomes.merge(outcome, 1, Integer::sum);
            deleteTree(copy);
        }
        System.out.println("SST flips at rest (" + TRIALS + " trials): " + outcomes);
    }

    @Test
    void bytesFlippedWhileOpenAreDetectedOnRead() throws IOException {
        Path pristine = tmp.resolve("pristine");
        try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(pristine))) {
            writeAll(engine);
            engine.flushMemtables();
        }
        Random random = new Random(4242);
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            Path copy = tmp.resolve("live-" + trial);
            copyTree(pristine, copy);
            // A tiny block cache, so that reads go to the (flipped) file rather than cached blocks.
            RocksDbConfig config = RocksDbConfig.defaults(copy).withCache(0, 1L << 20);
            try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(config)) {
                List<Path> ssts = files(copy, ".sst");
                flip(ssts.get(random.nextInt(ssts.size())), random);
                int corrupt = readEverything(engine, false);
                outcomes.merge(corrupt == 0 ? Outcome.ALL_READS_RIGHT : Outcome.SOME_READS_CORRUPT, 1, Integer::sum);
            }
            deleteTree(copy);
        }
        System.out.println("SST flips while open (" + TRIALS + " trials): " + outcomes);
        assertThat(outcomes).containsKey(Outcome.SOME_READS_CORRUPT);
    }

    @Test
    void flippedWalBytesLoseASuffixOrFailOpenButNeverReturnAWrongValue() throws IOException {
        Path pristine = tmp.resolve("pristine");
        try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(pristine))) {
            for (int i = 0; i < KEYS; i++) {
                engine.update(0, key(i), VersionVector.empty(), value(i), ME, Durability.BUFFERED);
            }
        }
        assertThat(files(pristine, ".log")).isNotEmpty();
        Random random = new Random(99);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int trial = 0; trial < 20; trial++) {
            Path copy = tmp.resolve("wal-" + trial);
            copyTree(pristine, copy);
            List<Path> logs = files(copy, ".log");
            Path wal = logs.stream().max(Comparator.comparingLong(CorruptionTest::size)).orElseThrow();
            flip(wal, random);
            try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(copy))) {
                // Point-in-time recovery replays the WAL up to the damaged record: what survives is
                // a prefix of the writes, each with its right value.
                int present = 0;
                boolean gap = false;
                for (int i = 0; i < KEYS; i++) {
                    Siblings<Content> s = engine.get(0, key(i));
                    if (s.isEmpty()) {
                        gap = true;
                        continue;
                    }
                    if (gap) {
                        fail("key " + i + " survived although an earlier write was lost");
                    }
                    assertThat(s.values()).singleElement().satisfies(v -> assertThat(v.value()).isNotNull());
                    assertThat(s.values().get(0).value()).isEqualTo(value(i));
                    present++;
                }
                outcomes.merge(present == KEYS ? "all" : "prefix", 1, Integer::sum);
            } catch (StorageException e) {
                assertThat(e.kind()).as("%s", e).isEqualTo(StorageException.Kind.CORRUPTION);
                outcomes.merge("open failed", 1, Integer::sum);
            }
            deleteTree(copy);
        }
        System.out.println("WAL flips (20 trials): " + outcomes);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flip(Path file, Random random) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long offset = (long) (random.nextDouble() * raf.length());
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ (1 + random.nextInt(255)));
        }
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

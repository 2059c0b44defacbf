package io.dynamo.bench.baseline;

import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.storage.rocksdb.RocksDbConfig;
import io.dynamo.storage.rocksdb.RocksDbStorageEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Our storage engine alone: {@link RocksDbStorageEngine} opened in process with
 * {@link RocksDbConfig#defaults} on a fresh directory, no network, no node, one thread. What a
 * replica's storage costs per request, the floor under a node's get and put.
 *
 * <ol>
 *   <li><b>Puts</b>: {@code engine.update} of a key nobody wrote before, with the empty context,
 *       {@link Durability#BUFFERED} (the write is in RocksDB's memtable and WAL, unsynced; the
 *       engine's committer syncs the WAL once per flush interval, 1 s), a {@code valueBytes} value
 *       of seeded random bytes. {@link Settings#warmupOperations} first, unrecorded, then up to
 *       {@link Settings#operations} timed ones or until {@link Settings#maxPhaseDuration}.
 *   <li><b>Gets</b>: {@code engine.get} of a key the put phase wrote, chosen uniformly with the
 *       seed (read, checksum check, decode of the sibling set), as many and as long as the puts.
 *       The keys were just written, so most reads come from the memtable or recently flushed
 *       files, through a warm block cache: the engine's best case, as a baseline should be.
 * </ol>
 *
 * Keys are 16 bytes (namespace {@code probe}) spread over 16 partitions, as in
 * {@code StorageBenchmark}, and built before each phase, outside the timed region. The directory
 * is deleted at the end.
 */
public final class StorageEngineProbe {

    static final String NAMESPACE = "probe";
    static final ActorId COORDINATOR = new ActorId("probe", 1L);

    private StorageEngineProbe() {
    }

    /**
     * @param parentDirectory where the engine's fresh directory is made (deleted at the end); null
     *     for the system's temporary directory
     * @param valueBytes bytes per value, 1 to 1 MiB
     * @param operations timed puts, and timed gets, at most; 1 to 10,000,000
     * @param maxPhaseDuration the longest each timed phase may take; null for no limit
     * @param warmupOperations untimed puts, and gets, before each phase
     * @param seed the values' bytes and the gets' choice of keys
     */
    public record Settings(Path parentDirectory, int valueBytes, long operations, Duration maxPhaseDuration,
            long warmupOperations, long seed) {

        public Settings {
            if (valueBytes < 1 || valueBytes > 1 << 20) {
                throw new IllegalArgumentException("storage probe value size must be from 1 byte to 1 MiB, was "
                        + valueBytes);
            }
            if (operations < 1 || operations > 10_000_000) {
                throw new IllegalArgumentException("storage probe operations must be from 1 to 10000000, was "
                        + operations);
            }
            if (maxPhaseDuration != null && (maxPhaseDuration.isNegative() || maxPhaseDuration.isZero())) {
                throw new IllegalArgumentException("storage probe phase duration must be positive (or none), was "
                        + maxPhaseDuration);
            }
            if (warmupOperations < 0 || warmupOperations > 10_000_000) {
                throw new IllegalArgumentException("storage probe warm-up operations must be from 0 to 10000000, "
                        + "was " + warmupOperations);
            }
        }

        /** The temporary directory, 1 KiB values, 100,000 puts and gets of at most 10 s each, 10,000 warm-up. */
        public static Settings defaults(long seed) {
            return new Settings(null, 1024, 100_000, Duration.ofSeconds(10), 10_000, seed);
        }

        public Settings withParentDirectory(Path value) {
            return new Settings(value, valueBytes, operations, maxPhaseDuration, warmupOperations, seed);
        }

        public Settings withValueBytes(int value) {
            return new Settings(parentDirectory, value, operations, maxPhaseDuration, warmupOperations, seed);
        }

        public Settings withOperations(long value) {
            return new Settings(parentDirectory, valueBytes, value, maxPhaseDuration, warmupOperations, seed);
        }

        public Settings withMaxPhaseDuration(Duration value) {
            return new Settings(parentDirectory, valueBytes, operations, value, warmupOperations, seed);
        }

        public Settings withWarmupOperations(long value) {
            return new Settings(parentDirectory, valueBytes, operations, maxPhaseDuration, value, seed);
        }
    }

    /**
     * One timed phase.
     *
     * @param operation {@code put} or {@code get}
     * @param count operations timed
     * @param seconds how long they took
     * @param latency each operation (microseconds, recorded in nanoseconds)
     */
    public record Phase(String operation, long count, double seconds, LatencySummary latency) {

        public double operationsPerSecond() {
            return seconds > 0 ? count / seconds : Double.NaN;
        }
    }

    /**
     * @param settings what was asked for
     * @param puts the put phase
     * @param gets the get phase
     * @param missingReads gets that found no value (0 unless something is wrong)
     * @param walSyncs WAL syncs the engine made while the probe ran (its flush-interval syncs)
     */
    public record Result(Settings settings, Phase puts, Phase gets, long missingReads, long walSyncs) {

        public Result {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(puts, "puts");
            Objects.requireNonNull(gets, "gets");
        }
    }

    /** Opens the engine on a fresh directory, runs both phases, closes it and deletes the directory. */
    public static Result run(Settings settings) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Path parent = settings.parentDirectory();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("storage probe parent directory " + parent
                    + " is not an existing directory");
        }
        Path dir = parent == null ? Files.createTempDirectory("dynamo-storage-probe-")
                : Files.createTempDirectory(parent, "dynamo-storage-probe-");
        try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(dir))) {
            long syncsAtStart = engine.walSyncCount();
            SplittableRandom random = new SplittableRandom(settings.seed());
            byte[] bytes = new byte[settings.valueBytes()];
            random.nextBytes(bytes);
            Content content = Content.of(bytes, "application/octet-stream", 1_700_000_000_000L);

            long warm = settings.warmupOperations();
            long total = warm + settings.operations();
            StoredKey[] keys = new StoredKey[(int) total];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = StoredKey.of(NAMESPACE, keyBytes(i));
            }
            for (int i = 0; i < warm; i++) {
                put(engine, keys[i], content);
            }
            Histogram h = LatencySummary.nanosHistogram();
            long deadline = deadline(settings);
            long start = System.nanoTime();
            int written = (int) warm;
            while (written < total) {
                long t = System.nanoTime();
                put(engine, keys[written], content);
                long now = System.nanoTime();
                h.recordValue(clamp(now - t));
                written++;
                if (settings.maxPhaseDuration() != null && now - deadline >= 0) {
                    break;
                }
            }
            Phase puts = new Phase("put", h.getTotalCount(), (System.nanoTime() - start) / 1e9,
                    LatencySummary.fromNanos(h));

            long missing = 0;
            for (long i = 0; i < warm; i++) {
                if (get(engine, keys[random.nextInt(written)]).isEmpty()) {
                    missing++;
                }
            }
            h = LatencySummary.nanosHistogram();
            deadline = deadline(settings);
            start = System.nanoTime();
            for (long i = 0; i < settings.operations(); i++) {
                StoredKey key = keys[random.nextInt(written)];
                long t = System.nanoTime();
                Siblings<Content> read = get(engine, key);
                long now = System.nanoTime();
                h.recordValue(clamp(now - t));
                if (read.isEmpty()) {
                    missing++;
                }
                if (settings.maxPhaseDuration() != null && now - deadline >= 0) {
                    break;
                }
            }
            Phase gets = new Phase("get", h.getTotalCount(), (System.nanoTime() - start) / 1e9,
                    LatencySummary.fromNanos(h));
            return new Result(settings, puts, gets, missing, engine.walSyncCount() - syncsAtStart);
        } finally {
            deleteTree(dir);
        }
    }

    private static long deadline(Settings settings) {
        return settings.maxPhaseDuration() == null ? 0 : System.nanoTime() + settings.maxPhaseDuration().toNanos();
    }

    private static long clamp(long nanos) {
        return Math.min(LoopbackRoundTrip.HIGHEST_NANOS, Math.max(1, nanos));
    }

    private static void put(RocksDbStorageEngine engine, StoredKey key, Content content) {
        engine.update(partitionOf(key), key, VersionVector.empty(), content, COORDINATOR, Durability.BUFFERED);
    }

    private static Siblings<Content> get(RocksDbStorageEngine engine, StoredKey key) {
        return engine.get(partitionOf(key), key);
    }

    /** One of 16 partitions, from the key hash (as StorageBenchmark). */
    static int partitionOf(StoredKey key) {
        return (int) (key.keyHash() >>> 60);
    }

    /** 16 bytes: a mix of n, then n, so keys arrive in no particular order. */
    static byte[] keyBytes(long n) {
        byte[] out = new byte[16];
        long z = n;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z = z ^ (z >>> 31);
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) z;
            z >>>= 8;
        }
        long v = n;
        for (int i = 15; i >= 8; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

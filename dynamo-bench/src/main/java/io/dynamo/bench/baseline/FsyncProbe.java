package io.dynamo.bench.baseline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * The cost of one durable append on a disk: in a directory, a fresh file is appended
 * {@link Settings#blockBytes} (4 KiB) at a time, each append followed by
 * {@code FileChannel.force(false)} (fdatasync on Linux: the data and the metadata needed to read it
 * back, such as the grown file size, but not the modification time), and each append-and-force is
 * timed. This is what a write-ahead log pays per sync (RocksDB's WAL is appended the same way), so
 * it is the floor of a durable write and the unit group commit amortizes. The file is deleted at
 * the end, and so is the directory when the probe made it.
 */
public final class FsyncProbe {

    private FsyncProbe() {
    }

    /**
     * @param directory where the file goes (it must exist); null for a new temporary directory
     *     (deleted at the end). Give the data directory of the store being judged: fsync cost
     *     depends on the file system and device
     * @param writes appends measured, 1 to 1,000,000
     * @param blockBytes bytes per append, 1 to 16 MiB
     * @param warmupWrites appends before measuring, not recorded
     */
    public record Settings(Path directory, int writes, int blockBytes, int warmupWrites) {

        public Settings {
            if (writes < 1 || writes > 1_000_000) {
                throw new IllegalArgumentException("fsync probe writes must be from 1 to 1000000, was " + writes);
            }
            if (blockBytes < 1 || blockBytes > 16 << 20) {
                throw new IllegalArgumentException("fsync probe block must be from 1 byte to 16 MiB, was "
                        + blockBytes);
            }
            if (warmupWrites < 0) {
                throw new IllegalArgumentException("fsync probe warm-up writes must be at least 0, was "
                        + warmupWrites);
            }
        }

        /** A temporary directory, 200 appends of 4 KiB after 5 unrecorded ones. */
        public static Settings defaults() {
            return new Settings(null, 200, 4096, 5);
        }

        public Settings withDirectory(Path value) {
            return new Settings(value, writes, blockBytes, warmupWrites);
        }

        public Settings withWrites(int value) {
            return new Settings(directory, value, blockBytes, warmupWrites);
        }

        public Settings withBlockBytes(int value) {
            return new Settings(directory, writes, value, warmupWrites);
        }

        public Settings withWarmupWrites(int value) {
            return new Settings(directory, writes, blockBytes, value);
        }
    }

    /**
     * @param settings what was asked for
     * @param directory where the file was (the temporary one if none was given)
     * @param fileStore the file system there, as the JDK names it ({@code /dev/vda1 (ext4)}); empty
     *     when unknown
     * @param writes appends measured
     * @param seconds how long they took
     * @param latency one append plus force, each (microseconds)
     */
    public record Result(Settings settings, Path directory, String fileStore, long writes, double seconds,
            LatencySummary latency) {

        public Result {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(fileStore, "fileStore");
            Objects.requireNonNull(latency, "latency");
        }

        /** Appends with their sync per second, one thread back to back. */
        public double syncsPerSecond() {
            return seconds > 0 ? writes / seconds : Double.NaN;
        }
    }

    /** Runs the probe; the file (and a temporary directory) is deleted however it ends. */
    public static Result run(Settings settings) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Path given = settings.directory();
        if (given != null && !Files.isDirectory(given)) {
            throw new IllegalArgumentException("fsync probe directory " + given + " is not an existing directory");
        }
        Path dir = given != null ? given : Files.createTempDirectory("dynamo-fsync-probe-");
        Path file = null;
        try {
            file = Files.createTempFile(dir, "fsync-probe-", ".tmp");
            ByteBuffer block = ByteBuffer.allocateDirect(settings.blockBytes());
            for (int i = 0; i < settings.blockBytes(); i++) {
                block.put((byte) (i * 31 + 7));
            }
            Histogram h = LatencySummary.nanosHistogram();
            long start;
            long end;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                for (int i = 0; i < settings.warmupWrites(); i++) {
                    append(channel, block);
                }
                start = System.nanoTime();
                for (int i = 0; i < settings.writes(); i++) {
                    long t = System.nanoTime();
                    append(channel, block);
                    h.recordValue(Math.min(LoopbackRoundTrip.HIGHEST_NANOS, Math.max(1, System.nanoTime() - t)));
                }
                end = System.nanoTime();
            }
            return new Result(settings, dir, describe(dir), h.getTotalCount(), (end - start) / 1e9,
                    LatencySummary.fromNanos(h));
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
            if (given == null) {
                Files.deleteIfExists(dir);
            }
        }
    }

    private static void append(FileChannel channel, ByteBuffer block) throws IOException {
        block.rewind();
        while (block.hasRemaining()) {
            channel.write(block);
        }
        channel.force(false);
    }

    private static String describe(Path dir) {
        try {
            FileStore store = Files.getFileStore(dir);
            return store.name() + " (" + store.type() + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}

package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The child JVM of {@link BufferedCrashDurabilityTest}: opens the engine in {@code args[0]} with
 * a flush interval of {@code args[2]} milliseconds and, from {@link #THREADS} threads, keeps
 * updating a fixed set of keys with {@link Durability#BUFFERED} writes. Each thread owns its
 * keys; a key's value carries a sequence number that goes up by one per write and continues
 * across runs, and its bytes are a function of (key, sequence), so a reader can tell a real
 * value from garbage ({@link #verify}).
 *
 * <p>After each write returns, the thread appends to the log file {@code args[3]}, under one lock
 * so lines are in a total order, {@code A <key index> <sequence> <nanoTime> <walSyncCount> .}: the
 * time and the engine's count of completed WAL syncs are both read after the write returned. Each
 * line is one {@code write} call, so it is in the OS page cache, which a SIGKILL does not lose.
 * (Not stdout: when a child dies, the JDK drains the rest of its stdout pipe on the process
 * reaper thread, racing the thread that reads it, and the tail is sometimes lost.) Prints
 * {@code READY} on stdout once the store is open, and logs {@code FAIL <message>} if anything goes
 * wrong. Runs until killed.
 */
public final class BufferedCrashChild {

    static final int THREADS = 4;
    static final int KEYS_PER_THREAD = 256;
    static final int KEYS = THREADS * KEYS_PER_THREAD;
    static final int PARTITIONS = 16;
    static final String NAMESPACE = "buffered";

    private BufferedCrashChild() {
    }

    static StoredKey key(int index) {
        return StoredKey.of(NAMESPACE, ("k" + index).getBytes(StandardCharsets.UTF_8));
    }

    static int partition(int index) {
        return index % PARTITIONS;
    }

    /** Key index {@code k} of thread {@code t}. */
    static int keyIndex(int thread, int k) {
        return k * THREADS + thread;
    }

    /**
     * The value written to key {@code index} at {@code sequence}: 8 bytes of sequence, then 24 to
     * 535 bytes determined by (index, sequence).
     */
    static byte[] valueOf(int index, long sequence) {
        long state = mix(((long) index << 40) ^ sequence ^ 0x5DEECE66DL);
        int length = 8 + 24 + (int) Long.remainderUnsigned(state, 512);
        byte[] out = new byte[length];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (sequence >>> (56 - 8 * i));
        }
        for (int i = 8; i < length; i++) {
            if ((i & 7) == 0) {
                state = mix(state + 0x9E3779B97F4A7C15L);
            }
            out[i] = (byte) (state >>> (8 * (i & 7)));
        }
        return out;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The sequence stored under key {@code index}: 0 when absent, otherwise the sequence of its one
     * value, which must be exactly {@link #valueOf} of that sequence.
     *
     * @throws IllegalStateException if the state is anything else (garbage)
     */
    static long verify(int index, Siblings<Content> state) {
        if (state.isEmpty()) {
            return 0;
        }
        if (state.size() != 1) {
            throw new IllegalStateException("key " + index + " has " + state.size() + " siblings: " + state);
        }
        Content content = state.values().get(0).value();
        byte[] bytes = content.value();
        if (content.isTombstone() || bytes.length < 8) {
            throw new IllegalStateException("key " + index + " holds no well-formed value: " + content);
        }
        long sequence = 0;
        for (int i = 0; i < 8; i++) {
            sequence = (sequence << 8) | (bytes[i] & 0xFF);
        }
        if (sequence < 1 || content.timestampMillis() != sequence || !Arrays.equals(bytes, valueOf(index, sequence))) {
            throw new IllegalStateException("key " + index + " holds garbage (sequence " + sequence + ", "
                    + bytes.length + " bytes, timestamp " + content.timestampMillis() + ")");
        }
        return sequence;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        Duration interval = Duration.ofMillis(Long.parseLong(args[2]));
        FileOutputStream log = new FileOutputStream(args[3]);
        RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(dir).withFlushInterval(interval));
        // A new incarnation per run, as a node takes after an unclean restart (storage.md, "Dots and crashes").
        ActorId me = new ActorId("buffered-child", round + 1L);
        System.out.println("READY");
        System.out.flush();
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                try {
                    for (long i = 0; ; i++) {
                        int index = keyIndex(thread, (int) (i % KEYS_PER_THREAD));
                        StoredKey key = key(index);
                        Siblings<Content> current = engine.get(partition(index), key);
                        long next = verify(index, current) + 1;
                        Content value = Content.of(valueOf(index, next), "application/octet-stream", next);
                        engine.update(partition(index), key, current.context(), value, me, Durability.BUFFERED);
                        synchronized (log) {
                            log.write(("A " + index + " " + next + " " + System.nanoTime() + " "
                                    + engine.walSyncCount() + " .\n").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                } catch (IOException | RuntimeException | Error e) {
                    e.printStackTrace();
                    synchronized (log) {
                        try {
                            log.write(("FAIL " + e + "\n").getBytes(StandardCharsets.UTF_8));
                        } catch (IOException ignored) {
                            // reported on stderr above
                        }
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        // Reached only after a failure: the parent kills this JVM otherwise.
        engine.close();
    }
}

package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.storage.WriteResult;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child JVM of {@link CrashDurabilityTest}: opens the engine in {@code args[0]} and, from
 * several threads, keeps updating its own keys with durable writes. For each write whose
 * durability future completed it appends {@code ACK <key> <counter> .} to the log file {@code
 * args[2]} (one write call per line, so a SIGKILL leaves whole lines in the page cache), then
 * prints the same line on stdout, which the parent only uses to pace the kill: a killed child's
 * last stdout lines can be lost in the pipe, so the file is the record. Runs until killed.
 */
public final class CrashChild {

    static final int THREADS = 4;
    static final int KEYS_PER_THREAD = 8;

    private CrashChild() {
    }

    static StoredKey key(int round, int thread, int k) {
        return StoredKey.of("crash", ("r" + round + "-t" + thread + "-k" + k).getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        FileOutputStream log = new FileOutputStream(args[2], true);
        RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(dir));
        ActorId me = new ActorId("child", round + 1L);
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                for (long i = 0; ; i++) {
                    int k = (int) (i % KEYS_PER_THREAD);
                    StoredKey key = key(round, thread, k);
                    Siblings<Content> current = engine.get(round % 16, key);
                    Content value = Content.of(("v" + i).getBytes(StandardCharsets.UTF_8), "text/plain", i);
                    WriteResult r = engine.update(round % 16, key, current.context(), value, me, Durability.DURABLE);
                    r.durable().join();
                    long counter = r.state().values().get(0).dot().counter();
                    String line = "ACK " + new String(key.bytes(), StandardCharsets.UTF_8) + " " + counter + " .";
                    synchronized (out) {
                        try {
                            log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        out.println(line);
                        out.flush();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        // Unreachable in practice: the parent kills this JVM.
        engine.close();
    }
}

package io.dynamo.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dynamo.core.merkle.KeyVersion;
import io.dynamo.core.merkle.MerkleTree;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredEntry;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Buffered writes and crashes: "a crash may lose the last interval's buffered writes, never a
 * durable one, and never corrupts the store" (docs/design/storage.md).
 *
 * <p><b>What a SIGKILL can and cannot show.</b> Killing the JVM does not lose the OS page cache:
 * a WAL record that RocksDB handed to the kernel survives the kill whether or not it was ever
 * fsynced. So no buffered write is actually lost here, and this test cannot observe loss. It
 * checks what the engine itself controls instead:
 *
 * <ol>
 *   <li><b>Never corrupts</b> ({@link #sigkillDuringBufferedWritesNeverCorruptsAndLosesNothingBeforeTheLastSync}).
 *       A child JVM ({@link BufferedCrashChild}) does buffered writes from 4 threads to 1,024 keys,
 *       values 32 to 543 bytes whose bytes are a function of (key, sequence); the test SIGKILLs it
 *       at a random moment, 20 times by default ({@code -Ddynamo.rocksdb.buffered.kills=N}, falling
 *       back to {@code dynamo.rocksdb.crash.kills}, for a soak run). After every kill the store
 *       must open; every key must hold nothing or exactly one value that verifies; a full scan
 *       must find only such values; every partition's Merkle tree must equal the tree rebuilt
 *       from a scan; and no key's sequence may go backwards from what the previous reopen saw or
 *       run ahead of the last write the child started.</li>
 *   <li><b>Loses at most the interval</b>, as ordering. After each write returns, the child logs
 *       the time and the engine's count of completed WAL syncs ({@code walSyncCount()}); the log is
 *       a file, not stdout (see {@link BufferedCrashChild}). If the count was {@code c}, sync
 *       {@code c + 1} may have started flushing the WAL before the write, but sync {@code c + 2}
 *       started after sync {@code c + 1} finished, hence after the write: once the count reaches
 *       {@code c + 2} the write is on stable storage. The test takes the worst-case loss model:
 *       with {@code S} the last count logged before the kill, only writes with {@code c + 2 > S}
 *       may be lost, and every write with {@code c + 2 <= S} must be present after the reopen.
 *       A run that saw no periodic sync at all fails. The span of the possibly-lost writes (oldest
 *       of them to the last line) is reported and held to two intervals plus 3 s, a gross bound
 *       only (fsync time varies by disk); the interval itself is timed by the third test. The
 *       writes actually lost are counted: 0 expected under SIGKILL, not asserted, since the
 *       contract allows losing them.</li>
 *   <li><b>The interval is honoured</b> ({@link #bufferedWritesAreSyncedEveryIntervalAndNoMoreOften}),
 *       in process with a 100 ms interval: a buffered write is synced within a few intervals with
 *       no flush call, and continuous buffered writes are synced periodically, never more often
 *       than once per interval.</li>
 * </ol>
 */
class BufferedCrashDurabilityTest {

    /** The child's flush interval: short, so each run of a few hundred ms sees several periodic syncs. */
    static final long CHILD_INTERVAL_MILLIS = 50;
    /** Kills land uniformly in this many milliseconds after the child opened the store. */
    static final int KILL_WINDOW_MILLIS = 450;
    /**
     * Slack on top of two intervals for the span of the possibly-lost writes: a sync's fsync time
     * depends on the disk, and the committer shares the CPU with the writers, RocksDB's threads and
     * the parent.
     */
    static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(3000);

    @TempDir
    Path dir;

    /** One acknowledged write, as the child logged it. */
    private record Ack(int index, long sequence, long nanos, long syncs) {
    }

    @Test
    void sigkillDuringBufferedWritesNeverCorruptsAndLosesNothingBeforeTheLastSync() throws Exception {
        int kills = Integer.getInteger("dynamo.rocksdb.buffered.kills", Integer.getInteger("dynamo.rocksdb.crash.kills", 20));
        Random random = new Random(Long.getLong("dynamo.rocksdb.crash.seed", 2007L));
        Path data = dir.resolve("data");
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(CHILD_INTERVAL_MILLIS);
        long[] previous = new long[BufferedCrashChild.KEYS]; // sequences the last reopen read
        long totalWrites = 0;
        long totalSyncs = 0;
        long totalPossiblyLost = 0;
        long totalLost = 0;
        long totalInFlight = 0;
        long maxExposure = 0;
        long maxWindow = 0;
        for (int round = 0; round < kills; round++) {
            CountDownLatch ready = new CountDownLatch(1);
            Path log = dir.resolve("acks-" + round + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), BufferedCrashChild.class.getName(), data.toString(),
                    Integer.toString(round), Long.toString(CHILD_INTERVAL_MILLIS), log.toString())
                    .redirectError(dir.resolve("child-" + round + ".err").toFile())
                    .start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.equals("READY")) {
                            ready.countDown();
                        }
                    }
                } catch (IOException e) {
                    // the child died; only READY is read from the pipe
                }
            });
            reader.start();
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("child %d opened the store", round).isTrue();
            int delay = random.nextInt(KILL_WINDOW_MILLIS + 1);
            assertThat(child.waitFor(delay, TimeUnit.MILLISECONDS)).as("child %d still running at the kill", round)
                    .isFalse();
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join();
            List<Ack> acks = new ArrayList<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ");
                assertThat(line).as("child %d reported no failure", round).doesNotStartWith("FAIL");
                if (parts.length == 6 && parts[0].equals("A") && parts[5].equals(".")) {
                    acks.add(new Ack(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                            Long.parseLong(parts[4])));
                }
                // else: the line the kill cut short
            }

            // The child's view: per key, sequences continue from what the last reopen read.
            long syncs = acks.isEmpty() ? 0 : acks.get(acks.size() - 1).syncs();
            long[] acked = previous.clone();
            long[] mustSurvive = previous.clone();
            long[] firstNanosAtCount = new long[(int) syncs + 3];
            Arrays.fill(firstNanosAtCount, Long.MAX_VALUE);
            long seenSyncs = -1;
            for (Ack ack : acks) {
                assertThat(ack.sequence()).as("round %d key %d: the child continued from the stored sequence",
                        round, ack.index()).isEqualTo(acked[ack.index()] + 1);
                acked[ack.index()] = ack.sequence();
                assertThat(ack.syncs()).as("sync count in line order").isGreaterThanOrEqualTo(Math.max(seenSyncs, 0));
                for (long s = seenSyncs + 1; s <= ack.syncs(); s++) {
                    firstNanosAtCount[(int) s] = ack.nanos();
                }
                seenSyncs = Math.max(seenSyncs, ack.syncs());
            }
            long lastNanos = acks.isEmpty() ? 0 : acks.get(acks.size() - 1).nanos();
            long oldestPossiblyLost = Long.MAX_VALUE;
            for (Ack ack : acks) {
                if (ack.syncs() + 2 <= syncs) {
                    // Synced before the kill: must survive.
                    mustSurvive[ack.index()] = Math.max(mustSurvive[ack.index()], ack.sequence());
                    maxExposure = Math.max(maxExposure, firstNanosAtCount[(int) ack.syncs() + 2] - ack.nanos());
                } else {
                    totalPossiblyLost++;
                    oldestPossiblyLost = Math.min(oldestPossiblyLost, ack.nanos());
                }
            }
            if (oldestPossiblyLost != Long.MAX_VALUE) {
                long window = lastNanos - oldestPossiblyLost;
                maxWindow = Math.max(maxWindow, window);
                assertThat(window).as("round %d: writes not yet covered by a sync span at most two intervals "
                        + "plus slack (ns)", round).isLessThanOrEqualTo(2 * intervalNanos + SLACK_NANOS);
            }
            totalWrites += acks.size();
            totalSyncs += syncs;

            try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(data))) {
                long[] stored = new long[BufferedCrashChild.KEYS];
                int inFlight = 0;
                for (int index = 0; index < BufferedCrashChild.KEYS; index++) {
                    Siblings<Content> state = engine.get(BufferedCrashChild.partition(index), BufferedCrashChild.key(index));
                    stored[index] = verified(round, index, state);
                    String what = "round " + round + " key " + index;
                    assertThat(stored[index]).as("%s: never behind the previous reopen", what)
                            .isGreaterThanOrEqualTo(previous[index]);
                    assertThat(stored[index]).as("%s: every write acknowledged before the last completed sync is "
                            + "present", what).isGreaterThanOrEqualTo(mustSurvive[index]);
                    assertThat(stored[index]).as("%s: at most the one write in flight beyond the last acknowledged",
                            what).isLessThanOrEqualTo(acked[index] + 1);
                    if (stored[index] < acked[index]) {
                        totalLost += acked[index] - stored[index];
                    } else if (stored[index] > acked[index]) {
                        inFlight++;
                    }
                }
                assertThat(inFlight).as("round %d: keys holding a write the child had not logged (one per thread at "
                        + "most)", round).isLessThanOrEqualTo(BufferedCrashChild.THREADS);
                totalInFlight += inFlight;
                assertScanAndTrees(engine, round);
                previous = stored;
            }
        }
        System.out.printf("buffered crash: %d SIGKILLs, %d acknowledged buffered writes, %d periodic WAL syncs seen, "
                + "%d writes not yet covered by a sync at the kill (possibly lost), %d actually lost, %d unacknowledged "
                + "writes found applied; worst observed sync lag %.1f ms, widest uncovered window %.1f ms "
                + "(interval %d ms)%n", kills, totalWrites, totalSyncs, totalPossiblyLost, totalLost, totalInFlight,
                maxExposure / 1e6, maxWindow / 1e6, CHILD_INTERVAL_MILLIS);
        assertThat(totalWrites).as("the children acknowledged writes").isPositive();
        assertThat(totalSyncs).as("periodic syncs happened while the children ran").isPositive();
    }

    private static long verified(int round, int index, Siblings<Content> state) {
        try {
            return BufferedCrashChild.verify(index, state);
        } catch (IllegalStateException e) {
            return fail("round " + round + ": " + e.getMessage());
        }
    }

    /** Every stored entry is one of the child's keys with a value that verifies; trees match the data. */
    private static void assertScanAndTrees(RocksDbStorageEngine engine, int round) {
        int entries = 0;
        for (int p = 0; p < BufferedCrashChild.PARTITIONS; p++) {
            List<StoredEntry> contents = new ArrayList<>();
            StoredKey after = null;
            while (true) {
                List<StoredEntry> page = engine.scan(p, after, 500);
                contents.addAll(page);
                if (page.size() < 500) {
                    break;
                }
                after = page.get(page.size() - 1).key();
            }
            List<KeyVersion> versions = new ArrayList<>();
            for (StoredEntry e : contents) {
                assertThat(e.key().namespace()).isEqualTo(BufferedCrashChild.NAMESPACE);
                String name = new String(e.key().bytes(), StandardCharsets.UTF_8);
                assertThat(name).as("round %d: a key the child writes", round).matches("k[0-9]+");
                int index = Integer.parseInt(name.substring(1));
                assertThat(index).isLessThan(BufferedCrashChild.KEYS);
                assertThat(BufferedCrashChild.partition(index)).as("round %d: key %d in its partition", round, index)
                        .isEqualTo(p);
                assertThat(verified(round, index, e.state())).isPositive();
                versions.add(new KeyVersion(e.key().keyHash(), e.state().versionDigest()));
            }
            entries += contents.size();
            assertThat(engine.merkleTree(p)).as("round %d: Merkle tree of partition %d", round, p)
                    .isEqualTo(MerkleTree.rebuild(engine.config().treeShape(), versions).snapshot());
        }
        assertThat((long) entries).as("round %d: keys found at open", round).isEqualTo(engine.keysAtOpen());
    }

    @Test
    void bufferedWritesAreSyncedEveryIntervalAndNoMoreOften() {
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(100);
        long timeoutNanos = TimeUnit.SECONDS.toNanos(5); // how long the polls wait before giving up
        long boundNanos = 10 * intervalNanos; // "a few intervals", with room for a loaded machine
        ActorId me = new ActorId("node-1", 1);
        RocksDbConfig config = RocksDbConfig.defaults(dir.resolve("interval")).withFlushInterval(Duration.ofMillis(100));
        try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(config)) {
            // One buffered write at a time and nothing else: the committer syncs it on its own.
            long worstLag = 0;
            for (int i = 0; i < 3; i++) {
                long before = engine.walSyncCount();
                long start = System.nanoTime();
                engine.update(0, BufferedCrashChild.key(i), VersionVector.empty(), small(i), me, Durability.BUFFERED)
                        .durable().join();
                while (engine.walSyncCount() == before && System.nanoTime() - start < timeoutNanos) {
                    Thread.onSpinWait(); // bounded poll on the condition
                }
                long lag = System.nanoTime() - start;
                assertThat(engine.walSyncCount()).as("write %d synced with no flush call", i).isGreaterThan(before);
                worstLag = Math.max(worstLag, lag);
            }

            // Continuous buffered writes until 5 more syncs: periodic, and never one per write.
            long first = engine.walSyncCount();
            long start = System.nanoTime();
            long lastChange = start;
            long worstGap = 0;
            long seen = first;
            int writes = 0;
            while (seen - first < 5 && System.nanoTime() - lastChange < timeoutNanos) {
                StoredKey key = BufferedCrashChild.key(writes % 200);
                engine.update(1, key, engine.get(1, key).context(), small(writes), me, Durability.BUFFERED);
                writes++;
                long now = engine.walSyncCount();
                if (now != seen) {
                    long t = System.nanoTime();
                    worstGap = Math.max(worstGap, t - lastChange);
                    lastChange = t;
                    seen = now;
                }
            }
            long elapsed = System.nanoTime() - start;
            long syncs = seen - first;
            System.out.printf("buffered interval: 100 ms interval; a lone buffered write synced within %.1f ms (worst "
                    + "of 3); %d continuous buffered writes in %.1f ms saw %d syncs, widest gap %.1f ms%n",
                    worstLag / 1e6, writes, elapsed / 1e6, syncs, worstGap / 1e6);
            assertThat(worstLag).as("a lone buffered write is synced within 10 intervals (ns)")
                    .isLessThanOrEqualTo(boundNanos);
            // At least 5 (the loop's goal); a sixth is seen only if this thread was descheduled for
            // a whole interval, which the per-interval bound below still covers.
            assertThat(syncs).as("continuous buffered writes are synced periodically").isGreaterThanOrEqualTo(5);
            assertThat(worstGap).as("consecutive periodic syncs under load are at most 10 intervals apart (ns)")
                    .isLessThanOrEqualTo(boundNanos);
            // Consecutive periodic syncs are at least one interval apart (the next is due one interval
            // after the previous finished), so a window of d ns holds at most d / interval + 1 of them.
            assertThat(syncs).as("never more than one sync per interval").isLessThanOrEqualTo(elapsed / intervalNanos + 1);
            assertThat((long) writes).as("buffered writes do not each sync").isGreaterThan(10 * syncs);
        }
    }

    private static Content small(int i) {
        return Content.of(("v" + i).getBytes(StandardCharsets.UTF_8), "text/plain", i);
    }
}

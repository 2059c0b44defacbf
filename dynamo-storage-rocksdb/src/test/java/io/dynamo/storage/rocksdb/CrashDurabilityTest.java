package io.dynamo.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.Siblings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash durability: a child JVM does durable puts and logs each acknowledged one to a file; the test
 * kills it with SIGKILL after a random number of acknowledgements, reopens the store, and checks
 * every acknowledged write is there. 20 kills by default; set {@code -Ddynamo.rocksdb.crash.kills=N}
 * for a soak run.
 */
class CrashDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedDurableWriteSurvivesSigkill() throws Exception {
        int kills = Integer.getInteger("dynamo.rocksdb.crash.kills", 20);
        Random random = new Random(Long.getLong("dynamo.rocksdb.crash.seed", 2007L));
        Path data = dir.resolve("data");
        long totalKeys = 0;
        long totalWrites = 0;
        for (int round = 0; round < kills; round++) {
            Semaphore ackEvents = new Semaphore(0);
            Path ackLog = dir.resolve("acks-" + round + ".log");
            CountDownLatch ready = new CountDownLatch(1);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), data.toString(),
                    Integer.toString(round), ackLog.toString())
                    .redirectError(dir.resolve("child-" + round + ".err").toFile())
                    .start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        String[] parts = line.split(" ");
                        if (line.equals("READY")) {
                            ready.countDown();
                        } else if (parts.length == 4 && parts[0].equals("ACK")) {
                            ackEvents.release();
                        }
                    }
                } catch (IOException e) {
                    // the child died; stdout only paced the kill, the log file is the record
                }
            });
            reader.start();
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("child %d opened the store", round).isTrue();
            // A random moment, measured in acknowledged writes (0 to 600 of them).
            int target = random.nextInt(601);
            ackEvents.tryAcquire(target, 30, TimeUnit.SECONDS);
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join();
            Map<String, Long> acked = new HashMap<>();
            long ackLines = 0;
            for (String line : Files.readAllLines(ackLog, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ");
                if (parts.length == 4 && parts[0].equals("ACK") && parts[3].equals(".")) {
                    acked.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                    ackLines++;
                }
            }
            totalKeys += acked.size();
            totalWrites += ackLines;

            try (RocksDbStorageEngine engine = RocksDbStorageEngine.open(RocksDbConfig.defaults(data))) {
                for (Map.Entry<String, Long> ack : acked.entrySet()) {
                    StoredKey key = StoredKey.of("crash", ack.getKey().getBytes(StandardCharsets.UTF_8));
                    Siblings<Content> state = engine.get(round % 16, key);
                    assertThat(state.values()).as("round %d key %s", round, ack.getKey()).hasSize(1);
                    assertThat(state.values().get(0).dot().counter()).as("round %d key %s", round, ack.getKey())
                            .isGreaterThanOrEqualTo(ack.getValue());
                }
            }
        }
        System.out.printf("crash durability: %d SIGKILLs, %d acknowledged durable writes, %d keys checked%n",
                kills, totalWrites, totalKeys);
        assertThat(totalKeys).as("the children acknowledged writes").isPositive();
    }
}

package io.dynamo.peer.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starts a real one-node Cassandra from target/cassandra-lib (copied there in the process-test-resources
 * phase, before surefire runs). Takes about 40 s on a 2-core machine. It needs a Java 17 (or 11) runtime,
 * which these machines have as their default java: without one it fails, saying what to install, rather
 * than being skipped.
 */
class CassandraClusterIntegrationTest {

    private static final Path LIB = Path.of("target", "cassandra-lib");

    private CassandraCluster cluster;

    @AfterEach
    void stopCassandraWhateverHappened() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void startsPausesResumesAndStopsOneNode() throws Exception {
        assertThat(CassandraPeer.isLibDir(LIB))
                .as("Cassandra's jars in %s (the copy-dependencies execution should have put them there)",
                        LIB.toAbsolutePath())
                .isTrue();
        Optional<Path> java = CassandraPeer.findJava17();
        assertThat(java).as(CassandraPeer.missingJavaMessage()).isPresent();

        long t0 = System.nanoTime();
        cluster = CassandraCluster.create(CassandraCluster.Settings.builder()
                .nodes(1)
                .cassandraLib(LIB)
                .java(java.get())
                .clusterName("dynamo-it")
                .log(line -> System.out.println("[cassandra-it] " + line))
                .build());
        System.out.println("[cassandra-it] " + cluster.describe());
        cluster.start();
        long started = System.nanoTime();

        List<InetSocketAddress> contactPoints = cluster.contactPoints();
        assertThat(contactPoints).containsExactly(new InetSocketAddress("127.0.0.1", 9042));
        assertThat(connects(contactPoints.get(0))).as("native port accepts connections").isTrue();
        assertThat(cluster.isRunning()).isTrue();

        List<Long> pids = cluster.pids();
        assertThat(pids).hasSize(1);
        long pid = pids.get(0);
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(cluster.processes()).extracting(ProcessHandle::pid).containsExactly(pid);
        assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()))
                .hasValueSatisfying(cmd -> assertThat(cmd).contains(CassandraCluster.MAIN_CLASS));
        Path base = cluster.baseDir().orElseThrow();
        assertThat(base.resolve("node1/logs/system.log")).content().contains("Startup complete");

        long p0 = System.nanoTime();
        cluster.pause();
        assertThat(cluster.isPaused()).isTrue();
        assertThat(CassandraCluster.procState(pid)).as("state of paused pid %d", pid).isEqualTo('T');
        cluster.resume();
        assertThat(cluster.isPaused()).isFalse();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (CassandraCluster.procState(pid) == 'T' && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(CassandraCluster.procState(pid)).as("state of resumed pid %d", pid).isNotEqualTo('T');
        assertThat(connects(contactPoints.get(0))).as("native port accepts connections after resume").isTrue();
        long resumed = System.nanoTime();

        cluster.close();
        long closed = System.nanoTime();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse();
        assertThat(base).doesNotExist();
        assertThat(cluster.isRunning()).isFalse();
        cluster.close(); // idempotent

        System.out.printf(Locale.ROOT, "[cassandra-it] timings: start %.1f s, pause+resume %.2f s, close %.1f s, total %.1f s%n",
                (started - t0) / 1e9, (resumed - p0) / 1e9, (closed - resumed) / 1e9, (closed - t0) / 1e9);
    }

    private static boolean connects(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

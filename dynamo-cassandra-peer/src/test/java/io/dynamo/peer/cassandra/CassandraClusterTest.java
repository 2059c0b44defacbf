package io.dynamo.peer.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassandraClusterTest {

    private static final Path LIB = Path.of("/opt/cassandra-lib");
    private static final Path JAVA = Path.of("/usr/lib/jvm/java-17/bin/java");

    @TempDir
    Path tmp;

    private static CassandraCluster.Builder settings(int nodes) {
        return CassandraCluster.Settings.builder().nodes(nodes).cassandraLib(LIB).java(JAVA);
    }

    @Test
    void yamlOfTheFirstOfThreeNodes() {
        CassandraCluster.Settings s = settings(3).clusterName("bench").build();
        String yaml = CassandraCluster.yaml(s, 1, Path.of("/data/c/node1"));
        assertThat(yaml.lines()).contains(
                "cluster_name: \"bench\"",
                "num_tokens: 16",
                "allocate_tokens_for_local_replication_factor: 3",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "      - seeds: \"127.0.0.1:7000\"",
                "listen_address: 127.0.0.1",
                "rpc_address: 127.0.0.1",
                "storage_port: 7000",
                "native_transport_port: 9042",
                "endpoint_snitch: SimpleSnitch",
                "data_file_directories: [\"/data/c/node1/data\"]",
                "commitlog_directory: \"/data/c/node1/commitlog\"",
                "saved_caches_directory: \"/data/c/node1/saved_caches\"",
                "hints_directory: \"/data/c/node1/hints\"",
                "cdc_raw_directory: \"/data/c/node1/cdc_raw\"",
                "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms",
                "start_native_transport: true");
    }

    @Test
    void yamlOfTheThirdNodeUsesItsOwnAddressAndDirectoriesButTheSameSeedAndPorts() {
        String yaml = CassandraCluster.yaml(settings(3).build(), 3, Path.of("/b/node3"));
        assertThat(yaml.lines()).contains(
                "listen_address: 127.0.0.3",
                "rpc_address: 127.0.0.3",
                "      - seeds: \"127.0.0.1:7000\"",
                "storage_port: 7000",
                "native_transport_port: 9042",
                "commitlog_directory: \"/b/node3/commitlog\"",
                "cluster_name: \"dynamo-peer\"");
        assertThat(yaml).doesNotContain("127.0.0.2").doesNotContain("node1");
    }

    @Test
    void tokenAllocationFollowsTheNodeCountUpToThree() {
        for (int n = 1; n <= 3; n++) {
            String yaml = CassandraCluster.yaml(settings(n).build(), 1, Path.of("/b/node1"));
            assertThat(yaml).contains("allocate_tokens_for_local_replication_factor: " + n + "\n");
        }
    }

    @Test
    void yamlQuotesDirectoriesWithSpaces() {
        String yaml = CassandraCluster.yaml(settings(1).build(), 1, Path.of("/my dir/node1"));
        assertThat(yaml).contains("commitlog_directory: \"/my dir/node1/commitlog\"");
    }

    @Test
    void commandLine() {
        CassandraCluster.Settings s = settings(3).heapMb(768).extraJvmOptions(List.of("-Dfoo=bar")).build();
        Path dir = Path.of("/b/node2");
        List<String> cmd = CassandraCluster.command(s, 2, dir, Path.of("/b/logback.xml"));

        assertThat(cmd.get(0)).isEqualTo(JAVA.toString());
        assertThat(cmd).containsSubsequence("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=300", "-Djdk.attach.allowAttachSelf=true");
        assertThat(cmd).containsSubsequence("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
        assertThat(cmd).containsSubsequence("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");
        assertThat(cmd).contains("-Dio.netty.tryReflectionSetAccessible=true", "-Dio.netty.allocator.maxOrder=11");
        assertThat(cmd).containsSubsequence("-Xms768m", "-Xmx768m", "-Dfoo=bar");
        assertThat(cmd).contains(
                "-Dcassandra.config=file:///b/node2/cassandra.yaml",
                "-Dcassandra.storagedir=/b/node2",
                "-Dcassandra.logdir=/b/node2/logs",
                "-Dlogback.configurationFile=/b/logback.xml",
                "-Dcassandra.jmx.local.port=7201",
                "-Dcassandra-foreground=yes");
        assertThat(cmd.subList(cmd.size() - 3, cmd.size()))
                .containsExactly("-cp", "/opt/cassandra-lib/*", "org.apache.cassandra.service.CassandraDaemon");
        // Every JVM option comes before the main class.
        assertThat(cmd.indexOf(CassandraCluster.MAIN_CLASS)).isEqualTo(cmd.size() - 1);
    }

    @Test
    void jvmOptionsAreThoseOfJvm17ServerOptions() {
        List<String> opts = CassandraCluster.JVM17_SERVER_OPTIONS;
        assertThat(opts.stream().filter(o -> o.equals("--add-exports")).count()).isEqualTo(9);
        assertThat(opts.stream().filter(o -> o.equals("--add-opens")).count()).isEqualTo(14);
        assertThat(opts).doesNotContain("-Xmx512m");
    }

    @Test
    void settingsDefaults() {
        CassandraCluster.Settings s = settings(2).build();
        assertThat(s.heapMb()).isEqualTo(512);
        assertThat(s.startupTimeout()).isEqualTo(Duration.ofSeconds(180));
        assertThat(s.stopTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(s.clusterName()).isEqualTo("dynamo-peer");
        assertThat(s.baseDir()).isNull();
        assertThat(s.keepBaseDir()).isFalse();
        assertThat(s.extraJvmOptions()).isEmpty();
        s.log().accept("discarded");
    }

    @Test
    void nodesOutsideOneToThreeAreRejected() {
        for (int n : new int[] {0, -1, 4, 10}) {
            assertThatThrownBy(() -> settings(n).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nodes must be between 1 and 3 (got " + n + ")")
                    .hasMessageContaining("127.0.0.1 to 127.0.0.3");
        }
    }

    @Test
    void otherSettingsAreValidated() {
        assertThatThrownBy(() -> CassandraCluster.Settings.builder().java(JAVA).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cassandraLib is required");
        assertThatThrownBy(() -> settings(1).heapMb(100).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heapMb");
        assertThatThrownBy(() -> settings(1).clusterName("bad: name").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clusterName");
        assertThatThrownBy(() -> settings(1).startupTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startupTimeout");
    }

    @Test
    void createChecksTheJarsAndTheJavaVersion() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Path java17 = CassandraPeerTest.writeJdk(Files.createDirectories(tmp.resolve("jdk17")), "17.0.15", "17.0.15");
        Path java21 = CassandraPeerTest.writeJdk(Files.createDirectories(tmp.resolve("jdk21")), "21.0.2", "21.0.2");

        CassandraCluster.Settings noJar = CassandraCluster.Settings.builder().cassandraLib(lib).java(java17).build();
        assertThatThrownBy(() -> CassandraCluster.create(noJar))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cassandra-all-5.0.9.jar")
                .hasMessageContaining("mvn -pl dynamo-cassandra-peer package");

        Files.createFile(lib.resolve("cassandra-all-5.0.9.jar"));
        CassandraCluster.Settings on21 = CassandraCluster.Settings.builder().cassandraLib(lib).java(java21).build();
        assertThatThrownBy(() -> CassandraCluster.create(on21))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Java 11 or 17")
                .hasMessageContaining("CASSANDRA_JAVA_HOME");

        CassandraCluster.Settings missingJava = CassandraCluster.Settings.builder().cassandraLib(lib)
                .java(tmp.resolve("nope/bin/java")).build();
        assertThatThrownBy(() -> CassandraCluster.create(missingJava))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Java executable not found");

        try (CassandraCluster cluster = CassandraCluster.create(
                CassandraCluster.Settings.builder().nodes(3).cassandraLib(lib).java(java17).build())) {
            assertThat(cluster.describe())
                    .startsWith("Apache Cassandra 5.0.9, 3 nodes (127.0.0.1-3)")
                    .contains("heap 512 MB/node")
                    .contains("Java 17.0.15");
            assertThat(cluster.contactPoints()).containsExactly(
                    new InetSocketAddress("127.0.0.1", 9042),
                    new InetSocketAddress("127.0.0.2", 9042),
                    new InetSocketAddress("127.0.0.3", 9042));
            assertThat(cluster.pids()).isEmpty();
            assertThat(cluster.processes()).isEmpty();
            assertThat(cluster.baseDir()).isEmpty();
            assertThat(cluster.isRunning()).isFalse();
            assertThatThrownBy(cluster::pause).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> cluster.kill(4)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closeBeforeStartIsHarmlessAndIdempotentAndForbidsStart() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Files.createFile(lib.resolve("cassandra-all-5.0.9.jar"));
        Path java17 = CassandraPeerTest.writeJdk(Files.createDirectories(tmp.resolve("jdk17")), "17.0.15", "17.0.15");
        CassandraCluster cluster = CassandraCluster.create(
                CassandraCluster.Settings.builder().cassandraLib(lib).java(java17).build());
        cluster.close();
        cluster.close();
        assertThatThrownBy(cluster::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    /** A fake bin/java (reporting 17.0.15) that runs {@code body} instead of Cassandra. */
    private Path fakeJava(String body) throws IOException {
        Path home = Files.createDirectories(tmp.resolve("fakejdk"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private Path fakeLib() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Files.createFile(lib.resolve("cassandra-all-5.0.9.jar"));
        return lib;
    }

    @Test
    void aNodeThatDiesDuringStartupFailsStartWithItsOutputAndIsCleanedUp() throws IOException {
        List<String> progress = new CopyOnWriteArrayList<>();
        Path base = tmp.resolve("base");
        CassandraCluster cluster = CassandraCluster.create(CassandraCluster.Settings.builder()
                .cassandraLib(fakeLib()).java(fakeJava("echo 'Error: boom, could not start'; exit 3"))
                .baseDir(base).log(progress::add).build());
        try {
            assertThatThrownBy(cluster::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cassandra node 1 (127.0.0.1) exited with code 3")
                    .hasMessageContaining("Error: boom, could not start")
                    .hasMessageContaining("out.log");
        } finally {
            cluster.close();
        }
        assertThat(base).doesNotExist();
        assertThat(progress).anyMatch(l -> l.contains("launched, pid"));
    }

    @Test
    void aNodeThatNeverOpensItsPortTimesOutAndIsStopped() throws IOException {
        Path base = tmp.resolve("base");
        CassandraCluster cluster = CassandraCluster.create(CassandraCluster.Settings.builder()
                .cassandraLib(fakeLib()).java(fakeJava("echo starting; exec sleep 600"))
                .baseDir(base).keepBaseDir(true).startupTimeout(Duration.ofSeconds(2)).build());
        List<ProcessHandle> processes;
        try {
            assertThatThrownBy(cluster::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("did not open 127.0.0.1:9042 within 2 s");
        } finally {
            processes = cluster.processes();
            cluster.close();
        }
        assertThat(processes).hasSize(1);
        assertThat(processes.get(0).isAlive()).isFalse();
        // Kept on request: the configuration and the output are there.
        assertThat(base.resolve("node1/cassandra.yaml")).exists();
        assertThat(base.resolve("node1/out.log")).content().contains("starting");
        assertThat(base.resolve("logback.xml")).exists();
    }

    @Test
    void aNonEmptyBaseDirectoryIsRefusedAndLeftAlone() throws IOException {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Path precious = Files.writeString(base.resolve("precious.txt"), "keep me");
        CassandraCluster cluster = CassandraCluster.create(CassandraCluster.Settings.builder()
                .cassandraLib(fakeLib()).java(fakeJava("exit 1")).baseDir(base).build());
        try {
            assertThatThrownBy(cluster::start)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not empty");
        } finally {
            cluster.close();
        }
        assertThat(precious).exists();
        assertThat(cluster.pids()).isEmpty();
    }

    @Test
    void startsNodesOneAfterAnotherAndPausesKillsAndStopsThem() throws IOException {
        // Each "node" is a JVM running FakeCassandraNode, which listens on its native port.
        String testJava = ProcessHandle.current().info().command().orElseThrow();
        Path java = fakeJava("exec '" + testJava + "' -Xmx32m -cp '" + System.getProperty("java.class.path")
                + "' io.dynamo.peer.cassandra.FakeCassandraNode");
        List<String> progress = new CopyOnWriteArrayList<>();
        CassandraCluster cluster = CassandraCluster.create(CassandraCluster.Settings.builder()
                .nodes(3).cassandraLib(fakeLib()).java(java).startupTimeout(Duration.ofSeconds(60))
                .log(progress::add).build());
        List<ProcessHandle> processes;
        Path base;
        try {
            cluster.start();
            assertThat(cluster.isRunning()).isTrue();
            processes = cluster.processes();
            assertThat(processes).hasSize(3).allMatch(ProcessHandle::isAlive);
            assertThat(cluster.pids()).doesNotHaveDuplicates().hasSize(3);
            base = cluster.baseDir().orElseThrow();
            assertThat(base.resolve("node2/cassandra.yaml")).content().contains("listen_address: 127.0.0.2");
            assertThat(base.resolve("node3/command.txt")).content().contains("-Dcassandra.jmx.local.port=7202");
            // Node i+1 is launched only after node i is up.
            List<String> order = progress.stream()
                    .filter(l -> l.startsWith("Cassandra node ") && (l.contains("launched") || l.contains(" up in ")))
                    .toList();
            assertThat(order).hasSize(6);
            for (int i = 0; i < 3; i++) {
                assertThat(order.get(2 * i)).startsWith("Cassandra node " + (i + 1) + " (127.0.0." + (i + 1) + ") launched");
                assertThat(order.get(2 * i + 1)).startsWith("Cassandra node " + (i + 1) + " up in ");
            }

            cluster.kill(2);
            assertThat(processes.get(1).isAlive()).isFalse();
            assertThat(cluster.pids()).hasSize(3);

            cluster.pause();
            assertThat(CassandraCluster.procState(processes.get(0).pid())).isEqualTo('T');
            assertThat(CassandraCluster.procState(processes.get(2).pid())).isEqualTo('T');
            cluster.resume();
            cluster.pause(); // close() must continue stopped nodes before SIGTERM
        } finally {
            cluster.close();
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(base).doesNotExist();
        assertThat(cluster.isRunning()).isFalse();
        assertThatThrownBy(cluster::resume).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void parsesProcStat() {
        assertThat(CassandraCluster.parseProcState("1234 (java) S 1 1234 1234 0 -1")).isEqualTo('S');
        assertThat(CassandraCluster.parseProcState("1234 (we ird) T 1 1234")).isEqualTo('T');
        assertThat(CassandraCluster.parseProcState("1234 (a) b) R 1 1234")).isEqualTo('R');
        assertThat(CassandraCluster.parseProcState("garbage")).isEqualTo('?');
        assertThat(CassandraCluster.procState(ProcessHandle.current().pid())).isIn('R', 'S');
    }
}

package io.dynamo.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.storage.StorageException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data folder that another process (a server left running) or another engine holds: the open
 * fails with a message naming the holder, not RocksDB's "While lock file: .../LOCK: Resource
 * temporarily unavailable".
 */
class DataFolderInUseTest {

    private static final boolean LINUX = Files.isReadable(Path.of("/proc/locks"));

    @TempDir
    Path dir;

    @Test
    void aFolderHeldByAnotherProcessNamesThatProcess() throws Exception {
        Path data = dir.resolve("n3").resolve("rocksdb");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), HoldingChild.class.getName(), data.toString())
                .redirectError(dir.resolve("child.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the child opened the store (stderr: %s)", dir.resolve("child.err"))
                    .isEqualTo("READY");

            assertThatThrownBy(() -> RocksDbStorageEngine.open(RocksDbConfig.defaults(data)))
                    .isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.IO))
                    .hasMessageStartingWith("IO: data folder " + data.toAbsolutePath() + " is ")
                    .hasMessageEndingWith("; stop it or use another data_dir")
                    .satisfies(e -> {
                        if (LINUX) {
                            assertThat(e.getMessage()).contains("is in use by process " + child.pid() + " (")
                                    .contains(HoldingChild.class.getName()).contains("-cp ...")
                                    .doesNotContain(System.getProperty("java.class.path"));
                        } else {
                            assertThat(e.getMessage()).contains("is held by another process");
                        }
                    });
        } finally {
            child.getOutputStream().close(); // the child closes the engine and exits
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // Released: the folder opens again.
        RocksDbStorageEngine.open(RocksDbConfig.defaults(data)).close();
    }

    @Test
    void aSecondEngineInTheSameProcessNamesThisProcess() {
        try (RocksDbStorageEngine first = RocksDbStorageEngine.open(RocksDbConfig.defaults(dir))) {
            assertThatThrownBy(() -> RocksDbStorageEngine.open(RocksDbConfig.defaults(dir)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("data folder " + dir.toAbsolutePath() + " is "
                            + (LINUX ? "in use by process " + ProcessHandle.current().pid() : "held by another process"));
            assertThat(first.get(0, io.dynamo.core.storage.StoredKey.of("ns", new byte[] {1})).values())
                    .as("the first engine still works").isEmpty();
        }
    }

    @Test
    void procLocksLinesAreMatchedByDeviceAndInode() {
        List<String> lines = List.of(
                "1: FLOCK  ADVISORY  WRITE 100 08:01:777 0 EOF",
                "2: POSIX  ADVISORY  WRITE 200 08:02:777 0 EOF",
                "3: POSIX  ADVISORY  WRITE 300 08:01:778 0 EOF",
                "3: -> POSIX  ADVISORY  WRITE 400 08:01:777 0 EOF",
                "4: OFDLCK ADVISORY  WRITE -1 08:01:777 0 EOF",
                "5: POSIX  ADVISORY  WRITE 4242 08:01:777 0 EOF");
        assertThat(LockHolder.parseProcLocks(lines, 8, 1, 777)).contains(4242L);
        assertThat(LockHolder.parseProcLocks(lines, 8, 1, 779)).isEmpty();
        assertThat(LockHolder.parseProcLocks(List.of("garbage", "", "1: POSIX"), 8, 1, 777)).isEmpty();
        // st_dev as glibc encodes it: major 259 (0x103), minor 65537 (0x10001).
        long dev = ((259L & 0xfff) << 8) | ((259L & ~0xfffL) << 32) | (65537L & 0xff) | ((65537L & ~0xffL) << 12);
        assertThat(LockHolder.major(dev)).isEqualTo(259);
        assertThat(LockHolder.minor(dev)).isEqualTo(65537);
    }

    @Test
    void aLongClassPathIsShortened() {
        assertThat(LockHolder.abbreviate("java -Xmx1g -cp a.jar:b.jar:c.jar io.dynamo.cli.Main server --config n3/node.yaml"))
                .isEqualTo("java -Xmx1g -cp ... io.dynamo.cli.Main server --config n3/node.yaml");
        assertThat(LockHolder.abbreviate("x".repeat(400))).hasSize(300).endsWith("...");
    }
}

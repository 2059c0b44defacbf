package io.dynamo.cli.server;

import static io.dynamo.cli.server.CliRun.await;
import static io.dynamo.cli.server.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-through with real processes: a {@code dev up} child JVM, {@code dev kill} and
 * {@code dev start} of one of its nodes, and Ctrl-C (its SIGTERM hook) stopping every node, the
 * restarted one too. {@code dev kill} signals only the process that is this folder's node.
 */
class DevNodesTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void devKillAndDevStartReachOnlyThisFoldersNodesAndDevUpStopsThemAll(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("checkout").resolve("data").resolve("dev");
        int base = ClusterEndToEndTest.freeBasePort(4);
        Process up = new ProcessBuilder(JAVA, "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), "io.dynamo.cli.Main", "dev", "up", "--nodes", "3",
                "--base-port", Integer.toString(base), "--data", data.toString()).redirectErrorStream(true).start();
        Lines output = new Lines(up);
        List<Long> started = new ArrayList<>();
        Process impostor = null;
        try {
            await("dev up is ready", Duration.ofSeconds(150),
                    () -> output.text().contains("Kill a node:") || !up.isAlive()); // its last line, flushed with the rest
            assertThat(up.isAlive()).as(output.text()).isTrue();
            assertThat(output.text()).contains("Kill a node: ./dynamo dev kill n3; start it again: ./dynamo dev start n3");
            long n1 = pid(data, "n1");
            long n2 = pid(data, "n2");
            long n3 = pid(data, "n3");
            started.addAll(List.of(n1, n2, n3));

            CliRun second = cli("dev", "up", "--nodes", "3", "--base-port", Integer.toString(base + 10), "--data",
                    data.toString());
            assertThat(second.code()).isEqualTo(Main.FAILURE);
            assertThat(second.err()).contains("a dev up already runs on " + data + " (pid " + up.pid() + ")");

            // Another checkout's n9 whose PID file names a process of another folder (what pgrep -f matched).
            Path n9 = Files.createDirectories(data.resolve("n9"));
            Files.copy(data.resolve("n3").resolve("node.yaml"), n9.resolve("node.yaml"));
            Path elsewhere = dir.resolve("other").resolve("data").resolve("dev").resolve("n9").resolve("node.yaml");
            impostor = new ProcessBuilder("bash", "-c", "sleep 120; exit 0", elsewhere.toString()).start();
            Files.writeString(n9.resolve("server.pid"), impostor.pid() + "\n");
            CliRun refused = cli("dev", "kill", "n9", "--data", data.toString());
            assertThat(refused.code()).isEqualTo(Main.FAILURE);
            assertThat(refused.err()).contains("its PID file named process " + impostor.pid())
                    .contains("which is not this folder's n9").contains("not signalled");
            assertThat(impostor.isAlive()).as("the other folder's process was not signalled").isTrue();
            assertThat(n9.resolve("server.pid")).doesNotExist();

            CliRun kill = cli("dev", "kill", "n3", "--data", data.toString());
            assertThat(kill.code()).as(kill.err()).isZero();
            assertThat(kill.out()).contains("killed n3 (pid " + n3 + ") with SIGKILL");
            assertThat(alive(n3)).isFalse();
            assertThat(alive(n1) && alive(n2)).as("only n3 was signalled").isTrue();
            CliRun again = cli("dev", "kill", "n3", "--data", data.toString());
            assertThat(again.code()).isEqualTo(Main.FAILURE);
            assertThat(again.err()).contains("n3 is not running");

            CliRun start = cli("dev", "start", "n3", "--data", data.toString());
            assertThat(start.code()).as(start.err()).isZero();
            long restarted = pid(data, "n3");
            started.add(restarted);
            assertThat(restarted).isNotEqualTo(n3);
            assertThat(start.out()).contains("n3 started (pid " + restarted + ") and answers on http://127.0.0.1:"
                    + (base + 3)).contains("belongs to the dev up running on this folder (pid " + up.pid() + ")");
            assertThat(NodePidFile.arguments(ProcessHandle.of(restarted).orElseThrow()))
                    .containsSubsequence("--exit-with-parent", Long.toString(up.pid()));
            CliRun twice = cli("dev", "start", "n3", "--data", data.toString());
            assertThat(twice.code()).isEqualTo(Main.FAILURE);
            assertThat(twice.err()).contains("n3 already runs (pid " + restarted + ")");

            up.toHandle().destroy(); // SIGTERM: the shutdown hook Ctrl-C runs (Process.destroy would close its output)
            assertThat(up.waitFor(120, TimeUnit.SECONDS)).as(output.text()).isTrue();
            output.join();
            assertThat(output.text()).contains("stopped n1 (pid " + n1 + "), n2 (pid " + n2 + "), n3 (pid "
                    + restarted + ", restarted by 'dev start')");
            for (long pid : started) {
                assertThat(alive(pid)).as("pid %d after dev up stopped", pid).isFalse();
            }
            for (String node : List.of("n1", "n2", "n3")) {
                assertThat(data.resolve(node).resolve("server.pid")).doesNotExist();
            }
            assertThat(data.resolve("dev-up.pid")).doesNotExist();
        } finally {
            if (impostor != null) {
                impostor.destroyForcibly();
            }
            up.destroyForcibly();
            for (long pid : started) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void devKillAndStartNameWhatIsMissing(@TempDir Path dir) throws Exception {
        CliRun none = cli("dev", "kill", "n4", "--data", dir.toString());
        assertThat(none.code()).isEqualTo(Main.USAGE);
        assertThat(none.err()).contains("no node 'n4' in " + dir).contains("'./dynamo dev up' makes one per node");
        assertThat(cli("dev", "start", "../n1", "--data", dir.toString()).err())
                .contains("NODE must be a node's name such as n3, was '../n1'");
        Files.createDirectories(dir.resolve("n1"));
        Files.writeString(dir.resolve("n1").resolve("node.yaml"), "node_id: n1\n");
        CliRun notRunning = cli("dev", "kill", "n1", "--data", dir.toString());
        assertThat(notRunning.code()).isEqualTo(Main.FAILURE);
        assertThat(notRunning.err()).contains("n1 is not running (no PID file");
        CliRun badSignal = cli("dev", "kill", "n1", "--signal", "HUP", "--data", dir.toString());
        assertThat(badSignal.code()).isEqualTo(Main.USAGE);
        assertThat(badSignal.err()).contains("--signal must be KILL or TERM, was 'HUP'");
    }

    // ------------------------------------------------------------------ helpers

    private static long pid(Path data, String node) throws IOException {
        return Long.parseLong(Files.readString(data.resolve(node).resolve("server.pid")).strip());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** A child's output lines, read as they come. */
    private static final class Lines {
        private final StringBuffer text = new StringBuffer();
        private final Thread reader;

        Lines(Process process) {
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        text.append(line).append('\n');
                    }
                } catch (IOException e) {
                    text.append("(output lost: ").append(e.getMessage()).append(")\n");
                }
            }, "dev-up-output");
            reader.setDaemon(true);
            reader.start();
        }

        String text() {
            return text.toString();
        }

        void join() throws InterruptedException {
            reader.join(10_000);
        }
    }



}

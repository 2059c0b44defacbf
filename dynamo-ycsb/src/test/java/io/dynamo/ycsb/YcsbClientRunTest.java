package io.dynamo.ycsb;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.net.testing.InProcessCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YCSB's own {@code site.ycsb.Client} with this binding, on the module's workload a (shrunk to 200
 * records and 500 operations, 2 threads, HdrHistogram measurements), against a 3-node cluster in
 * this JVM. The Client ends with {@code System.exit}, so it runs in a child JVM on the test class
 * path: first the load phase, then the transactions.
 */
class YcsbClientRunTest {

    @TempDir
    static Path dir;

    static InProcessCluster cluster;
    static String seeds;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = InProcessCluster.start(dir.resolve("data"), 3);
        seeds = cluster.clientAddresses().stream().map(a -> "127.0.0.1:" + a.getPort())
                .collect(Collectors.joining(","));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The workload file from the module's resources, written where the Client's -P can read it. */
    private static Path workload(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = YcsbClientRunTest.class.getResourceAsStream("/workloads/" + name)) {
            Objects.requireNonNull(in, "workloads/" + name + " is not on the class path");
            Files.copy(in, file);
        }
        return file;
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run ycsb(String phase, Path workload, String name) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "site.ycsb.Client", phase,
                "-db", DynamoYcsbClient.class.getName(), "-P", workload.toString(), "-threads", "2",
                "-p", "recordcount=200", "-p", "operationcount=500", "-p", "measurementtype=hdrhistogram",
                "-p", "dynamo.seeds=" + seeds, "-p", "dynamo.timeout_ms=5000"));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("YCSB " + phase + " did not end within 120 s; stderr:\n" + Files.readString(err));
            }
        } finally {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The count on a line such as {@code [READ], Return=OK, 253}, or -1. */
    private static long count(String output, String operation, String returned) {
        Matcher m = Pattern.compile("^\\[" + operation + "\\], Return=" + returned + ", (\\d+)$", Pattern.MULTILINE)
                .matcher(output);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void workloadALoadsAndRunsWithNoErrors() throws IOException, InterruptedException {
        Path workload = workload("workloada");

        Run load = ycsb("-load", workload, "load");
        String loadReport = "load stdout:\n" + load.stdout() + "\nstderr:\n" + load.stderr();
        assertThat(load.exitCode()).as(loadReport).isZero();
        assertThat(count(load.stdout(), "INSERT", "OK")).as(loadReport).isEqualTo(200);
        assertThat(load.stdout()).as(loadReport).doesNotContain("FAILED").doesNotContainPattern("Return=(?!OK)");

        Run run = ycsb("-t", workload, "run");
        String runReport = "run stdout:\n" + run.stdout() + "\nstderr:\n" + run.stderr();
        assertThat(run.exitCode()).as(runReport).isZero();
        long reads = count(run.stdout(), "READ", "OK");
        long updates = count(run.stdout(), "UPDATE", "OK");
        assertThat(reads).as(runReport).isPositive();
        assertThat(updates).as(runReport).isPositive();
        assertThat(reads + updates).as(runReport).isEqualTo(500);
        assertThat(run.stdout()).as(runReport).contains("[OVERALL], Throughput(ops/sec)")
                .contains("[READ], 99thPercentileLatency(us)").doesNotContain("FAILED")
                .doesNotContainPattern("Return=(?!OK)");
        assertThat(run.stderr()).as(runReport).doesNotContain("DBException").doesNotContain("dynamo-ycsb:");
    }
}

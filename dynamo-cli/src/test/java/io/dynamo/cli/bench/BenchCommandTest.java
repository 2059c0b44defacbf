package io.dynamo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamo.cli.Main;
import io.dynamo.net.testing.InProcessCluster;
import io.dynamo.wire.HostPort;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/** {@code dynamo bench} against a 3-node cluster in this JVM, and its usage errors. */
class BenchCommandTest {

    @TempDir
    static Path dataRoot;

    static InProcessCluster cluster;
    static String seeds;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = InProcessCluster.start(dataRoot, 3);
        seeds = cluster.clientAddresses().stream().map(HostPort::format).collect(Collectors.joining(","));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aShortRunPrintsTheTableAndWritesTheJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("report.json");
        Result r = run("bench", "--seeds", seeds, "--workload", "a", "--records", "100", "--threads", "2",
                "--duration", "1s", "--warmup", "0s", "--value-size", "32", "--seed", "7", "--json", json.toString());
        System.out.print(r.out());
        System.out.print(r.err());

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("dynamo bench: workload a (read 50%, update 50%), zipfian over 100 records");
        assertThat(lines).contains("seed: 7");
        String header = lines.stream().filter(l -> l.startsWith("operation")).findFirst().orElseThrow();
        assertThat(header).contains("count").contains("errors").contains("ops/s").contains("p50 ms")
                .contains("p99 ms").contains("p99.9 ms").contains("max ms");
        assertThat(lines).anyMatch(l -> l.matches("read\\s+[\\d,]+\\s+0\\s+.*"));
        assertThat(lines).anyMatch(l -> l.matches("update\\s+[\\d,]+\\s+0\\s+.*"));
        assertThat(lines).anyMatch(l -> l.startsWith("total "));
        assertThat(r.out()).contains("Seed: 7").contains("Closed loop").contains("Errors: none")
                .contains("Command: ./dynamo bench --seeds " + seeds + " --workload a --records 100");
        for (String progress : r.err().lines().toList()) {
            assertThat(progress).matches("\\[\\s*\\d+ s\\] .*ops/s  total .*");
        }

        JsonNode report = new ObjectMapper().readTree(Files.readString(json));
        assertThat(report.path("seed").asLong()).isEqualTo(7);
        assertThat(report.path("operations")).hasSize(2);
        assertThat(report.path("operations").get(0).path("operation").asText()).isEqualTo("read");
        assertThat(report.path("total").path("errors").asLong()).isZero();
    }

    @Test
    void customProportionsAndAnOperationCount() {
        Result r = run("bench", "--seeds", seeds, "--read", "3", "--rmw", "1", "--records", "50", "--threads", "2",
                "--operations", "40", "--warmup", "0", "--no-load", "--routing", "server", "--rate", "400");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("workload custom (read 75%, rmw 25%)").contains("Open loop at 400.0 ops/s")
                .contains("Load: skipped").contains("server routing");
        assertThat(r.out().lines()).anyMatch(l -> l.startsWith("rmw "));
    }

    @Test
    void badOptionsAreUsageErrorsAndStartNothing() {
        assertUsage(run("bench", "--workload", "z"), "unknown workload 'z'");
        assertUsage(run("bench", "--threads", "0"), "threads must be from 1 to 1024, was 0");
        assertUsage(run("bench", "--read", "0", "--update", "0"), "must sum to more than 0");
        assertUsage(run("bench", "--read", "-1", "--update", "1"), "the read proportion must be a finite number >= 0");
        assertUsage(run("bench", "--workload", "a", "--read", "1"), "exclude each other");
        assertUsage(run("bench", "--records", "0"), "records must be from 1");
        assertUsage(run("bench", "--duration", "soon"), "'soon' is not a duration");
        assertUsage(run("bench", "--duration", "0s"), "duration must be more than 0");
        assertUsage(run("bench", "--distribution", "pareto"), "unknown distribution 'pareto'");
        assertUsage(run("bench", "--routing", "any"), "--routing must be client or server");
        assertUsage(run("bench", "--nodes", "12"), "--nodes must be from 1 to 9, was 12");
        assertUsage(run("bench", "--seeds", "127.0.0.1:9081", "--nodes", "3"), "cannot be used with --seeds");
        assertUsage(run("bench", "--seeds", "nowhere"), "'nowhere' is not HOST:PORT");
        assertUsage(run("bench", "--r", "0"), "--r must be at least 1, was 0");
        assertUsage(run("bench", "--rate", "-5"), "target rate must be");
        assertUsage(run("bench", "--bogus"), "Unknown option: '--bogus'");
        assertUsage(run("bench", "--seeds", "127.0.0.1:9081", "--base-port", "30000"),
                "--base-port starts a local cluster; it cannot be used with --seeds");
        assertUsage(run("bench", "--base-port", "1500"), "--base-port must be from 2024 to 64532 for 3 nodes (node i "
                + "uses base - 1000 + i, base + i and base + 1000 + i, from 1025 to 65535), was 1500");
        assertUsage(run("bench", "--base-port", "64600", "--nodes", "1"), "--base-port must be from 2024 to 64534");
    }

    @Test
    void aBusyBasePortIsAUsageErrorNamingThePort() throws Exception {
        int base = LocalTarget.freeBasePort(3);
        try (java.net.ServerSocket taken = new java.net.ServerSocket(base + 2, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            assertUsage(run("bench", "--base-port", Integer.toString(base)), "--base-port " + base + ": port "
                    + (base + 2) + " (n2's HTTP port) is in use on 127.0.0.1");
        }
        assertThat(LocalTarget.checkBasePort(base, 3)).as("free again").isNull();
    }

    private static void assertUsage(Result r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(Main.USAGE);
        assertThat(r.out()).as("nothing printed, nothing started").isEmpty();
        assertThat(r.err().strip()).startsWith("dynamo: ").contains(message).contains("dynamo bench --help")
                .doesNotContain("\n");
    }

    @Test
    void helpListsTheOptions() {
        Result r = run("bench", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--seeds").contains("--workload").contains("--rate").contains("--json")
                .contains("--no-load").contains("bench jmh");
    }

    @Test
    void durationsTakeAUnit() {
        assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationConverter.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("20")).isEqualTo(Duration.ofSeconds(20));
        assertThat(DurationConverter.parse("0s")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> DurationConverter.parse("-1s")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> DurationConverter.parse("1d")).isInstanceOf(TypeConversionException.class);
    }
}

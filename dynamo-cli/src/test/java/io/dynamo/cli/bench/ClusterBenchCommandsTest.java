package io.dynamo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamo.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Smoke runs of {@code bench latency}, {@code bench durability} and {@code bench failure}: each on
 * a real 3-process local cluster for a few seconds, checking the report's shape (its tables,
 * verdict lines, JSON and Markdown section), never its figures.
 */
class ClusterBenchCommandsTest {

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        Result r = new Result(code, out.toString(), err.toString());
        System.out.println(r.out());
        return r;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "latency --records 0 | records",
        "latency --duration soon | 'soon' is not a duration",
        "durability --rounds 0 | rounds",
        "durability --threads 0 | threads",
        "failure --window 0s | window",
        "failure --records 0 | records"})
    void badOptionsExitTwo(String options, String message) {
        String[] opts = options.split(" ");
        String[] args = new String[opts.length + 1];
        args[0] = "bench";
        System.arraycopy(opts, 0, args, 1, opts.length);
        Result r = run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains(message);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void benchOnAThrowawayClusterUsesTheBasePortGiven() {
        int base = LocalTarget.freeBasePort(1);
        Result r = run("bench", "--nodes", "1", "--base-port", Integer.toString(base), "--records", "50",
                "--threads", "2", "--duration", "1s", "--warmup", "0s", "--seed", "7");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("HTTP ports " + (base + 1) + "-" + (base + 1) + ", client ports " + (base + 1001)
                + "-" + (base + 1001)).contains("Errors: none");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void latencyReportsGetAndPutAgainstTheLoopbackRoundTrip() throws Exception {
        Path json = tmp.resolve("latency.json");
        Path md = tmp.resolve("benchmarks.md");
        Result r = run("bench", "latency", "--warmup", "1s", "--duration", "2s", "--records", "50", "--seed", "7",
                "--json", json.toString(), "--report", md.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("GET R=2").contains("PUT W=2").contains("loopback RTT")
                .contains("GET p50 = ").contains("(target: within 6x)").contains("(target: within 8x)");
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertThat(j.get("benchmark").asText()).isNotBlank();
        assertThat(j.get("verdicts")).hasSize(2);
        assertThat(Files.readString(md)).contains("<!-- bench-latency:begin").contains("## Unloaded latency")
                .contains("./dynamo bench latency --warmup 1s");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void durabilityReportsBothModesAndAnFsync() throws Exception {
        Path json = tmp.resolve("durability.json");
        Result r = run("bench", "durability", "--threads", "2", "--warmup", "1s", "--phase", "1s", "--rounds", "1",
                "--seed", "7", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("buffered").contains("durable").contains("fdatasync")
                .contains("(target: at least 0.5x)");
        assertThat(new ObjectMapper().readTree(json.toFile()).get("verdicts")).hasSize(1);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void failureKillsANodeAndReportsTheShareServedInTime() throws Exception {
        Path json = tmp.resolve("failure.json");
        Result r = run("bench", "failure", "--peak", "2s", "--steady", "2s", "--window", "3s", "--records", "200",
                "--seed", "7", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.err()).contains("SIGKILL n3");
        assertThat(r.out()).contains("before the kill").contains("after (window)").contains("(target: at least 99.99%)")
                .contains("dead node");
        assertThat(new ObjectMapper().readTree(json.toFile()).get("verdicts")).hasSize(1);
    }
}

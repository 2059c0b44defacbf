package io.dynamo.cli.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamo.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code dynamo bench compare}: bad options, and the smoke run: the whole comparison on a tiny
 * configuration (1 node each, 1 run, seconds of load), checking the report's shape, never its
 * figures. The smoke run starts a real Cassandra 5.0.9 node (about 35 s) and real server processes.
 */
class CompareCommandTest {

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--workloads a,e | --workloads takes a, b, c and f; 'e' is not one of them",
        "--workloads a,A | --workloads names 'a' twice",
        "--runs 0 | --runs must be from 1 to 20",
        "--records 0 | --records must be at least 1",
        "--threads 0 | --threads must be from 1 to 512",
        "--warmup 500ms | --warmup must be at least 1s",
        "--duration 0s | --duration must be at least 1s",
        "--nodes 4 | --nodes must be from 1 to 3",
        "--warmup soon | 'soon' is not a duration"})
    void badOptionsExitTwoWithAMessage(String options, String message) {
        String[] opts = options.split(" ");
        String[] args = new String[opts.length + 2];
        args[0] = "bench";
        args[1] = "compare";
        System.arraycopy(opts, 0, args, 2, opts.length);
        Result r = run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains(message);
    }

    @Test
    void aReportThatIsAFolderIsRefused() {
        Result r = run("bench", "compare", "--report", tmp.toString());
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("is a folder; give a Markdown file");
    }

    @Test
    void aCassandraJavaThatIsNotJavaIsRefused() {
        Result r = run("bench", "compare", "--cassandra-java", tmp.resolve("nowhere").toString(), "--report",
                tmp.resolve("r.md").toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.FAILURE);
        assertThat(r.err()).contains("is not a java executable or a Java home");
        assertThat(tmp.resolve("r.md")).doesNotExist();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aTinyComparisonWritesTheWholeReport() throws Exception {
        Path report = tmp.resolve("docs/benchmarks.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, "# Benchmarks\n\nKept as it is.\n");
        Result r = run("bench", "compare", "--workloads", "a", "--runs", "1", "--records", "300", "--threads", "2",
                "--warmup", "2s", "--duration", "3s", "--nodes", "1", "--report", report.toString());
        System.out.println(r.out());
        System.out.println(r.err());
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("- Throughput, workload a: Dynamo at").contains("report: ");

        String md = Files.readString(report);
        assertThat(md).startsWith("# Benchmarks\n\nKept as it is.\n").contains("<!-- bench-compare:begin")
                .contains("### Physical baselines (same run)").contains("| Loopback TCP round trip | p50 ")
                .contains("### Peak throughput (closed loop)").contains("### Latency at peak throughput (ms)")
                .contains("### Tail at half of Cassandra's peak (open loop, ms)").contains("### Targets")
                .contains("### Every run").contains("Apache Cassandra 5.0.9, 1 node (127.0.0.1)");
        for (String png : List.of("compare-throughput.png", "compare-latency-peak.png", "compare-latency-half.png")) {
            assertThat(tmp.resolve("docs/benchmarks").resolve(png)).isNotEmptyFile();
        }
        JsonNode json = new ObjectMapper().readTree(tmp.resolve("docs/benchmarks/compare.json").toFile());
        assertThat(json.get("results")).hasSize(4);
        for (JsonNode run : json.get("results")) {
            assertThat(run.get("system").asText()).isIn("dynamo", "cassandra");
            assertThat(run.get("mode").asText()).isIn("peak", "half");
            assertThat(run.get("okOps").asLong()).as(run.toString()).isPositive();
            assertThat(run.get("operations").findValuesAsText("operation")).contains("READ", "UPDATE");
        }
        assertThat(json.get("baselines")).hasSize(3);
        // Every process the run started is gone.
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains("dynamo.peer.node=dynamo-bench/")).toList()).isEmpty();
    }
}

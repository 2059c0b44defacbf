package io.dynamo.cli.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.cli.bench.compare.Results.OpStats;
import io.dynamo.cli.bench.compare.Results.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's tables, medians and verdicts, and its charts, from made-up runs. */
class CompareReportTest {

    @TempDir
    Path tmp;

    static Results.Comparison comparison(boolean half) {
        List<RunResult> runs = new ArrayList<>();
        for (String w : List.of("a", "b")) {
            for (int run = 1; run <= 3; run++) {
                runs.add(run("dynamo", w, "peak", run, 0, 4000 + run * 100, 0.2, 1.0, 5.0));
                runs.add(run("cassandra", w, "peak", run, 0, 1200 + run * 10, 0.9, 4.0, 30.0));
            }
            if (half) {
                for (int run = 1; run <= 3; run++) {
                    runs.add(run("dynamo", w, "half", run, 610, 610, 0.2, 0.8, 4.0));
                    runs.add(run("cassandra", w, "half", run, 610, 610, 0.9, 3.0, 40.0));
                }
            }
        }
        Map<String, String> systems = new LinkedHashMap<>();
        systems.put("dynamo", "three of ours");
        systems.put("cassandra", "three of theirs");
        return new Results.Comparison("./dynamo bench compare --runs 3", new Results.Machine(2, "Some CPU",
                "23.5 GiB", "Linux 6", "OpenJDK 25", "2026-11-23 10:00 UTC"), systems, 3, 50_000, 16, 20, 40,
                List.of("a", "b"), List.of(new Results.Baseline("Loopback TCP round trip", "p50 30.1 µs", "ping-pong")),
                runs);
    }

    private static RunResult run(String system, String w, String mode, int run, double offered, double ops,
            double cpu, double p50, double p999) {
        List<OpStats> o = List.of(new OpStats("READ", 1000, 0, p50, p50 * 3, p999, p999 * 2),
                new OpStats("UPDATE", 1000, 1, p50 * 1.5, p50 * 4, p999 * 1.2, p999 * 3));
        return new RunResult(system, w, mode, run, offered, ops, 2000, 1, 40, cpu, o);
    }

    @Test
    void theReportHasEveryTableWithMediansRatiosAndVerdicts() {
        CompareReport r = new CompareReport(comparison(true));
        assertThat(r.throughput("dynamo", "a", "peak")).isEqualTo(4200);
        assertThat(r.throughput("cassandra", "a", "peak")).isEqualTo(1220);
        String md = r.markdown("benchmarks/");
        assertThat(md).contains("## Side by side with Apache Cassandra")
                .contains("`./dynamo bench compare --runs 3`")
                .contains("2 cores (Some CPU), 23.5 GiB")
                .contains("### Physical baselines (same run)").contains("| Loopback TCP round trip | p50 30.1 µs |")
                .contains("| a | 4,200 | 1,220 | 3.44x | 0.200 | 0.900 | 0.22x |")
                .contains("### Latency at peak throughput (ms)")
                .contains("### Tail at half of Cassandra's peak (open loop, ms)")
                .contains("![Peak throughput per workload](benchmarks/compare-throughput.png)")
                .contains("### Every run").contains("benchmarks/compare.json")
                .doesNotContain("repeats the READ-MODIFY-WRITE row");
        assertThat(r.verdicts()).anySatisfy(v -> assertThat(v).startsWith("Throughput, workload a")
                .contains("3.44x").endsWith("**met**"));
        assertThat(r.verdicts()).anySatisfy(v -> assertThat(v).startsWith("Server CPU per operation, workload b")
                .contains("**met**"));
        assertThat(r.verdicts()).anySatisfy(v -> assertThat(v).startsWith("Tail, workload a READ")
                .contains("no worse): **met**").contains("5.00x its p50 (target: within 10x): **met**"));
    }

    @Test
    void workloadFsOpenLoopUpdateRowIsExplained() {
        List<RunResult> runs = new ArrayList<>();
        for (String system : List.of("dynamo", "cassandra")) {
            for (String mode : List.of("peak", "half")) {
                List<OpStats> o = List.of(new OpStats("READ", 1000, 0, 0.5, 2, 5, 9),
                        new OpStats("READ-MODIFY-WRITE", 1000, 0, 2, 8, 20, 30),
                        new OpStats("UPDATE", 1000, 0, 2, 8, 20, 30));
                runs.add(new RunResult(system, "f", mode, 1, mode.equals("half") ? 600 : 0, 1200, 2000, 1, 40, 0.5, o));
            }
        }
        Results.Comparison base = comparison(true);
        Results.Comparison f = new Results.Comparison(base.command(), base.machine(), base.systems(), 1,
                base.records(), base.threads(), base.warmupSeconds(), base.durationSeconds(), List.of("f"),
                base.baselines(), runs);
        assertThat(new CompareReport(f).markdown("x/")).contains("| f | 600 | READ-MODIFY-WRITE |")
                .contains("the UPDATE row repeats the READ-MODIFY-WRITE row");
    }

    @Test
    void withoutTheOpenLoopRunsTheTailIsReportedAsNotMeasured() {
        CompareReport r = new CompareReport(comparison(false));
        assertThat(r.markdown("x/")).doesNotContain("### Tail at half");
        assertThat(r.verdicts()).last().asString().contains("not measured");
    }

    @Test
    void chartsAreWrittenAsPngFiles() throws IOException {
        Results.Comparison c = comparison(true);
        CompareCommand.write(c, tmp.resolve("docs/benchmarks.md"), tmp.resolve("docs/benchmarks"));
        for (String f : List.of("compare-throughput.png", "compare-latency-peak.png", "compare-latency-half.png")) {
            byte[] png = Files.readAllBytes(tmp.resolve("docs/benchmarks").resolve(f));
            assertThat(png.length).as(f).isGreaterThan(5_000);
            assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        assertThat(Files.readString(tmp.resolve("docs/benchmarks/compare.json"))).contains("\"workload\" : \"a\"")
                .contains("\"serverCpuMsPerOp\"");
        assertThat(Files.readString(tmp.resolve("docs/benchmarks.md"))).contains("<!-- bench-compare:begin")
                .contains("(benchmarks/compare-throughput.png)");
    }
}

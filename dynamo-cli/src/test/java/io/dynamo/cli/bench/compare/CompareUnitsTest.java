package io.dynamo.cli.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison's parts that need no cluster: YCSB's output, interval logs, /proc, Markdown sections. */
class CompareUnitsTest {

    @TempDir
    Path tmp;

    @Test
    void ycsbSummaryLinesAreParsedBySectionAndMetric() {
        Map<String, Map<String, String>> s = YcsbRun.parseSummary(List.of(
                "[OVERALL], RunTime(ms), 5010",
                "[OVERALL], Throughput(ops/sec), 499.001996007984",
                "[READ], 99.9PercentileLatency(us), 33567",
                "[READ], Return=OK, 1265",
                "some other line",
                "[INSERT-FAILED], Operations, 3"));
        assertThat(s.get("OVERALL")).containsEntry("Throughput(ops/sec)", "499.001996007984");
        assertThat(s.get("READ")).containsEntry("99.9PercentileLatency(us)", "33567").containsEntry("Return=OK",
                "1265");
        assertThat(s.get("INSERT-FAILED")).containsEntry("Operations", "3");
        assertThat(s).hasSize(3);
    }

    @Test
    void theStatusReaderFindsTheWarmupsEndOnce() {
        int[] calls = {0};
        YcsbRun.StatusReader r = new YcsbRun.StatusReader(5, () -> calls[0]++, line -> { }, "x");
        r.line("2026-11-23 05:39:27:693 4 sec: 2000 operations; 501 current ops/sec; [READ: Count=263]");
        assertThat(r.opsAtWarmupEnd).isEqualTo(-1);
        r.line("2026-11-23 05:39:28:693 5 sec: 2500 operations; 501 current ops/sec;");
        r.line("2026-11-23 05:39:29:693 6 sec: 3000 operations; 501 current ops/sec;");
        r.line("Maximum time elapsed. Requesting stop for the workload.");
        assertThat(calls[0]).isEqualTo(1);
        assertThat(r.opsAtWarmupEnd).isEqualTo(2500);
        assertThat(r.lastOps).isEqualTo(3000);
        assertThat(r.warmupEndEpochMillis).isPositive();
        assertThat(r.tail()).last().asString().contains("Maximum time");
    }

    @Test
    void theYcsbCommandMeasuresFromIntendedStartsWithIntervalHistograms() {
        YcsbRun.Spec spec = new YcsbRun.Spec("x", "a.jar:lib/*", "my.Db", Path.of("workloada"),
                Map.of("dynamo.seeds", "127.0.0.1:1"), 8, 1234.4, false, 1000, Duration.ofSeconds(5),
                Duration.ofSeconds(10), tmp);
        List<String> cmd = YcsbRun.command(Path.of("/usr/bin/java"), spec, tmp.resolve("hdr"));
        String line = String.join(" ", cmd);
        assertThat(line).contains("site.ycsb.Client -t -db my.Db -P workloada -threads 8 -target 1234 -s")
                .contains("-p measurement.interval=intended").contains("-p measurementtype=hdrhistogram")
                .contains("-p hdrhistogram.fileoutput=true").contains("-p maxexecutiontime=15")
                .contains("-p recordcount=1000").contains("-p dynamo.seeds=127.0.0.1:1");
        YcsbRun.Spec load = new YcsbRun.Spec("x", "cp", "my.Db", Path.of("w"), Map.of(), 2, 0, true, 500,
                Duration.ZERO, Duration.ZERO, tmp);
        String loadLine = String.join(" ", YcsbRun.command(Path.of("java"), load, tmp));
        assertThat(loadLine).contains(" -load ").contains("-p insertcount=500").doesNotContain("-target")
                .doesNotContain("maxexecutiontime");
    }

    @Test
    void intervalsBeforeTheWarmupsEndAreLeftOut() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("hdr"));
        long base = 1_795_000_000_000L;
        try (PrintStream out = new PrintStream(dir.resolve("READ.hdr").toFile())) {
            HistogramLogWriter w = new HistogramLogWriter(out);
            w.outputStartTime(base);
            w.setBaseTime(base);
            w.outputLegend();
            for (int second = 0; second < 10; second++) {
                Histogram h = new Histogram(3);
                // Warm-up seconds are slow (10 ms), measured ones fast (1 ms).
                for (int i = 0; i < 100; i++) {
                    h.recordValue(second < 4 ? 10_000 : 1_000);
                }
                h.setStartTimeStamp(base + second * 1000L);
                h.setEndTimeStamp(base + (second + 1) * 1000L);
                w.outputIntervalHistogram(h);
            }
        }
        Map<String, HdrIntervals.Measured> m = HdrIntervals.read(dir, base + 4000 + 100);
        HdrIntervals.Measured read = m.get("READ");
        assertThat(read.histogram().getTotalCount()).isEqualTo(600);
        assertThat(read.histogram().getMaxValue()).isLessThan(2_000);
        assertThat(read.firstStartMillis()).isEqualTo(base + 4000);
        assertThat(read.lastEndMillis()).isEqualTo(base + 10_000);
    }

    @Test
    void procStatTimesAreReadPastACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (my app)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 1000 "
                + "1000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcessCpu.parse(stat)).isEqualTo(3.25);
        if (ProcessCpu.available()) {
            assertThat(ProcessCpu.seconds(ProcessHandle.current().pid())).isGreaterThan(0);
            assertThat(ProcessCpu.seconds(List.of(ProcessHandle.current().pid(), Long.MAX_VALUE))).isEqualTo(-1);
        }
        assertThat(ProcessCpu.seconds(List.of())).isEqualTo(-1);
    }

    @Test
    void aMarkdownSectionIsAppendedThenReplacedKeepingTheRest() throws IOException {
        Path md = tmp.resolve("bench.md");
        Files.writeString(md, "# Benchmarks\n\nHand-written text.\n");
        MarkdownSection.write(md, "bench-x", "first figures");
        String once = Files.readString(md);
        assertThat(once).startsWith("# Benchmarks\n\nHand-written text.\n").contains("first figures")
                .contains("<!-- bench-x:end -->");
        Files.writeString(md, once + "\n## After\n");
        MarkdownSection.write(md, "bench-x", "second figures");
        String twice = Files.readString(md);
        assertThat(twice).contains("second figures").doesNotContain("first figures").contains("Hand-written text.")
                .endsWith("## After\n");
        MarkdownSection.write(tmp.resolve("new.md"), "bench-x", "alone");
        assertThat(Files.readString(tmp.resolve("new.md"))).contains("alone");
        Files.writeString(md, "<!-- bench-x:begin --> no end");
        assertThatThrownBy(() -> MarkdownSection.write(md, "bench-x", "y")).isInstanceOf(IOException.class)
                .hasMessageContaining("broken 'bench-x' section");
        assertThat(Files.readString(md)).isEqualTo("<!-- bench-x:begin --> no end");
    }

    @Test
    void failureMeasurementsAreToldFromReadModifyWrite() {
        assertThat(CompareRun.failedOperation("READ")).isNull();
        assertThat(CompareRun.failedOperation("READ-MODIFY-WRITE")).isNull();
        assertThat(CompareRun.failedOperation("READ-FAILED")).isEqualTo("READ");
        assertThat(CompareRun.failedOperation("UPDATE-ERROR")).isEqualTo("UPDATE");
        assertThat(CompareRun.failedOperation("READ-MODIFY-WRITE-FAILED")).isEqualTo("READ-MODIFY-WRITE");
        assertThat(CompareRun.failedOperation("CLEANUP")).isNull();
    }

    @Test
    void mediansAndFormats() {
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
        assertThat(Stats.median(new double[0])).isNaN();
        assertThat(Stats.ms(0.4123)).isEqualTo("0.412");
        assertThat(Stats.ms(3.214)).isEqualTo("3.21");
        assertThat(Stats.ms(1203.4)).isEqualTo("1,203");
        assertThat(Stats.ratio(3.414)).isEqualTo("3.41x");
        assertThat(Stats.ratio(Double.NaN)).isEqualTo("n/a");
        assertThat(Machine.gib("24607448 kB")).isEqualTo("23.5 GiB");
    }
}

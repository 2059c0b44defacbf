package io.dynamo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFormatTest {

    private static Histogram latencies(long... micros) {
        Histogram h = new Histogram(OperationStats.HIGHEST_MICROS, OperationStats.SIGNIFICANT_DIGITS);
        for (long m : micros) {
            h.recordValue(m);
        }
        return h;
    }

    /** A report of a made-up run: 4 reads, 2 updates (one failed twice), over 2 s. */
    static BenchReport sample() {
        WorkloadSpec spec = WorkloadSpec.builder().records(1000).threads(2).duration(Duration.ofSeconds(2))
                .warmup(Duration.ofSeconds(1)).seed(42).build();
        Histogram reads = latencies(1000, 1200, 2000, 15_000);
        Histogram updates = latencies(3000, 4000);
        OperationReport read = new OperationReport("read", 4, 0, Map.of(), Map.of(), 2.0, reads);
        OperationReport update = new OperationReport("update", 2, 2, Map.of("RequestTimeoutException", 2L),
                Map.of("RequestTimeoutException", "the put timed out"), 1.0, updates);
        Histogram all = reads.copy();
        all.add(updates);
        OperationReport total = new OperationReport("total", 6, 2, Map.of("RequestTimeoutException", 2L), Map.of(),
                3.0, all);
        LoadReport load = new LoadReport(1000, 0, 0.5, new OperationReport("load", 1000, 0, Map.of(), Map.of(), 2000,
                latencies(500, 700)));
        return new BenchReport(spec, new RunInfo("./dynamo bench --records 1000 --threads 2 --seed 42",
                "local cluster of 3 nodes"), Instant.parse("2026-01-02T03:04:05Z"), "0000abcd", load, 1.0, 2.0,
                List.of(read, update), total, new Counters(1, 0, 0, 0, 0, 0, 0,
                new SiblingReads(1, 1, 1, 1, 0)), 0, false);
    }

    @Test
    void theTextHasTheAlignedTableAndTheRunsParticulars() {
        String text = ReportFormat.text(sample());
        System.out.print(text);
        List<String> lines = text.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("operation")).findFirst().orElseThrow());
        assertThat(lines.get(header)).isEqualTo(
                "operation  count  errors  ops/s  mean ms  p50 ms  p99 ms  p99.9 ms  max ms");
        assertThat(lines.get(header + 1)).isEqualTo(
                "read           4       0    2.0     4.80    1.20   15.01     15.01   15.01");
        assertThat(lines.get(header + 2)).startsWith("update         2       2    1.0");
        assertThat(lines.get(header + 3)).startsWith("total          6       2    3.0");
        // Every row as wide as the header: the columns line up.
        for (int i = header; i <= header + 3; i++) {
            assertThat(lines.get(i)).hasSize(lines.get(header).length());
        }
        assertThat(text).contains("Workload a (read 50%, update 50%), zipfian over 1,000 records in namespace 'bench'")
                .contains("Closed loop").contains("Seed: 42").contains("Target: local cluster of 3 nodes")
                .contains("Load: 1,000 of 1,000 records in 0.5 s (2,000 writes/s), 0 errors")
                .contains("Reads that saw siblings: 1 of 4 (25.00%)")
                .contains("25.00% of reads saw siblings (1 read of 1 key): concurrent updates of the same key by "
                        + "different client threads (in 1 of them the siblings were written by 2 or more threads; "
                        + "zipfian keys make hot keys); 100.00% of them (1) were merged by a later update's context\n")
                .contains("update: RequestTimeoutException 2 (first: the put timed out)")
                .contains("Command: ./dynamo bench --records 1000 --threads 2 --seed 42");
    }

    @Test
    void theJsonHasTheSpecTheRowsAndDecodableHistograms(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/report.json");
        ReportFormat.writeJson(sample(), file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));

        assertThat(json.path("format").asInt()).isEqualTo(ReportFormat.JSON_FORMAT);
        assertThat(json.path("command").asText()).isEqualTo("./dynamo bench --records 1000 --threads 2 --seed 42");
        assertThat(json.path("seed").asLong()).isEqualTo(42);
        assertThat(json.path("loop").asText()).isEqualTo("closed");
        assertThat(json.path("spec").path("records").asLong()).isEqualTo(1000);
        assertThat(json.path("spec").path("mix").path("read").asDouble()).isEqualTo(0.5);
        assertThat(json.path("spec").path("r").isNull()).isTrue();
        assertThat(json.path("spec").path("duration_seconds").asDouble()).isEqualTo(2.0);
        assertThat(json.path("load").path("writes").path("count").asLong()).isEqualTo(1000);
        assertThat(json.path("measured_seconds").asDouble()).isEqualTo(2.0);

        JsonNode ops = json.path("operations");
        assertThat(ops).hasSize(2);
        JsonNode read = ops.get(0);
        assertThat(read.path("operation").asText()).isEqualTo("read");
        assertThat(read.path("count").asLong()).isEqualTo(4);
        assertThat(read.path("ops_per_second").asDouble()).isEqualTo(2.0);
        for (String field : List.of("mean", "p50", "p90", "p95", "p99", "p99_9", "p99_99", "max")) {
            assertThat(read.path("latency_ms").path(field).isNumber()).as(field).isTrue();
        }
        assertThat(read.path("latency_ms").path("p50").asDouble()).isEqualTo(1.2, org.assertj.core.api.Assertions.within(0.01));
        assertThat(ops.get(1).path("errors_by_type").path("RequestTimeoutException").asLong()).isEqualTo(2);
        assertThat(json.path("total").path("count").asLong()).isEqualTo(6);
        assertThat(json.path("counters").path("reads_with_siblings").asLong()).isEqualTo(1);
        assertThat(json.path("counters").path("reads_with_siblings_detail").path("merged_by_a_later_write").asLong())
                .isEqualTo(1);

        Histogram decoded = Histogram.decodeFromCompressedByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(read.path("hdr_histogram").asText())), 0);
        assertThat(decoded.getTotalCount()).isEqualTo(4);
        assertThat(decoded.getMaxValue()).isEqualTo(sample().operations().get(0).histogram().getMaxValue());
    }

    @Test
    void theSiblingsLineSaysWhatTheCountsShow() {
        WorkloadSpec uniform = WorkloadSpec.builder().records(1000).distribution(KeyDistribution.UNIFORM)
                .duration(Duration.ofSeconds(2)).seed(1).build();
        assertThat(ReportFormat.siblingsLine(uniform, new SiblingReads(200, 150, 40, 190, 10), 10_000))
                .isEqualTo("2.00% of reads saw siblings (200 reads of 150 keys): updates that did not carry the "
                        + "key's latest context (in 40 of them the siblings were written by 2 or more threads); "
                        + "95.00% of them (190) were merged by a later update's context, 10 not by the end of the run");
        WorkloadSpec readOnly = WorkloadSpec.builder().records(1000).mix(OperationMix.preset("c"))
                .duration(Duration.ofSeconds(2)).seed(1).build();
        assertThat(ReportFormat.siblingsLine(readOnly, new SiblingReads(3, 1, -1, 0, 3), 100))
                .isEqualTo("3.00% of reads saw siblings (3 reads of 1 key): concurrent updates of the same key by "
                        + "different client threads (zipfian keys make hot keys); this mix has no update or delete "
                        + "to merge them with a context");
    }

    @Test
    void anOperationThatNeverSucceededHasNoLatencies() throws Exception {
        OperationReport none = new OperationReport("delete", 0, 3, Map.of("UnavailableException", 3L), Map.of(), 0,
                latencies());
        assertThat(none.p50Millis()).isNaN();
        BenchReport base = sample();
        BenchReport report = new BenchReport(base.spec(), base.info(), base.startedAt(), base.insertTag(), null, 1, 2,
                List.of(none), none.named("total"), base.counters(), 0, false);
        assertThat(ReportFormat.text(report)).contains("delete         0       3    0.0        -").contains("Load: skipped");
        JsonNode json = new ObjectMapper().readTree(ReportFormat.jsonText(report));
        assertThat(json.path("operations").get(0).path("latency_ms").path("p50").isNull()).isTrue();
        assertThat(json.path("load").isNull()).isTrue();
    }

    @Test
    void theProgressLineHasTheRateTheTotalsAndTheP99() {
        Progress p = new Progress(Phase.RUN, 12.2, 1.0, 4321, 0, 51_234, 0, 2.1);
        assertThat(p.line()).isEqualTo("[  12 s] 4,321 ops/s  total 51,234  errors 0  p99 2.10 ms");
        Progress warm = new Progress(Phase.WARMUP, 3, 0.5, 100, 1, 300, 2, Double.NaN);
        assertThat(warm.line()).isEqualTo("[   3 s] warm-up  200 ops/s  total 300  errors 2  p99 -");
        assertThat(new Progress(Phase.LOAD, 1, 1, 10, 0, 10, 0, 1).line()).startsWith("[   1 s] load  10 ops/s");
    }
}

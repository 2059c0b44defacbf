package io.dynamo.bench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.bench.storage.StorageReport.Score;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's arithmetic and formatting, on made-up scores (no benchmark runs here). */
class StorageReportTest {

    private static Score ops(double score, int threads) {
        return new Score(score, score / 100, threads, "ops/s");
    }

    @Test
    void formatsRatiosWithTwoDecimalsBelowTenAndOneAbove() {
        assertThat(StorageReport.formatRatio(0.8333)).isEqualTo("0.83x");
        assertThat(StorageReport.formatRatio(0.7)).isEqualTo("0.70x");
        assertThat(StorageReport.formatRatio(4.0)).isEqualTo("4.00x");
        assertThat(StorageReport.formatRatio(12.345)).isEqualTo("12.3x");
        assertThat(StorageReport.formatRatio(Double.NaN)).isEqualTo("n/a");
        assertThat(StorageReport.formatRatio(Double.POSITIVE_INFINITY)).isEqualTo("n/a");
    }

    @Test
    void ratioIsNotANumberWhenEitherSideIsMissingOrZero() {
        assertThat(StorageReport.ratio(ops(300, 1), ops(400, 1))).isEqualTo(0.75);
        assertThat(StorageReport.ratio(null, ops(400, 1))).isNaN();
        assertThat(StorageReport.ratio(ops(300, 1), null)).isNaN();
        assertThat(StorageReport.ratio(ops(300, 1), ops(0, 1))).isNaN();
    }

    @Test
    void verdictJudgesTheUnroundedRatioAgainstALowerBound() {
        assertThat(StorageReport.verdict(0.7, 0.7)).isEqualTo("met");
        assertThat(StorageReport.verdict(0.71, 0.7)).isEqualTo("met");
        assertThat(StorageReport.verdict(0.699, 0.7)).isEqualTo("MISSED");
        assertThat(StorageReport.verdict(3.99, 4.0)).isEqualTo("MISSED");
        assertThat(StorageReport.verdict(4.5, 4.0)).isEqualTo("met");
        assertThat(StorageReport.verdict(Double.NaN, 4.0)).isEqualTo("not measured");
        assertThat(StorageReport.verdict(1.2, StorageReport.NO_TARGET)).isEqualTo("no target");
    }

    @Test
    void ratioTableNamesEveryRatioWithItsTargetAndVerdict() {
        Map<String, Score> scores = new LinkedHashMap<>();
        scores.put("engineGet", ops(240_000, 1));
        scores.put("rawGet", ops(300_000, 1));
        scores.put("enginePut", ops(60_000, 1));
        scores.put("rawPut", ops(240_000, 1));
        scores.put("engineMerge", ops(48_000, 1));
        scores.put("engineDurablePut16", ops(30_000, 16));
        scores.put("rawFsyncPerPut16", ops(6_000, 16));
        scores.put("rawFsyncPerPut1", ops(5_000, 1));
        // rawSyncPutGrouped16 left out: its ratio is "n/a".

        List<String> lines = StorageReport.ratioLines(scores);

        assertThat(lines).hasSize(1 + StorageReport.RATIOS.size());
        assertThat(lines.get(0)).contains("Ratio", "Measured", "Target", "Verdict");
        assertThat(lines.get(1)).startsWith("engine get / raw get").contains("0.80x", ">= 0.70x", "met");
        assertThat(lines.get(2)).startsWith("engine buffered put / raw put").contains("0.25x", ">= 0.70x", "MISSED");
        assertThat(lines.get(3)).startsWith("engine merge / raw put").contains("0.20x", "no target");
        assertThat(lines.get(4)).startsWith("group-commit durable / fsync per put, 16 threads")
                .contains("5.00x", ">= 4.00x", "met");
        assertThat(lines.get(5)).contains("1.20x", "no target");
        assertThat(lines.get(6)).contains("n/a", "no target");
    }

    @Test
    void scoreTableHasOneRowPerBenchmarkWithThreadsAndError() {
        Map<String, Score> scores = new LinkedHashMap<>();
        scores.put("engineGet", new Score(276523.0421, 1234.56, 1, "ops/s"));
        scores.put("engineDurablePut16", new Score(25926.7, Double.NaN, 16, "ops/s"));

        List<String> lines = StorageReport.scoreLines(scores);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("Benchmark", "Threads", "Score", "Error", "Units");
        assertThat(lines.get(1)).startsWith("engineGet").contains(" 1 ", "276523.0", "\u00b1", "1234.6", "ops/s");
        assertThat(lines.get(2)).startsWith("engineDurablePut16").contains(" 16 ", "25926.7", "0.0");
    }
}

package io.dynamo.cli.bench.compare;

import io.dynamo.cli.bench.compare.Results.OpStats;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The comparison's charts, as PNG files (JFreeChart, drawn headless): throughput per workload,
 * and latency percentiles per workload and operation on a log scale.
 */
public final class Plots {

    static final Color DYNAMO = new Color(0x1f, 0x77, 0xb4);
    static final Color DYNAMO_LIGHT = new Color(0x7f, 0xb8, 0xe0);
    static final Color DYNAMO_DARK = new Color(0x0b, 0x3d, 0x66);
    static final Color CASSANDRA = new Color(0xd6, 0x61, 0x1e);
    static final Color CASSANDRA_LIGHT = new Color(0xf2, 0xb0, 0x84);
    static final Color CASSANDRA_DARK = new Color(0x7a, 0x33, 0x0c);

    private Plots() {
    }

    /** Writes compare-throughput.png and compare-latency-peak.png (and -half, when measured) into {@code dir}. */
    public static List<Path> write(CompareReport report, List<String> workloads, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Path throughput = dir.resolve("compare-throughput.png");
        ChartUtils.saveChartAsPNG(throughput.toFile(), throughputChart(report, workloads), 800, 450);
        Path peak = dir.resolve("compare-latency-peak.png");
        ChartUtils.saveChartAsPNG(peak.toFile(), latencyChart(report, workloads, "peak",
                "Latency at peak throughput (median of runs; lower is better)"), 1000, 500);
        if (report.hasMode("half")) {
            Path half = dir.resolve("compare-latency-half.png");
            ChartUtils.saveChartAsPNG(half.toFile(), latencyChart(report, workloads, "half",
                    "Latency at half of Cassandra's peak, open loop (median of runs; lower is better)"), 1000, 500);
            return List.of(throughput, peak, half);
        }
        return List.of(throughput, peak);
    }

    static JFreeChart throughputChart(CompareReport report, List<String> workloads) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String w : workloads) {
            add(data, report.throughput(CompareReport.DYNAMO, w, "peak"), "Dynamo", "workload " + w);
            add(data, report.throughput(CompareReport.CASSANDRA, w, "peak"), "Cassandra", "workload " + w);
        }
        NumberAxis y = new NumberAxis("operations per second");
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(), y, renderer(DYNAMO, CASSANDRA));
        return chart("Peak throughput, YCSB, quorum reads and writes (median of runs; higher is better)", plot);
    }

    static JFreeChart latencyChart(CompareReport report, List<String> workloads, String mode, String title) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String w : workloads) {
            for (String op : report.operations(w, mode)) {
                String category = w + " " + op.toLowerCase(java.util.Locale.ROOT);
                add(data, report.op(CompareReport.DYNAMO, w, mode, op, OpStats::p50Ms), "Dynamo p50", category);
                add(data, report.op(CompareReport.DYNAMO, w, mode, op, OpStats::p99Ms), "Dynamo p99", category);
                add(data, report.op(CompareReport.DYNAMO, w, mode, op, OpStats::p999Ms), "Dynamo p99.9", category);
                add(data, report.op(CompareReport.CASSANDRA, w, mode, op, OpStats::p50Ms), "Cassandra p50", category);
                add(data, report.op(CompareReport.CASSANDRA, w, mode, op, OpStats::p99Ms), "Cassandra p99", category);
                add(data, report.op(CompareReport.CASSANDRA, w, mode, op, OpStats::p999Ms), "Cassandra p99.9",
                        category);
            }
        }
        LogAxis y = new LogAxis("milliseconds (log scale)");
        y.setSmallestValue(0.01);
        y.setBase(10);
        // One tick a decade (0.1, 1, 10, 100 ms), written as plain numbers, not powers of ten.
        y.setTickUnit(new NumberTickUnit(1.0));
        y.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        CategoryAxis x = new CategoryAxis();
        if (data.getColumnCount() > 6) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        BarRenderer r = renderer(DYNAMO_LIGHT, DYNAMO, DYNAMO_DARK, CASSANDRA_LIGHT, CASSANDRA, CASSANDRA_DARK);
        r.setIncludeBaseInRange(false);
        r.setBase(0.01);
        CategoryPlot plot = new CategoryPlot(data, x, y, r);
        return chart(title, plot);
    }

    private static void add(DefaultCategoryDataset data, double value, String series, String category) {
        if (!Double.isNaN(value) && value > 0) {
            data.addValue(value, series, category);
        }
    }

    private static BarRenderer renderer(Color... colors) {
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.02);
        for (int i = 0; i < colors.length; i++) {
            r.setSeriesPaint(i, colors[i]);
        }
        return r;
    }

    private static JFreeChart chart(String title, CategoryPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xcc, 0xcc, 0xcc));
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 14)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}

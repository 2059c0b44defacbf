package io.dynamo.sim.partitioning;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws Figure 8 from a report: efficiency against metadata size, log x, one line per strategy. */
public final class PartitioningChart {

    public static final int WIDTH = 960;
    public static final int HEIGHT = 600;

    private static final Color[] COLORS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C)};

    private PartitioningChart() {
    }

    public static XYChart chart(PartitioningReport report) {
        PartitioningConfig c = report.config();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT,
                        "Load-balancing efficiency vs membership metadata (S = %d nodes, N = %d, seed %d)",
                        c.nodes(), c.replicas(), c.seed()))
                .xAxisTitle("Membership metadata per node (ring entries: S*T tokens, S*T + Q, or Q; log scale)")
                .yAxisTitle("Efficiency (mean load / max load)")
                .build();
        XYStyler styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(1.0);
        styler.setYAxisDecimalPattern("0.00");
        styler.setXAxisDecimalPattern("#,##0");
        styler.setLegendPosition(Styler.LegendPosition.InsideSE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(true);
        styler.setAntiAlias(true);
        for (Strategy strategy : Strategy.values()) {
            List<SweepPoint> points = report.points(strategy);
            double[] x = new double[points.size()];
            double[] y = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                x[i] = points.get(i).metadataSize();
                y[i] = points.get(i).exact().mean();
            }
            String name = "Strategy " + strategy.label().substring("strategy ".length())
                    + (strategy.isRandom() ? " (mean of " + c.runs() + " seeds)" : "");
            XYSeries series = chart.addSeries(name, x, y);
            series.setLineColor(COLORS[strategy.ordinal()]);
            series.setMarkerColor(COLORS[strategy.ordinal()]);
            if (strategy == Strategy.TOKEN_PLACED_PARTITIONS) {
                // Often on top of strategy 1 (same tokens, fine partitions): dashed so both show.
                series.setMarker(SeriesMarkers.DIAMOND);
                series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {8f, 6f}, 0f));
            } else {
                series.setMarker(SeriesMarkers.CIRCLE);
                series.setLineStyle(new BasicStroke(2f));
            }
        }
        return chart;
    }

    /** The chart as PNG bytes. */
    public static byte[] png(PartitioningReport report) {
        try {
            return BitmapEncoder.getBitmapBytes(chart(report), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the chart as PNG", e);
        }
    }

    /** Writes the chart as a PNG to {@code file}, creating its directory. */
    public static Path writePng(PartitioningReport report, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.write(file, png(report));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }
}

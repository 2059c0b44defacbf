package io.dynamo.sim.partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitioningChartTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @Test
    void writesAValidPngOfTheConfiguredSize(@TempDir Path dir) throws Exception {
        PartitioningReport report = PartitioningExperiment.run(PartitioningConfig.quick(30, 3, 3L, 5_000));
        Path file = PartitioningChart.writePng(report, dir.resolve("figures").resolve("partitioning.png"));

        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isGreaterThan(10_000);
        byte[] head = new byte[PNG_MAGIC.length];
        System.arraycopy(bytes, 0, head, 0, head.length);
        assertThat(head).isEqualTo(PNG_MAGIC);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(PartitioningChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(PartitioningChart.HEIGHT);
    }

    @Test
    void chartHasOneSeriesPerStrategyOnALogAxis() {
        PartitioningReport report = PartitioningExperiment.run(PartitioningConfig.quick(30, 3, 3L, 5_000));
        var chart = PartitioningChart.chart(report);
        assertThat(chart.getSeriesMap()).hasSize(3);
        assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(chart.getXAxisTitle()).contains("metadata");
        assertThat(chart.getYAxisTitle()).contains("Efficiency");
    }
}

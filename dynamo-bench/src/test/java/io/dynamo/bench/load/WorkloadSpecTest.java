package io.dynamo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class WorkloadSpecTest {

    private static void refused(UnaryOperator<WorkloadSpec.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(WorkloadSpec.builder()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void theDefaultsAreValid() {
        WorkloadSpec spec = WorkloadSpec.builder().build();
        assertThat(spec.namespace()).isEqualTo("bench");
        assertThat(spec.records()).isEqualTo(10_000);
        assertThat(spec.mix()).isEqualTo(OperationMix.preset("a"));
        assertThat(spec.distribution()).isEqualTo(KeyDistribution.ZIPFIAN);
        assertThat(spec.threads()).isEqualTo(8);
        assertThat(spec.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.openLoop()).isFalse();
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void everyBadFieldIsNamed() {
        refused(b -> b.namespace(" "), "namespace must be 1 to 255 characters without surrounding spaces, was ' '");
        refused(b -> b.records(0), "records must be from 1 to 1000000000, was 0");
        refused(b -> b.valueSize(0), "value size must be from 1 to 1048576 bytes, was 0");
        refused(b -> b.threads(0), "threads must be from 1 to 1024, was 0");
        refused(b -> b.threads(2000), "threads must be from 1 to 1024, was 2000");
        refused(b -> b.duration(Duration.ZERO), "duration must be more than 0 and at most 7 days, was 0s");
        refused(b -> b.operations(-1), "operations must be at least 0 (0: no limit), was -1");
        refused(b -> b.duration(null).operations(0), "a run needs a duration, an operation count, or both");
        refused(b -> b.warmup(Duration.ofMillis(-5)), "warm-up must be from 0 to 7 days, was -5ms");
        refused(b -> b.targetRate(-1), "target rate must be a finite number of operations per second >= 0 "
                + "(0: as fast as possible), was -1.0");
        refused(b -> b.targetRate(Double.NaN), "target rate must be a finite number of operations per second >= 0 "
                + "(0: as fast as possible), was NaN");
        refused(b -> b.readQuorum(-1), "R must be from 1 to 16 (or 0 for the namespace's default), was -1");
        refused(b -> b.writeQuorum(17), "W must be from 1 to 16 (or 0 for the namespace's default), was 17");
        refused(b -> b.contextCacheSize(0), "context cache size must be from 1 to 100000000, was 0");
        assertThatThrownBy(() -> WorkloadSpec.builder().mix(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessage("mix");
    }

    @Test
    void anOperationCountAloneIsEnough() {
        WorkloadSpec spec = WorkloadSpec.builder().duration(null).operations(1000).targetRate(50).build();
        assertThat(spec.duration()).isNull();
        assertThat(spec.openLoop()).isTrue();
    }

    @Test
    void durationsPrintAsTheOptionsTakeThem() {
        assertThat(WorkloadSpec.text(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(WorkloadSpec.text(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(WorkloadSpec.text(null)).isEqualTo("none");
    }
}

package io.dynamo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class OperationMixTest {

    @Test
    void presetsAreTheYcsbCoreWorkloads() {
        assertThat(OperationMix.preset("a").describe()).isEqualTo("read 50%, update 50%");
        assertThat(OperationMix.preset("B").describe()).isEqualTo("read 95%, update 5%");
        assertThat(OperationMix.preset("c").describe()).isEqualTo("read 100%");
        assertThat(OperationMix.preset("f").describe()).isEqualTo("read 50%, rmw 50%");
        assertThat(OperationMix.preset("w").describe()).isEqualTo("update 100%");
        assertThat(OperationMix.preset("f").operations()).containsExactly(Operation.READ, Operation.READ_MODIFY_WRITE);
        assertThat(OperationMix.preset("a").name()).isEqualTo("a");
    }

    @Test
    void unknownPresetsNameTheChoices() {
        assertThatThrownBy(() -> OperationMix.preset("z")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown workload 'z'").hasMessageContaining("a, b, c, f, w");
        assertThatThrownBy(() -> OperationMix.preset("e")).hasMessageContaining("not supported");
    }

    @Test
    void chooseLaysTheSharesEndToEnd() {
        OperationMix mix = OperationMix.of(1, 1, 0, 2, 0); // read [0, .25), update [.25, .5), rmw [.5, 1)
        assertThat(mix.choose(0.0)).isEqualTo(Operation.READ);
        assertThat(mix.choose(0.2499)).isEqualTo(Operation.READ);
        assertThat(mix.choose(0.25)).isEqualTo(Operation.UPDATE);
        assertThat(mix.choose(0.4999)).isEqualTo(Operation.UPDATE);
        assertThat(mix.choose(0.5)).isEqualTo(Operation.READ_MODIFY_WRITE);
        assertThat(mix.choose(Math.nextDown(1.0))).isEqualTo(Operation.READ_MODIFY_WRITE);
        assertThat(OperationMix.preset("c").choose(Math.nextDown(1.0))).isEqualTo(Operation.READ);
        assertThat(OperationMix.preset("w").choose(0.0)).isEqualTo(Operation.UPDATE);
    }

    @Test
    void drawsFollowTheProportions() {
        long seed = ThreadLocalRandom.current().nextLong();
        System.out.println("drawsFollowTheProportions: seed " + seed);
        OperationMix mix = OperationMix.of(40, 25, 10, 15, 10);
        SplittableRandom random = new SplittableRandom(seed);
        Map<Operation, Integer> counts = new EnumMap<>(Operation.class);
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            counts.merge(mix.choose(random.nextDouble()), 1, Integer::sum);
        }
        for (Operation op : Operation.values()) {
            assertThat((double) counts.getOrDefault(op, 0) / draws).as(op.label()).isCloseTo(mix.share(op), within(0.01));
        }
    }

    @Test
    void weightsNeedNotSumToOne() {
        assertThat(OperationMix.of(0.5, 0.5, 0, 0, 0).shares()).isEqualTo(OperationMix.of(50, 50, 0, 0, 0).shares());
        assertThat(OperationMix.of(1, 2, 0, 0, 0).describe()).isEqualTo("read 33.33%, update 66.67%");
    }

    @Test
    void badProportionsAreRefusedWithAMessage() {
        assertThatThrownBy(() -> OperationMix.of(0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must sum to more than 0");
        assertThatThrownBy(() -> OperationMix.of(-1, 2, 0, 0, 0)).hasMessage(
                "the read proportion must be a finite number >= 0, was -1");
        assertThatThrownBy(() -> OperationMix.of(1, Double.NaN, 0, 0, 0)).hasMessageContaining("update proportion");
        assertThatThrownBy(() -> OperationMix.of(1, 0, 0, Double.POSITIVE_INFINITY, 0))
                .hasMessageContaining("rmw proportion");
    }

    @Test
    void operationsParseByLabelOrName() {
        assertThat(Operation.parse("rmw")).isEqualTo(Operation.READ_MODIFY_WRITE);
        assertThat(Operation.parse("READ_MODIFY_WRITE")).isEqualTo(Operation.READ_MODIFY_WRITE);
        assertThatThrownBy(() -> Operation.parse("scan")).hasMessageContaining("unknown operation 'scan'");
    }
}

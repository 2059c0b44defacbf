package io.dynamo.server.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.server.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionControllerTest {

    static final long MS = 1_000_000L;
    final ManualScheduler time = new ManualScheduler();
    final AdmissionController.Settings settings = new AdmissionController.Settings(Duration.ofSeconds(10),
            Duration.ofMillis(100), Duration.ofMillis(20), 50, 10, 1_000, Duration.ofSeconds(1));
    final AdmissionController controller = new AdmissionController(time.clock(), settings);

    /** Advances a second, recording {@code latencyMs} foreground latencies, and asks for one permit. */
    void second(long latencyMs, int requests) {
        for (int i = 0; i < requests; i++) {
            controller.recordForeground(latencyMs * MS);
        }
        time.runFor(Duration.ofSeconds(1));
        controller.tryAcquire("test");
    }

    @Test
    void aForegroundLatencySpikeCutsTheBackgroundRateToTheFloorAndItRecoversAfterwards() {
        assertThat(controller.rate()).isEqualTo(1_000);
        for (int s = 0; s < 3; s++) {
            second(5, 100);
        }
        assertThat(controller.rate()).as("quiet foreground: full rate").isEqualTo(1_000);
        for (int s = 0; s < 8; s++) {
            second(400, 100); // a spike: p99 400 ms against a 100 ms target
        }
        assertThat(controller.rate()).as("halved every second down to the floor").isEqualTo(10);
        assertThat(controller.decreases()).isGreaterThanOrEqualTo(7);
        for (int s = 0; s < 11; s++) {
            second(5, 100); // the spike leaves the 10 s window
        }
        for (int s = 0; s < 10; s++) {
            second(5, 100);
        }
        assertThat(controller.rate()).as("grown back by a tenth of the ceiling a second").isEqualTo(1_000);
    }

    @Test
    void tooManyRequestsInFlightAlsoCutTheRate() {
        controller.foregroundInFlight(51);
        second(5, 10);
        assertThat(controller.rate()).isEqualTo(500);
    }

    /** Asks {@code tries} times at once; returns how many permits were granted. */
    static int grants(AdmissionController c, int tries) {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            if (c.tryAcquire("x")) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void permitsFollowTheRateWithAtMostATenthOfASecondSaved() {
        AdmissionController slow = new AdmissionController(time.clock(), settings.withRates(50, 50));
        assertThat(grants(slow, 100)).as("a tenth of a second's worth at first").isEqualTo(5);
        time.runFor(Duration.ofSeconds(10));
        assertThat(grants(slow, 100)).as("ten idle seconds save only a tenth of a second's worth").isEqualTo(5);
        assertThat(slow.refused()).isEqualTo(190);
        time.runFor(Duration.ofSeconds(1));
        int granted = 0;
        for (int ms = 0; ms < 1000; ms += 10) {
            time.runFor(Duration.ofMillis(10));
            while (slow.tryAcquire("x")) {
                granted++;
            }
        }
        assertThat(granted).as("a second of steady asking gets the rate's worth, give or take the burst")
                .isBetween(50, 55);
    }

    @Test
    void p99IsOverTheWindowOnly() {
        controller.recordForeground(900 * MS);
        time.runFor(Duration.ofSeconds(11));
        for (int i = 0; i < 100; i++) {
            controller.recordForeground(i * MS);
        }
        assertThat(controller.p99(time.nowNanos())).isEqualTo(98 * MS);
    }

    @Test
    void queueWaitsOverTheirTargetCutTheRateEvenWhenForegroundLatencyIsFine() {
        for (int i = 0; i < 100; i++) {
            controller.recordQueueWait(50 * MS); // this node is the bottleneck: messages wait 50 ms
        }
        second(5, 100);
        assertThat(controller.rate()).isEqualTo(500);
        assertThat(controller.lowestRate()).isEqualTo(500);
        assertThat(controller.queueWaitP99(time.nowNanos())).isEqualTo(50 * MS);
        time.runFor(Duration.ofSeconds(11)); // the waits leave the window
        second(5, 100);
        assertThat(controller.rate()).isEqualTo(600);
        assertThat(controller.grantedByKind()).containsEntry("test", controller.granted());
    }

    @Test
    void chargedWorkPutsTheBucketInDebtUntilTheRateHasRepaidIt() {
        AdmissionController slow = new AdmissionController(time.clock(), settings.withRates(10, 10));
        assertThat(slow.tryAcquire("exchange")).isTrue();
        slow.charge("exchange", 39); // the exchange turned out to move 39 keys: 40 units in all
        assertThat(slow.tryAcquire("exchange")).as("39 in debt").isFalse();
        time.runFor(Duration.ofMillis(3_800));
        assertThat(slow.tryAcquire("exchange")).as("3.8 s at 10 a second do not repay 39").isFalse();
        time.runFor(Duration.ofMillis(400));
        assertThat(slow.tryAcquire("exchange")).isTrue();
        assertThat(slow.grantedByKind()).containsEntry("exchange", 41L);
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new AdmissionController.Settings(Duration.ofSeconds(1), Duration.ofMillis(1),
                Duration.ofMillis(1), 1, 0, 1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admission.floor");
        assertThatThrownBy(() -> new AdmissionController.Settings(Duration.ofSeconds(1), Duration.ofMillis(1),
                Duration.ofMillis(1), 1, 5, 1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admission.ceiling");
        assertThatThrownBy(() -> new AdmissionController.Settings(Duration.ofSeconds(1), Duration.ofMillis(1),
                Duration.ZERO, 1, 1, 1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admission.target_queue_wait");
        assertThatThrownBy(() -> new AdmissionController.Settings(Duration.ofSeconds(1), Duration.ofMillis(1),
                Duration.ofMillis(1), 1, 1, 1, Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admission.adjust_every");
        assertThatThrownBy(() -> new AdmissionController.Settings(Duration.ofSeconds(1), Duration.ofMillis(1),
                Duration.ofMillis(1), 0, 1, 1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admission.max_in_flight");
    }
}

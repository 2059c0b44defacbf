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
            Duration.ofMillis(100), 50, 10, 1_000, Duration.ofSeconds(1));
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

    @Test
    void permitsFollowTheRateWithAtMostOneSecondSaved() {
        AdmissionController slow = new AdmissionController(time.clock(),
                new AdmissionController.Settings(Duration.ofSeconds(10), Duration.ofMillis(100), 50, 5, 5,
                        Duration.ofSeconds(1)));
        int granted = 0;
        for (int i = 0; i < 100; i++) {
            if (slow.tryAcquire("x")) {
                granted++;
            }
        }
        assertThat(granted).as("the first second's worth").isEqualTo(5);
        time.runFor(Duration.ofSeconds(10));
        granted = 0;
        for (int i = 0; i < 100; i++) {
            if (slow.tryAcquire("x")) {
                granted++;
            }
        }
        assertThat(granted).as("ten idle seconds save only one second's worth").isEqualTo(5);
        assertThat(slow.refused()).isEqualTo(190);
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
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new AdmissionController.Settings(Duration.ofSeconds(1), Duration.ofMillis(1), 1, 0, 1,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("floor");
        assertThatThrownBy(() -> new AdmissionController.Settings(Duration.ofSeconds(1), Duration.ofMillis(1), 1, 5, 1,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ceiling");
    }
}

package io.dynamo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void oneThreadIsEvenlySpaced() {
        Schedule s = Schedule.of(1_000, 1000.0, 1, 0); // one per millisecond
        assertThat(s.intendedStart(0)).isEqualTo(1_000);
        assertThat(s.intendedStart(1)).isEqualTo(1_001_000);
        assertThat(s.intendedStart(10)).isEqualTo(10_001_000);
        assertThat(s.intervalNanos()).isEqualTo(1_000_000.0);
    }

    @Test
    void threadsInterleaveIntoTheGlobalTimetable() {
        int threads = 4;
        double rate = 2000; // 500 µs apart globally, 2 ms apart per thread
        List<Long> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Schedule s = Schedule.of(0, rate, threads, t);
            for (int k = 0; k < 100; k++) {
                all.add(s.intendedStart(k));
            }
        }
        all.sort(null);
        for (int j = 0; j < all.size(); j++) {
            assertThat(all.get(j)).isEqualTo(j * 500_000L);
        }
        assertThat(Schedule.of(0, rate, threads, 3).intendedStart(0)).isEqualTo(1_500_000L);
    }

    @Test
    void timesDoNotDriftOverLongRuns() {
        Schedule s = Schedule.of(0, 3.0, 1, 0); // 333,333,333.3 ns apart
        long k = 3 * 86_400L; // one day of operations
        assertThat(s.intendedStart(k)).isEqualTo(86_400_000_000_000L);
    }

    @Test
    void countBeforeCountsTheIntendedStartsBeforeADeadline() {
        Schedule s = Schedule.of(100, 1000.0, 2, 1); // 100 + 1 ms + k * 2 ms
        assertThat(s.countBefore(100)).isZero();
        assertThat(s.countBefore(100 + 1_000_000)).isZero();
        assertThat(s.countBefore(100 + 1_000_001)).isEqualTo(1);
        assertThat(s.countBefore(100 + 3_000_000)).isEqualTo(1);
        assertThat(s.countBefore(100 + 3_000_001)).isEqualTo(2);
        assertThat(s.countBefore(100 + 1_000_000_000L)).isEqualTo(500);
        for (long deadline = 0; deadline < 20_000_000; deadline += 77_777) {
            long n = s.countBefore(deadline);
            if (n > 0) {
                assertThat(s.intendedStart(n - 1)).isLessThan(deadline);
            }
            assertThat(s.intendedStart(n)).isGreaterThanOrEqualTo(deadline);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Schedule.of(0, 0, 1, 0)).hasMessageContaining("rate must be");
        assertThatThrownBy(() -> Schedule.of(0, 10, 2, 2)).hasMessageContaining("thread 2 of 2");
        assertThatThrownBy(() -> Schedule.of(0, 10, 1, 0).intendedStart(-1)).hasMessageContaining("k must be");
    }
}

package io.dynamo.net.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-second traffic samples behind the dashboard's charts, driven with explicit clocks. */
class TrafficHistoryTest {

    private static final long T0 = 1_763_900_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void eachSampleCoversItsOwnSecond() {
        TrafficHistory h = new TrafficHistory();
        h.sample(T0, 0, 0);
        for (int i = 1; i <= 100; i++) {
            h.request("get", "ok", i * 100_000L); // 0.1 ms .. 10 ms
        }
        h.request("get", "not_found", 50_000L);
        h.request("put", "ok", 2_000_000L);
        h.sample(T0 + 1000, SECOND, 0);
        h.sample(T0 + 2000, 2 * SECOND, 0);

        List<TrafficHistory.Sample> all = h.since(0);
        assertThat(all).hasSize(3);
        TrafficHistory.Sample busy = all.get(1);
        assertThat(busy.epochMillis()).isEqualTo(T0 + 1000);
        assertThat(busy.ops().keySet()).containsExactly("get", "put", "delete");
        assertThat(busy.ops().get("get").rate()).isEqualTo(101.0);
        assertThat(busy.ops().get("get").p50Millis()).isCloseTo(5.0, within(0.1));
        assertThat(busy.ops().get("get").p99Millis()).isCloseTo(9.9, within(0.1));
        assertThat(busy.ops().get("get").p999Millis()).isCloseTo(10.0, within(0.1));
        assertThat(busy.ops().get("put").rate()).isEqualTo(1.0);
        assertThat(busy.ops().get("delete").rate()).isZero();
        assertThat(busy.ops().get("delete").p50Millis()).isNaN();

        TrafficHistory.Sample quiet = all.get(2);
        assertThat(quiet.ops().get("get").rate()).as("the next second starts from nothing").isZero();
        assertThat(quiet.ops().get("get").p99Millis()).isNaN();
    }

    @Test
    void ratesAreScaledToTheIntervalThatReallyPassed() {
        TrafficHistory h = new TrafficHistory();
        h.sample(T0, 0, 0);
        for (int i = 0; i < 30; i++) {
            h.request("delete", "ok", 1_000_000L);
        }
        h.sample(T0 + 1000, 3 * SECOND / 2, 0); // the tick came 1.5 s after the last
        assertThat(h.since(T0).get(0).ops().get("delete").rate()).isEqualTo(20.0);
    }

    @Test
    void countsOverloadErrorsSiblingsAndAdmissionRefusalsPerSecond() {
        TrafficHistory h = new TrafficHistory();
        h.sample(T0, 0, 40); // admission control had refused 40 before the history started
        h.request("put", "overloaded", 10_000L);
        h.request("put", "overloaded", 10_000L);
        h.request("get", "insufficient_replicas", 10_000L);
        h.request("get", "timeout", 10_000L);
        h.siblings(1);
        h.siblings(3);
        h.siblings(2);
        h.sample(T0 + 1000, SECOND, 45);
        h.sample(T0 + 2000, 2 * SECOND, 45);

        TrafficHistory.Sample s = h.since(T0).get(0);
        assertThat(s.overloaded()).isEqualTo(2);
        assertThat(s.errors()).isEqualTo(2);
        assertThat(s.ops().get("get").rate()).as("failed requests are not in the latency figures").isZero();
        assertThat(s.getsWithSiblings()).isEqualTo(2);
        assertThat(s.maxSiblings()).isEqualTo(3);
        assertThat(s.admissionRefused()).isEqualTo(5);
        TrafficHistory.Sample next = h.since(T0 + 1000).get(0);
        assertThat(List.of(next.overloaded(), next.errors(), next.getsWithSiblings(), next.maxSiblings(),
                next.admissionRefused())).containsOnly(0L);
    }

    @Test
    void keepsFiveMinutesInOrderAndOneSampleASecond() {
        TrafficHistory h = new TrafficHistory();
        for (int i = 0; i < TrafficHistory.CAPACITY + 20; i++) {
            h.sample(T0 + i * 1000L + 7, i * SECOND, 0); // 7 ms past each second: rounded down
        }
        List<TrafficHistory.Sample> all = h.since(0);
        assertThat(all).hasSize(TrafficHistory.CAPACITY);
        assertThat(all.get(0).epochMillis()).isEqualTo(T0 + 20_000);
        assertThat(all.get(all.size() - 1).epochMillis()).isEqualTo(T0 + (TrafficHistory.CAPACITY + 19) * 1000L);
        assertThat(h.since(T0 + (TrafficHistory.CAPACITY + 17) * 1000L)).hasSize(2);

        // A late tick in the same wall-clock second replaces the sample; a clock stepped back
        // drops the samples it would put out of order.
        long last = all.get(all.size() - 1).epochMillis();
        h.sample(last + 900, (TrafficHistory.CAPACITY + 20) * SECOND, 0);
        assertThat(h.since(0)).hasSize(TrafficHistory.CAPACITY);
        h.sample(last - 5000, (TrafficHistory.CAPACITY + 21) * SECOND, 0);
        List<TrafficHistory.Sample> after = h.since(0);
        assertThat(after.get(after.size() - 1).epochMillis()).isEqualTo(last - 5000);
        for (int i = 1; i < after.size(); i++) {
            assertThat(after.get(i).epochMillis()).isGreaterThan(after.get(i - 1).epochMillis());
        }
    }
}

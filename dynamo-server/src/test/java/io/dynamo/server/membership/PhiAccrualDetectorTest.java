package io.dynamo.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.ring.NodeId;
import org.junit.jupiter.api.Test;

class PhiAccrualDetectorTest {

    static final long SECOND = 1_000_000_000L;
    static final NodeId PEER = NodeId.of("p");

    @Test
    void phiGrowsWithSilenceInUnitsOfTheMeanInterval() {
        PhiAccrualDetector d = new PhiAccrualDetector(10, 8, SECOND);
        for (int i = 0; i <= 10; i++) {
            d.heartbeat(PEER, i * SECOND);
        }
        assertThat(d.phi(PEER, 10 * SECOND)).isZero();
        // Exponential model: phi = elapsed / mean * log10(e); mean 1 s.
        assertThat(d.phi(PEER, 11 * SECOND)).isCloseTo(Math.log10(Math.E), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.isSuspected(PEER, 20 * SECOND)).as("phi 4.3 after 10 s").isFalse();
        assertThat(d.isSuspected(PEER, 29 * SECOND)).as("phi 8.2 after 19 s").isTrue();
        d.heartbeat(PEER, 30 * SECOND);
        assertThat(d.isSuspected(PEER, 30 * SECOND)).as("a heartbeat clears it").isFalse();
    }

    @Test
    void aPeerThatBeatsFasterIsSuspectedSooner() {
        PhiAccrualDetector slow = new PhiAccrualDetector(10, 8, SECOND);
        PhiAccrualDetector fast = new PhiAccrualDetector(10, 8, SECOND);
        for (int i = 0; i <= 10; i++) {
            slow.heartbeat(PEER, i * 2 * SECOND);
            fast.heartbeat(PEER, i * SECOND / 2);
        }
        assertThat(fast.phi(PEER, 5 * SECOND + 3 * SECOND)).isGreaterThan(slow.phi(PEER, 20 * SECOND + 3 * SECOND));
    }

    @Test
    void unknownPeersAreNotSuspectedAndForgottenOnesStartOver() {
        PhiAccrualDetector d = new PhiAccrualDetector(10, 8, SECOND);
        assertThat(d.phi(PEER, 100 * SECOND)).isZero();
        d.heartbeat(PEER, 0);
        assertThat(d.isSuspected(PEER, 100 * SECOND)).isTrue();
        d.forget(PEER);
        assertThat(d.isSuspected(PEER, 100 * SECOND)).isFalse();
        assertThatThrownBy(() -> new PhiAccrualDetector(0, 8, SECOND)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samplesCountObservedIntervalsOnlyUpToTheWindow() {
        PhiAccrualDetector d = new PhiAccrualDetector(10, 8, SECOND);
        assertThat(d.samples(PEER)).as("never heard from").isZero();
        d.heartbeat(PEER, 0);
        assertThat(d.samples(PEER)).as("one heartbeat is no interval; the assumed one does not count").isZero();
        d.heartbeat(PEER, SECOND);
        d.heartbeat(PEER, 2 * SECOND);
        assertThat(d.samples(PEER)).isEqualTo(2);
        d.heartbeat(PEER, 100 * SECOND);
        assertThat(d.samples(PEER)).as("an outage-long silence is not a sample").isEqualTo(2);
        for (int i = 1; i <= 20; i++) {
            d.heartbeat(PEER, (100 + i) * SECOND);
        }
        assertThat(d.samples(PEER)).isEqualTo(10);
        d.forget(PEER);
        assertThat(d.samples(PEER)).isZero();
    }
}

package io.dynamo.server.membership;

import static io.dynamo.server.membership.PeerState.LATE;
import static io.dynamo.server.membership.PeerState.MIN_SAMPLES;
import static io.dynamo.server.membership.PeerState.OK;
import static io.dynamo.server.membership.PeerState.UNKNOWN;
import static io.dynamo.server.membership.PeerState.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerStateTest {

    @Test
    void routedAroundIsUnreachableWhateverTheHeartbeatsSay() {
        assertThat(PeerState.of(false, 0, 0, 8)).isEqualTo(UNREACHABLE);
        assertThat(PeerState.of(false, 100, 0.1, 8)).isEqualTo(UNREACHABLE);
        assertThat(PeerState.of(false)).isEqualTo(UNREACHABLE);
    }

    @Test
    void tooFewHeartbeatsSeenIsUnknownNeverOk() {
        for (int samples = 0; samples < MIN_SAMPLES; samples++) {
            assertThat(PeerState.of(true, samples, 0, 8)).as("%d samples, phi 0", samples).isEqualTo(UNKNOWN);
            assertThat(PeerState.of(true, samples, 5, 8)).as("%d samples, phi 5", samples).isEqualTo(UNKNOWN);
        }
        assertThat(PeerState.of(true, MIN_SAMPLES, 0, 8)).isEqualTo(OK);
    }

    @Test
    void overdueHeartbeatsAreLateFromHalfTheThreshold() {
        assertThat(PeerState.of(true, 50, 3.99, 8)).isEqualTo(OK);
        assertThat(PeerState.of(true, 50, 4, 8)).isEqualTo(LATE);
        assertThat(PeerState.of(true, 50, 7.9, 8)).isEqualTo(LATE);
        assertThat(PeerState.of(true)).as("no heartbeats on a fixed ring: the routing view alone").isEqualTo(OK);
    }
}

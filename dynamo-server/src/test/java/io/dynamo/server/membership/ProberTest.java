package io.dynamo.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.NodeId;
import io.dynamo.server.FakeTransport;
import io.dynamo.server.ManualScheduler;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Requests;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProberTest {

    private static final NodeId SELF = NodeId.of("self");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");
    private static final NodeId D = NodeId.of("d");
    private static final Duration INTERVAL = Duration.ofMillis(500);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeTransport transport = new FakeTransport(SELF);
    private final FailureDetector detector = new FailureDetector(SELF, scheduler.clock());
    private final Requests requests = new Requests(transport, scheduler, detector, 7);
    private final Prober prober = new Prober(detector, scheduler, requests, INTERVAL);

    private List<NodeId> pingedOneInterval() {
        transport.drain();
        scheduler.runFor(INTERVAL);
        return transport.drain().stream()
                .filter(s -> s.message() instanceof Message.Ping)
                .map(FakeTransport.Sent::to)
                .toList();
    }

    @Test
    void nothingIsPingedBeforeStartOrWhileEveryoneIsReachable() {
        scheduler.runFor(INTERVAL.multipliedBy(3));
        assertThat(transport.sent()).isEmpty();

        prober.start();
        scheduler.runFor(INTERVAL.multipliedBy(3));
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void pingsEveryUnreachablePeerOncePerInterval() {
        detector.onTimeout(B);
        detector.onTimeout(C);
        prober.start();

        scheduler.runFor(INTERVAL.minusNanos(1));
        assertThat(transport.sent()).as("the first probe waits one interval").isEmpty();
        scheduler.runFor(Duration.ofNanos(1));
        assertThat(transport.drain()).extracting(FakeTransport.Sent::to).containsExactlyInAnyOrder(B, C);

        assertThat(pingedOneInterval()).containsExactlyInAnyOrder(B, C);
        assertThat(pingedOneInterval()).containsExactlyInAnyOrder(B, C);
    }

    @Test
    void aPeerThatAnsweredIsNoLongerPinged() {
        detector.onTimeout(B);
        detector.onTimeout(C);
        prober.start();
        scheduler.runFor(INTERVAL);
        List<FakeTransport.Sent> pings = transport.drain();

        for (FakeTransport.Sent ping : pings) {
            if (ping.to().equals(B)) {
                assertThat(requests.onReply(B, new Message.Pong(ping.message().requestId()))).isTrue();
            }
        }

        assertThat(detector.isReachable(B)).isTrue();
        assertThat(detector.isReachable(C)).isFalse();
        assertThat(pingedOneInterval()).containsExactly(C);
        assertThat(pingedOneInterval()).containsExactly(C);
    }

    @Test
    void anUnansweredPingKeepsThePeerUnreachable() {
        detector.onTimeout(B);
        prober.start();

        for (int i = 0; i < 4; i++) {
            assertThat(pingedOneInterval()).containsExactly(B);
        }
        assertThat(detector.isReachable(B)).isFalse();
    }

    @Test
    void aPeerMarkedUnreachableLaterIsPingedFromTheNextInterval() {
        prober.start();
        assertThat(pingedOneInterval()).isEmpty();

        detector.onTimeout(D);

        assertThat(pingedOneInterval()).containsExactly(D);
    }

    @Test
    void startingTwiceDoesNotDoubleThePings() {
        detector.onTimeout(B);
        prober.start();
        prober.start();

        assertThat(pingedOneInterval()).containsExactly(B);
        assertThat(pingedOneInterval()).containsExactly(B);
    }

    @Test
    void aPongFromTheWrongPeerDoesNotCount() {
        detector.onTimeout(B);
        prober.start();
        scheduler.runFor(INTERVAL);
        long pingId = transport.only().message().requestId();

        assertThat(requests.onReply(C, new Message.Pong(pingId))).isFalse();

        assertThat(detector.isReachable(B)).isFalse();
        assertThat(pingedOneInterval()).containsExactly(B);
    }
}

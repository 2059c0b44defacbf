package io.dynamo.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.ring.NodeId;
import io.dynamo.server.FakeTransport;
import io.dynamo.server.ManualScheduler;
import io.dynamo.server.membership.FailureDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestsTest {

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeTransport transport = new FakeTransport(A);
    private final FailureDetector detector = new FailureDetector(A, scheduler.clock());
    private final Requests requests = new Requests(transport, scheduler, detector, 1);

    /** Records what a request's sender hears. */
    private static final class Recorder implements Requests.Callback {
        final List<Message> replies = new ArrayList<>();
        final List<String> refusals = new ArrayList<>();
        int timeouts;

        @Override
        public void onReply(Message reply) {
            replies.add(reply);
        }

        @Override
        public void onTimeout() {
            timeouts++;
        }

        @Override
        public void onRefused(Transport.Sent why, String reason) {
            refusals.add(why + ": " + reason);
        }
    }

    @Test
    void aRefusedRequestIsToldSoAfterSendReturnsAndNeverTimesOut() {
        transport.refuseWith(Transport.Sent.OVERLOADED);
        Recorder callback = new Recorder();
        requests.send(B, Message.Ping::new, TIMEOUT, callback);
        assertThat(callback.refusals).as("not from inside send: the sender is not re-entered").isEmpty();
        assertThat(requests.pending()).isZero();

        scheduler.runDue();
        assertThat(callback.refusals).containsExactly("OVERLOADED: overloaded: the outbound queue to b is full");
        scheduler.runFor(TIMEOUT.multipliedBy(3));
        assertThat(callback.timeouts).isZero();
        assertThat(detector.isReachable(B)).as("an overloaded link is not a dead node").isTrue();
    }

    @Test
    void aLostConnectionFailsEveryRequestWaitingForThatPeerAtOnceAndSaysWhetherItMayHaveArrived() {
        Recorder toB1 = new Recorder();
        Recorder toB2 = new Recorder();
        Recorder toC = new Recorder();
        requests.send(B, Message.Ping::new, TIMEOUT, toB1);
        requests.send(B, Message.Ping::new, TIMEOUT, toB2);
        requests.send(C, Message.Ping::new, TIMEOUT, toC);

        requests.connectionLost(B, "the connection to b closed", true);
        assertThat(toB1.refusals).containsExactly("LOST: the connection to b closed");
        assertThat(toB2.refusals).containsExactly("LOST: the connection to b closed");
        assertThat(toC.refusals).isEmpty();
        assertThat(requests.pending()).isEqualTo(1);
        assertThat(detector.isReachable(B)).isFalse();

        Recorder again = new Recorder();
        requests.send(B, Message.Ping::new, TIMEOUT, again);
        requests.connectionLost(B, "cannot connect to b: connection refused", false);
        assertThat(again.refusals).containsExactly("UNREACHABLE: cannot connect to b: connection refused");
        scheduler.runFor(TIMEOUT.multipliedBy(3));
        assertThat(toB1.timeouts + toB2.timeouts + again.timeouts).as("failed once, not again at the timeout").isZero();
        assertThat(toC.timeouts).isEqualTo(1);
    }

    @Test
    void awaitWaitsForASecondReplyUnderTheSameId() {
        Recorder first = new Recorder();
        long id = requests.send(B, Message.Ping::new, TIMEOUT, first);
        assertThatThrownBy(() -> requests.await(B, id, TIMEOUT, new Recorder()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(requests.onReply(B, new Message.CoordinatePutAccepted(id))).isTrue();
        assertThat(first.replies).hasSize(1);

        Recorder second = new Recorder();
        requests.await(B, id, TIMEOUT, second);
        assertThat(requests.onReply(C, new Message.Pong(id))).as("only from the node asked").isFalse();
        assertThat(requests.onReply(B, new Message.Pong(id))).isTrue();
        assertThat(second.replies).singleElement().isInstanceOf(Message.Pong.class);
        assertThat(requests.pending()).isZero();
    }

    @Test
    void anUnreachablePeerIsRefusedAtOnceAndRoutedAround() {
        transport.refuseWith(Transport.Sent.UNREACHABLE);
        Recorder callback = new Recorder();
        requests.send(B, Message.Ping::new, TIMEOUT, callback);
        scheduler.runDue();
        assertThat(callback.refusals).singleElement().asString().startsWith("UNREACHABLE: not sent: b");
        assertThat(detector.isReachable(B)).isFalse();
    }

    @Test
    void byDefaultARefusalIsHeardAsATimeout() {
        transport.refuseWith(Transport.Sent.OVERLOADED);
        int[] timeouts = new int[1];
        requests.send(B, Message.Ping::new, TIMEOUT, new Requests.Callback() {
            @Override
            public void onReply(Message reply) {
            }

            @Override
            public void onTimeout() {
                timeouts[0]++;
            }
        });
        scheduler.runFor(TIMEOUT.multipliedBy(3));
        assertThat(timeouts[0]).isEqualTo(1);
    }

    @Test
    void sendsTheRequestBuiltFromTheReturnedId() {
        long id = requests.send(B, Message.Ping::new, TIMEOUT, new Recorder());

        assertThat(transport.only().to()).isEqualTo(B);
        assertThat(transport.only().message()).isEqualTo(new Message.Ping(id));
        assertThat(requests.pending()).isEqualTo(1);
    }

    @Test
    void aReplyReachesItsCallbackOnceAndADuplicateIsIgnored() {
        Recorder callback = new Recorder();
        long id = requests.send(B, Message.Ping::new, TIMEOUT, callback);

        assertThat(requests.onReply(B, new Message.Pong(id))).isTrue();
        assertThat(requests.onReply(B, new Message.Pong(id))).isFalse();
        scheduler.runFor(TIMEOUT.multipliedBy(3));

        assertThat(callback.replies).containsExactly(new Message.Pong(id));
        assertThat(callback.timeouts).isZero();
        assertThat(requests.pending()).isZero();
        assertThat(scheduler.pendingTasks()).as("the timer is cancelled").isZero();
    }

    @Test
    void aReplyFromAnotherNodeIsIgnoredAndLeavesTheRequestWaiting() {
        Recorder callback = new Recorder();
        long id = requests.send(B, Message.Ping::new, TIMEOUT, callback);

        assertThat(requests.onReply(C, new Message.Pong(id))).isFalse();
        assertThat(callback.replies).isEmpty();
        assertThat(requests.pending()).isEqualTo(1);

        assertThat(requests.onReply(B, new Message.Pong(id))).isTrue();
        assertThat(callback.replies).containsExactly(new Message.Pong(id));
    }

    @Test
    void aReplyWithAnUnknownIdIsIgnored() {
        Recorder callback = new Recorder();
        long id = requests.send(B, Message.Ping::new, TIMEOUT, callback);

        assertThat(requests.onReply(B, new Message.Pong(id + 1))).isFalse();
        assertThat(callback.replies).isEmpty();
        assertThat(requests.pending()).isEqualTo(1);
    }

    @Test
    void anObservingRequestThatTimesOutOrIsRefusedDoesNotSteerRouting() {
        Recorder late = new Recorder();
        requests.sendObserving(B, rid -> new Message.StatusRequest(rid, 0), TIMEOUT, late);
        scheduler.runFor(TIMEOUT.multipliedBy(2));
        assertThat(late.timeouts).isEqualTo(1);
        assertThat(detector.isReachable(B)).as("a slow status answer is not a dead node").isTrue();

        transport.refuseWith(Transport.Sent.UNREACHABLE);
        Recorder refused = new Recorder();
        requests.sendObserving(C, rid -> new Message.StatusRequest(rid, 0), TIMEOUT, refused);
        scheduler.runDue();
        assertThat(refused.refusals).hasSize(1);
        assertThat(detector.isReachable(C)).isTrue();

        // A reply still proves the peer answers.
        detector.onTimeout(B);
        Recorder answered = new Recorder();
        transport.refuseWith(Transport.Sent.QUEUED);
        long id = requests.sendObserving(B, rid -> new Message.StatusRequest(rid, 0), TIMEOUT, answered);
        assertThat(requests.onReply(B, new Message.StatusReply(id, new byte[] {'{', '}'}))).isTrue();
        assertThat(answered.replies).hasSize(1);
        assertThat(detector.isReachable(B)).isTrue();
    }

    @Test
    void aTimeoutCallsBackOnceMarksTheTargetUnreachableAndALateReplyIsIgnored() {
        Recorder callback = new Recorder();
        long id = requests.send(B, Message.Ping::new, TIMEOUT, callback);

        scheduler.runFor(TIMEOUT.minusNanos(1));
        assertThat(callback.timeouts).isZero();
        assertThat(detector.isReachable(B)).isTrue();

        scheduler.runFor(Duration.ofNanos(1));
        assertThat(callback.timeouts).isEqualTo(1);
        assertThat(detector.isReachable(B)).isFalse();
        assertThat(detector.unreachable()).containsExactly(B);
        assertThat(requests.pending()).isZero();

        assertThat(requests.onReply(B, new Message.Pong(id))).isFalse();
        scheduler.runFor(TIMEOUT.multipliedBy(5));
        assertThat(callback.replies).isEmpty();
        assertThat(callback.timeouts).isEqualTo(1);
        assertThat(detector.isReachable(B)).as("a late reply is no evidence").isFalse();
    }

    @Test
    void aReplyMarksTheTargetReachable() {
        detector.onTimeout(B);
        Recorder callback = new Recorder();
        long id = requests.send(B, Message.Ping::new, TIMEOUT, callback);
        assertThat(detector.isReachable(B)).isFalse();

        requests.onReply(B, new Message.Pong(id));

        assertThat(detector.isReachable(B)).isTrue();
        assertThat(detector.unreachable()).isEmpty();
    }

    @Test
    void aReplyFromTheWrongNodeDoesNotMarkEitherReachable() {
        detector.onTimeout(B);
        detector.onTimeout(C);
        long id = requests.send(B, Message.Ping::new, TIMEOUT, new Recorder());

        requests.onReply(C, new Message.Pong(id));

        assertThat(detector.unreachable()).containsExactly(B, C);
    }

    @Test
    void eachRequestHasItsOwnTimerAndCallback() {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        long id1 = requests.send(B, Message.Ping::new, TIMEOUT, first);
        long id2 = requests.send(B, Message.Ping::new, TIMEOUT.multipliedBy(2), second);
        assertThat(id1).isNotEqualTo(id2);

        scheduler.runFor(TIMEOUT);
        assertThat(first.timeouts).isEqualTo(1);
        assertThat(requests.onReply(B, new Message.Pong(id2))).isTrue();

        assertThat(second.replies).containsExactly(new Message.Pong(id2));
        assertThat(second.timeouts).isZero();
        assertThat(detector.isReachable(B)).isTrue();
    }

    @Test
    void idsDifferAcrossNoncesSoAnEarlierIncarnationsReplyMatchesNothing() {
        Requests earlier = new Requests(new FakeTransport(A), scheduler, detector, 1);
        Requests later = new Requests(transport, scheduler, detector, 2);
        Set<Long> earlierIds = new HashSet<>();
        Set<Long> laterIds = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            earlierIds.add(earlier.nextId());
            laterIds.add(later.nextId());
        }
        assertThat(earlierIds).hasSize(1000).doesNotContainAnyElementsOf(laterIds);
        assertThat(laterIds).hasSize(1000);

        Recorder callback = new Recorder();
        long earlierId = new Requests(new FakeTransport(A), scheduler, detector, 1).nextId();
        long laterId = later.send(B, Message.Ping::new, TIMEOUT, callback);
        assertThat(later.onReply(B, new Message.Pong(earlierId))).isFalse();
        assertThat(later.onReply(B, new Message.Pong(laterId))).isTrue();
        assertThat(callback.replies).hasSize(1);
    }

    @Test
    void theLargestNonceGivesPositiveIds() {
        Requests r = new Requests(transport, scheduler, detector, Requests.MAX_NONCE);

        long id = r.nextId();

        assertThat(id).isPositive();
        assertThat(r.nextId()).isPositive().isNotEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE, Requests.MAX_NONCE + 1, Long.MAX_VALUE})
    void aNonceOutOfRangeIsRejected(long nonce) {
        assertThatThrownBy(() -> new Requests(transport, scheduler, detector, nonce))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nonce out of range: " + nonce);
    }
}

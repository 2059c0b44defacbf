package io.dynamo.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.ring.NodeId;
import io.dynamo.server.ManualScheduler;
import org.junit.jupiter.api.Test;

class FailureDetectorTest {

    private static final NodeId SELF = NodeId.of("self");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FailureDetector detector = new FailureDetector(SELF, scheduler.clock());

    @Test
    void everyoneStartsReachable() {
        assertThat(detector.isReachable(SELF)).isTrue();
        assertThat(detector.isReachable(B)).isTrue();
        assertThat(detector.unreachable()).isEmpty();
    }

    @Test
    void selfIsAlwaysReachable() {
        detector.onTimeout(SELF);
        detector.onTimeout(SELF);

        assertThat(detector.isReachable(SELF)).isTrue();
        assertThat(detector.unreachable()).isEmpty();
    }

    @Test
    void aTimeoutMarksAPeerUnreachableAndAReplyMarksItReachable() {
        detector.onTimeout(B);
        assertThat(detector.isReachable(B)).isFalse();
        assertThat(detector.isReachable(C)).isTrue();
        assertThat(detector.unreachable()).containsExactly(B);

        detector.onReply(B);
        assertThat(detector.isReachable(B)).isTrue();
        assertThat(detector.unreachable()).isEmpty();
    }

    @Test
    void repeatedTimeoutsNeedOnlyOneReply() {
        detector.onTimeout(B);
        detector.onTimeout(B);
        detector.onTimeout(C);
        assertThat(detector.unreachable()).containsExactly(B, C);

        detector.onReply(B);

        assertThat(detector.unreachable()).containsExactly(C);
    }

    @Test
    void aReplyFromAReachablePeerChangesNothing() {
        detector.onReply(B);
        detector.onReply(SELF);

        assertThat(detector.isReachable(B)).isTrue();
        assertThat(detector.unreachable()).isEmpty();
    }

    @Test
    void theUnreachableSetIsAReadOnlyView() {
        detector.onTimeout(B);

        assertThatThrownBy(() -> detector.unreachable().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> detector.unreachable().add(C)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(detector.unreachable()).containsExactly(B);
    }
}

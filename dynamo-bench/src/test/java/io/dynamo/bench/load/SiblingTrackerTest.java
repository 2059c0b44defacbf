package io.dynamo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.client.Context;
import io.dynamo.client.Sibling;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.VersionVector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sibling reads are merged only by a write whose context covers them; writers are traced by value tags. */
class SiblingTrackerTest {

    private static final ActorId A = new ActorId("n1", 1);
    private static final ActorId B = new ActorId("n2", 1);

    private static Context context(long a, long b) {
        return Context.of(ContextCodec.encode(VersionVector.of(Map.of(A, a, B, b))));
    }

    private static Sibling by(int writer) {
        byte[] value = new byte[8];
        SiblingTracker.tag(value, writer);
        return new Sibling(value, "application/octet-stream", 0);
    }

    @Test
    void aWriteCoveringTheReadMergesItAnOlderOneDoesNot() {
        SiblingTracker t = new SiblingTracker(8);
        t.sawSiblings(7, context(2, 1), List.of(by(1), by(2)));
        t.wrote(7, context(1, 1)); // an older context: the read's siblings are not all superseded
        t.wrote(8, context(5, 5)); // another key
        assertThat(t.result()).isEqualTo(new SiblingReads(1, 1, 1, 0, 1));
        t.wrote(7, context(2, 1)); // the read's own context: supersedes what it saw
        assertThat(t.result()).isEqualTo(new SiblingReads(1, 1, 1, 1, 0));
        t.wrote(7, context(3, 3)); // nothing open any more: counted once
        assertThat(t.result().merged()).isEqualTo(1);
    }

    @Test
    void readsOfOneKeyAreFollowedEachAndSiblingsOfOneWriterAreNotCountedAsDifferentThreads() {
        SiblingTracker t = new SiblingTracker(8);
        t.sawSiblings(3, context(1, 1), List.of(by(4), by(4)));
        t.sawSiblings(3, context(2, 2), List.of(by(4), by(0)));
        t.wrote(3, context(1, 2)); // covers the first read only
        assertThat(t.result()).isEqualTo(new SiblingReads(2, 1, 1, 1, 1));
    }

    @Test
    void valuesTooShortForATagLeaveTheWritersUnknown() {
        SiblingTracker t = new SiblingTracker(1);
        byte[] one = {42};
        SiblingTracker.tag(one, 300);
        assertThat(one).containsExactly(42);
        t.sawSiblings(1, Context.EMPTY, List.of(new Sibling(one, "x", 0), new Sibling(new byte[] {1}, "x", 0)));
        assertThat(t.result().byDifferentThreads()).isEqualTo(-1);
        byte[] two = new byte[2];
        SiblingTracker.tag(two, 300);
        assertThat(SiblingTracker.writerOf(two)).isEqualTo(300);
    }
}

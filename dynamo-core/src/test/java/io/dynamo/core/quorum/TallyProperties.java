package io.dynamo.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A tally's answer after all N replies depends on the replies, not on the order they came in. */
class TallyProperties {

    private static final String TOMBSTONE = "<deleted>";
    private static final List<Siblings<String>> STATES = states();

    private static List<Siblings<String>> states() {
        ActorId a = new ActorId("a", 1);
        ActorId b = new ActorId("b", 1);
        ActorId c = new ActorId("c", 1); // one actor per writer here, so no dot names two values
        Siblings<String> v1 = Siblings.<String>empty().update(VersionVector.empty(), "v1", a);
        Siblings<String> v2 = v1.update(v1.context(), "v2", a);
        Siblings<String> onB = Siblings.<String>empty().update(VersionVector.empty(), "b1", b);
        Siblings<String> deleted = v2.update(v2.context(), TOMBSTONE, c);
        return List.of(v1, v2, onB, deleted, v1.sync(onB), deleted.sync(onB));
    }

    record ReadCase(int n, int r, boolean notFoundOk, List<ReadReply<String>> replies,
                    List<Integer> order, List<Integer> otherOrder) {
    }

    record WriteCase(int n, int w, int dw, List<WriteReply<String>> replies,
                     List<Integer> order, List<Integer> otherOrder) {
    }

    private static Arbitrary<List<Integer>> permutation(int n) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            indexes.add(i);
        }
        return Arbitraries.shuffle(indexes);
    }

    @Provide
    Arbitrary<ReadCase> reads() {
        Arbitrary<ReadReply<String>> reply = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(STATES).map(ReadReply::found)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(ReadReply.<String>notFound())),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("timeout", "disk").map(ReadReply::<String>failed)));
        return Arbitraries.integers().between(1, 5).flatMap(n -> Combinators.combine(
                Arbitraries.integers().between(1, n), Arbitraries.of(true, false), reply.list().ofSize(n),
                permutation(n), permutation(n)).as((r, ok, replies, o1, o2) -> new ReadCase(n, r, ok, replies, o1, o2)));
    }

    @Provide
    Arbitrary<WriteCase> writes() {
        Arbitrary<WriteReply<String>> reply = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(true, false).map(WriteReply::<String>ack)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("x", "y").map(owner -> WriteReply.fallbackAck(true, owner))),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("timeout", "disk").map(WriteReply::<String>failed)));
        return Arbitraries.integers().between(1, 5).flatMap(n -> Arbitraries.integers().between(1, n).flatMap(w ->
                Combinators.combine(Arbitraries.integers().between(0, w), reply.list().ofSize(n),
                        permutation(n), permutation(n)).as((dw, replies, o1, o2) -> new WriteCase(n, w, dw, replies, o1, o2))));
    }

    private static ReadTally<String, String> read(ReadCase c, List<Integer> order) {
        ReadTally<String, String> tally = ReadTally.create(c.n(), c.r(), TOMBSTONE::equals, new ReadTally.Options(c.notFoundOk()));
        boolean done = false;
        for (int i : order) {
            tally.add("r" + i, c.replies().get(i));
            assertThat(tally.isDone() || !done).as("once done, stays done").isTrue();
            done = tally.isDone();
        }
        return tally;
    }

    private static WriteTally<String> write(WriteCase c, List<Integer> order) {
        WriteTally<String> tally = WriteTally.create(c.n(), c.w(), c.dw());
        boolean done = false;
        for (int i : order) {
            tally.add("r" + i, c.replies().get(i));
            assertThat(tally.isDone() || !done).as("once done, stays done").isTrue();
            done = tally.isDone();
        }
        return tally;
    }

    @Property
    void readOutcomeAfterAllRepliesDoesNotDependOnOrder(@ForAll("reads") ReadCase c) {
        ReadTally<String, String> one = read(c, c.order());
        ReadTally<String, String> two = read(c, c.otherOrder());
        assertThat(one.isDone()).isTrue();
        assertThat(one.allReplied()).isTrue();
        assertThat(two.outcome()).isEqualTo(one.outcome());
        assertThat(two.repairTargets()).containsExactlyInAnyOrderElementsOf(one.repairTargets());
        assertThat(two.merged()).isEqualTo(one.merged());
    }

    @Property
    void writeOutcomeAfterAllRepliesDoesNotDependOnOrder(@ForAll("writes") WriteCase c) {
        WriteTally<String> one = write(c, c.order());
        WriteTally<String> two = write(c, c.otherOrder());
        assertThat(one.isDone()).isTrue();
        assertThat(two.outcome()).isEqualTo(one.outcome());
    }
}

package io.dynamo.core.quorum;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.testing.Gens;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

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

    static Gen<ReadCase> reads() {
        Gen<ReadReply<String>> reply = Generate.frequency(
                Pair.of(4, Generate.pick(STATES).map(ReadReply::found)),
                Pair.of(2, Generate.constant(ReadReply.<String>notFound())),
                Pair.of(1, Generate.pick(List.of("timeout", "disk")).map(ReadReply::<String>failed)));
        return Generate.range(1, 5).flatMap(n -> Generate.range(1, n).zip(Generate.booleans(),
                lists().of(reply).ofSize(n), Gens.permutations(n), Gens.permutations(n),
                (r, ok, replies, o1, o2) -> new ReadCase(n, r, ok, replies, o1, o2)));
    }

    static Gen<WriteCase> writes() {
        Gen<WriteReply<String>> reply = Generate.frequency(
                Pair.of(4, Generate.booleans().map(WriteReply::<String>ack)),
                Pair.of(1, Generate.pick(List.of("x", "y")).map(owner -> WriteReply.fallbackAck(true, owner))),
                Pair.of(2, Generate.pick(List.of("timeout", "disk")).map(WriteReply::<String>failed)));
        return Generate.range(1, 5).flatMap(n -> Generate.range(1, n).flatMap(w ->
                Generate.range(0, w).zip(lists().of(reply).ofSize(n), Gens.permutations(n), Gens.permutations(n),
                        (dw, replies, o1, o2) -> new WriteCase(n, w, dw, replies, o1, o2))));
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

    @Test
    void readOutcomeAfterAllRepliesDoesNotDependOnOrder() {
        qt(1000).forAll(reads()).checkAssert(c -> {
            ReadTally<String, String> one = read(c, c.order());
            ReadTally<String, String> two = read(c, c.otherOrder());
            assertThat(one.isDone()).isTrue();
            assertThat(one.allReplied()).isTrue();
            assertThat(two.outcome()).isEqualTo(one.outcome());
            assertThat(two.repairTargets()).containsExactlyInAnyOrderElementsOf(one.repairTargets());
            assertThat(two.merged()).isEqualTo(one.merged());
        });
    }

    @Test
    void writeOutcomeAfterAllRepliesDoesNotDependOnOrder() {
        qt(1000).forAll(writes()).checkAssert(c -> {
            WriteTally<String> one = write(c, c.order());
            WriteTally<String> two = write(c, c.otherOrder());
            assertThat(one.isDone()).isTrue();
            assertThat(two.outcome()).isEqualTo(one.outcome());
        });
    }
}

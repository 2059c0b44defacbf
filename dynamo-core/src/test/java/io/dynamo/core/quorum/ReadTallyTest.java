package io.dynamo.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReadTallyTest {

    static final String TOMBSTONE = "<deleted>";
    private static final ActorId A = new ActorId("node-a", 1);
    private static final ActorId B = new ActorId("node-b", 1);

    static final Siblings<String> V1 = Siblings.<String>empty().update(VersionVector.empty(), "v1", A);
    static final Siblings<String> V2 = V1.update(V1.context(), "v2", A);           // supersedes v1
    static final Siblings<String> ON_B = Siblings.<String>empty().update(VersionVector.empty(), "b1", B);
    static final Siblings<String> DELETED = V1.update(V1.context(), TOMBSTONE, A);   // delete of v1
    static final Siblings<String> DELETED_ON_B = Siblings.<String>empty().update(VersionVector.empty(), TOMBSTONE, B);

    record Reply(String replica, ReadReply<String> reply) {
    }

    static Reply found(String replica, Siblings<String> s) {
        return new Reply(replica, ReadReply.found(s));
    }

    static Reply notFound(String replica) {
        return new Reply(replica, ReadReply.notFound());
    }

    static Reply failed(String replica, String why) {
        return new Reply(replica, ReadReply.failed(why));
    }

    /**
     * One row: the tally's settings, the replies in arrival order, after how many of them the
     * tally is first done, the outcome and repair targets after all of them.
     */
    record Row(String story, int n, int r, boolean notFoundOk, List<Reply> replies, int doneAfter,
               ReadOutcome<String, String> outcome, Set<String> repair) {
        @Override
        public String toString() {
            return story;
        }
    }

    static ReadOutcome<String, String> foundOutcome(Siblings<String> merged) {
        return new ReadOutcome.Found<>(merged);
    }

    static ReadOutcome<String, String> notFoundOutcome(VersionVector context) {
        return new ReadOutcome.NotFound<>(context);
    }

    static ReadOutcome<String, String> insufficient(int required, int achieved, String... failures) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < failures.length; i += 2) {
            map.put(failures[i], failures[i + 1]);
        }
        return new ReadOutcome.Insufficient<>(required, achieved, map);
    }

    static Stream<Row> table() {
        return Stream.of(
                new Row("R replicas agree: found", 3, 2, true,
                        List.of(found("r1", V1), found("r2", V1)), 2, foundOutcome(V1), Set.of()),
                new Row("found and not found count toward R; the empty replica is repaired", 3, 2, true,
                        List.of(found("r1", V1), notFound("r2")), 2, foundOutcome(V1), Set.of("r2")),
                new Row("all not found", 3, 2, true,
                        List.of(notFound("r1"), notFound("r2"), notFound("r3")), 2,
                        notFoundOutcome(VersionVector.empty()), Set.of()),
                new Row("notfound_ok off: waits past a not found for data", 3, 2, false,
                        List.of(notFound("r1"), found("r2", V1), found("r3", V1)), 3, foundOutcome(V1), Set.of("r1")),
                new Row("notfound_ok off: all not found is still not found", 3, 2, false,
                        List.of(notFound("r1"), notFound("r2")), 2, notFoundOutcome(VersionVector.empty()), Set.of()),
                new Row("notfound_ok off: one found short of R is insufficient", 3, 2, false,
                        List.of(found("r1", V1), notFound("r2"), notFound("r3")), 3,
                        insufficient(2, 1), Set.of("r2", "r3")),
                new Row("tombstones only: not found, with their context", 3, 2, true,
                        List.of(found("r1", DELETED), found("r2", DELETED)), 2,
                        notFoundOutcome(DELETED.context()), Set.of()),
                new Row("tombstone and not found: not found; the delete spreads by repair", 3, 2, true,
                        List.of(found("r1", DELETED), notFound("r2")), 2,
                        notFoundOutcome(DELETED.context()), Set.of("r2")),
                new Row("tombstone and stale live value: the delete wins", 3, 2, true,
                        List.of(found("r1", V1), found("r2", DELETED)), 2,
                        notFoundOutcome(DELETED.context()), Set.of("r1")),
                new Row("tombstone concurrent with a live sibling: found, both kept", 3, 2, true,
                        List.of(found("r1", DELETED_ON_B), found("r2", V1)), 2,
                        foundOutcome(DELETED_ON_B.sync(V1)), Set.of("r1", "r2")),
                new Row("stale replica is repaired", 3, 3, true,
                        List.of(found("r1", V2), found("r2", V1), found("r3", V2)), 3, foundOutcome(V2), Set.of("r2")),
                new Row("concurrent writes become siblings; both replicas repaired", 3, 2, true,
                        List.of(found("r1", V1), found("r2", ON_B)), 2, foundOutcome(V1.sync(ON_B)), Set.of("r1", "r2")),
                new Row("a failure makes R=3 unreachable at once", 3, 3, true,
                        List.of(failed("r1", "timeout")), 1, insufficient(3, 0, "r1", "timeout"), Set.of()),
                new Row("two failures make R=2 unreachable", 3, 2, true,
                        List.of(found("r1", V1), failed("r2", "timeout"), failed("r3", "disk error")), 3,
                        insufficient(2, 1, "r2", "timeout", "r3", "disk error"), Set.of()),
                new Row("notfound_ok off: not found and failure is insufficient", 3, 2, false,
                        List.of(notFound("r1"), failed("r2", "unreachable")), 2,
                        insufficient(2, 0, "r2", "unreachable"), Set.of()),
                new Row("a failure does not matter once R is reached", 3, 2, true,
                        List.of(failed("r1", "timeout"), found("r2", V1), found("r3", V1)), 3, foundOutcome(V1), Set.of()),
                new Row("duplicate replies from one replica count once", 3, 2, true,
                        List.of(found("r1", V1), found("r1", V1), found("r1", V2), notFound("r2")), 4,
                        foundOutcome(V1), Set.of("r2")),
                new Row("R=1: the first reply decides", 3, 1, true,
                        List.of(found("r1", V1)), 1, foundOutcome(V1), Set.of()),
                new Row("late replies still merge, for read repair", 3, 2, true,
                        List.of(notFound("r1"), notFound("r2"), found("r3", V1)), 2,
                        foundOutcome(V1), Set.of("r1", "r2")),
                new Row("replies beyond N distinct replicas are ignored", 2, 2, true,
                        List.of(found("r1", V1), notFound("r2"), found("r3", V2)), 2,
                        foundOutcome(V1), Set.of("r2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void tallies(Row row) {
        ReadTally<String, String> tally = ReadTally.create(row.n(), row.r(), TOMBSTONE::equals,
                new ReadTally.Options(row.notFoundOk()));
        for (int i = 0; i < row.replies().size(); i++) {
            assertThat(tally.isDone()).as("done before reply %d", i + 1).isEqualTo(i >= row.doneAfter());
            tally.add(row.replies().get(i).replica(), row.replies().get(i).reply());
        }
        assertThat(tally.isDone()).isTrue();
        assertThat(tally.outcome()).isEqualTo(row.outcome());
        assertThat(tally.repairTargets()).containsExactlyInAnyOrderElementsOf(row.repair());
    }

    @Test
    void aSecondReplyFromTheSameReplicaIsRefused() {
        ReadTally<String, String> tally = ReadTally.create(3, 2, TOMBSTONE::equals);
        assertThat(tally.add("r1", ReadReply.found(V1))).isTrue();
        assertThat(tally.add("r1", ReadReply.notFound())).isFalse();
        assertThat(tally.isDone()).isFalse();
    }

    @Test
    void askingForTheOutcomeTooEarlyIsABug() {
        ReadTally<String, String> tally = ReadTally.create(3, 2, TOMBSTONE::equals);
        tally.add("r1", ReadReply.found(V1));
        assertThatThrownBy(tally::outcome).isInstanceOf(IllegalStateException.class).hasMessageContaining("not done");
    }

    @Test
    void badQuorumSettingsAreRejectedWithTheirValues() {
        assertThatThrownBy(() -> ReadTally.create(3, 0, TOMBSTONE::equals))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("r must be in 1..3 (n), got 0");
        assertThatThrownBy(() -> ReadTally.create(3, 4, TOMBSTONE::equals))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("r must be in 1..3 (n), got 4");
        assertThatThrownBy(() -> ReadTally.create(0, 1, TOMBSTONE::equals))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be at least 1, got 0");
    }
}

package io.dynamo.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WriteTallyTest {

    record Reply(String replica, WriteReply<String> reply) {
    }

    static Reply durable(String replica) {
        return new Reply(replica, WriteReply.ack(true));
    }

    static Reply buffered(String replica) {
        return new Reply(replica, WriteReply.ack(false));
    }

    static Reply fallback(String replica, String owner) {
        return new Reply(replica, WriteReply.fallbackAck(true, owner));
    }

    static Reply failed(String replica, String why) {
        return new Reply(replica, WriteReply.failed(why));
    }

    record Row(String story, int n, int w, int dw, List<Reply> replies, int doneAfter, WriteOutcome<String> outcome) {
        @Override
        public String toString() {
            return story;
        }
    }

    static WriteOutcome<String> success(List<String> acked, Map<String, String> fallbacks, int durable) {
        return new WriteOutcome.Success<>(new WriteOutcome.Receipt<>(new LinkedHashSet<>(acked), fallbacks, durable));
    }

    static WriteOutcome<String> insufficient(int w, int achievedW, int dw, int achievedDW, String... failures) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < failures.length; i += 2) {
            map.put(failures[i], failures[i + 1]);
        }
        return new WriteOutcome.Insufficient<>(w, achievedW, dw, achievedDW, map);
    }

    static Stream<Row> table() {
        return Stream.of(
                new Row("the coordinator's own durable write meets W=1", 3, 1, 1,
                        List.of(durable("coordinator")), 1, success(List.of("coordinator"), Map.of(), 1)),
                new Row("W acks with one durable meet W=2, DW=1", 3, 2, 1,
                        List.of(durable("coordinator"), buffered("r2")), 2,
                        success(List.of("coordinator", "r2"), Map.of(), 1)),
                new Row("W reached but DW short: waits for a durable ack", 3, 2, 2,
                        List.of(buffered("coordinator"), durable("r2"), durable("r3")), 3,
                        success(List.of("coordinator", "r2", "r3"), Map.of(), 2)),
                new Row("DW=0 accepts buffered acks", 3, 2, 0,
                        List.of(buffered("coordinator"), buffered("r2")), 2,
                        success(List.of("coordinator", "r2"), Map.of(), 0)),
                new Row("DW becomes unreachable", 3, 2, 2,
                        List.of(buffered("coordinator"), buffered("r2")), 2, insufficient(2, 2, 2, 0)),
                new Row("a failure makes W=3 unreachable at once", 3, 3, 1,
                        List.of(failed("r2", "timeout")), 1, insufficient(3, 0, 1, 0, "r2", "timeout")),
                new Row("two failures leave W=2 short", 3, 2, 1,
                        List.of(durable("coordinator"), failed("r2", "timeout"), failed("r3", "disk full")), 3,
                        insufficient(2, 1, 1, 1, "r2", "timeout", "r3", "disk full")),
                new Row("fallback acks count toward W and appear on the receipt", 3, 3, 1,
                        List.of(durable("coordinator"), fallback("r4", "r2"), buffered("r3")), 3,
                        success(List.of("coordinator", "r4", "r3"), Map.of("r4", "r2"), 2)),
                new Row("a failure does not matter once W is reached", 3, 2, 1,
                        List.of(failed("r3", "timeout"), durable("coordinator"), durable("r2")), 3,
                        success(List.of("coordinator", "r2"), Map.of(), 2)),
                new Row("duplicate acks from one replica count once", 3, 2, 1,
                        List.of(durable("coordinator"), durable("coordinator"), failed("coordinator", "x"), durable("r2")), 4,
                        success(List.of("coordinator", "r2"), Map.of(), 2)),
                new Row("replies beyond N distinct replicas are ignored", 2, 2, 1,
                        List.of(durable("coordinator"), failed("r2", "timeout"), durable("r3")), 2,
                        insufficient(2, 1, 1, 1, "r2", "timeout")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void tallies(Row row) {
        WriteTally<String> tally = WriteTally.create(row.n(), row.w(), row.dw());
        for (int i = 0; i < row.replies().size(); i++) {
            assertThat(tally.isDone()).as("done before reply %d", i + 1).isEqualTo(i >= row.doneAfter());
            tally.add(row.replies().get(i).replica(), row.replies().get(i).reply());
        }
        assertThat(tally.isDone()).isTrue();
        assertThat(tally.outcome()).isEqualTo(row.outcome());
    }

    @Test
    void theReceiptSaysWhetherFallbacksWereUsed() {
        WriteTally<String> tally = WriteTally.create(3, 2, 1);
        tally.add("coordinator", WriteReply.ack(true));
        tally.add("r4", WriteReply.fallbackAck(false, "r2"));

        WriteOutcome.Success<String> success = (WriteOutcome.Success<String>) tally.outcome();
        assertThat(success.receipt().usedFallbacks()).isTrue();
        assertThat(success.receipt().fallbacks()).containsExactly(Map.entry("r4", "r2"));
    }

    @Test
    void askingForTheOutcomeTooEarlyIsABug() {
        WriteTally<String> tally = WriteTally.create(3, 2, 1);
        assertThatThrownBy(tally::outcome).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badQuorumSettingsAreRejectedWithTheirValues() {
        assertThatThrownBy(() -> WriteTally.create(3, 4, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("w must be in 1..3 (n), got 4");
        assertThatThrownBy(() -> WriteTally.create(3, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("w must be in 1..3 (n), got 0");
        assertThatThrownBy(() -> WriteTally.create(3, 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dw must be in 0..2 (w), got 3");
        assertThatThrownBy(() -> WriteTally.create(3, 2, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dw must be in 0..2 (w), got -1");
    }
}

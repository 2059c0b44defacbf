package io.dynamo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFiltersTest {

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");

    private final SimScheduler sim = new SimScheduler();
    private final SimNetwork net = new SimNetwork(sim, RandomSource.seeded(1),
            NetworkFaults.RELIABLE.withLatency(LatencyModel.fixed(Duration.ofMillis(10))));
    private final List<String> received = new ArrayList<>();
    private final Transport a = start(A);
    private final Transport b = start(B);
    private final Transport c = start(C);

    private Transport start(NodeId node) {
        Transport t = net.endpoint(node);
        t.setHandler((from, m) -> received.add(from + "->" + node + " " + m.getClass().getSimpleName() + "#"
                + m.requestId() + "@" + sim.now().toMillis()));
        return t;
    }

    private static Message.ReplicaWrite write(long id) {
        StoredKey key = StoredKey.of("ns", "k".getBytes(StandardCharsets.UTF_8));
        return new Message.ReplicaWrite(id, 0, key, Siblings.empty(), Durability.BUFFERED, null);
    }

    @Test
    void dropReplicaWritesFromAToBOnly() {
        MessageFilters.Filter filter = net.filters().from(A).to(B).type(Message.ReplicaWrite.class).drop();

        a.send(B, write(1));
        a.send(B, new Message.Ping(2));
        a.send(C, write(3));
        c.send(B, write(4));
        sim.runUntilIdle(100);

        assertThat(received).containsExactlyInAnyOrder(
                "a->b Ping#2@10", "a->c ReplicaWrite#3@10", "c->b ReplicaWrite#4@10");
        assertThat(filter.matched()).isEqualTo(1);
    }

    @Test
    void offRestoresDelivery() {
        MessageFilters.Filter filter = net.filters().to(B).drop();
        a.send(B, new Message.Ping(1));
        filter.off();
        filter.off();
        a.send(B, new Message.Ping(2));
        sim.runUntilIdle(100);

        assertThat(received).containsExactly("a->b Ping#2@10");
        assertThat(net.filters().size()).isZero();
    }

    @Test
    void delayAddsToTheLatencyAndDelaysAddUp() {
        net.filters().from(A).delay(Duration.ofMillis(100));
        net.filters().type(Message.Ping.class).delay(Duration.ofMillis(5));

        a.send(B, new Message.Ping(1));
        a.send(B, new Message.Pong(2));
        c.send(B, new Message.Pong(3));
        sim.runUntilIdle(100);

        assertThat(received).containsExactly("c->b Pong#3@10", "a->b Pong#2@110", "a->b Ping#1@115");
    }

    @Test
    void duplicateDeliversTwice() {
        MessageFilters.Filter dup = net.filters().from(B).to(A).duplicate();
        b.send(A, new Message.Pong(1));
        sim.runUntilIdle(100);
        assertThat(received).containsExactly("b->a Pong#1@10", "b->a Pong#1@10");

        dup.off();
        b.send(A, new Message.Pong(2));
        sim.runUntilIdle(100);
        assertThat(received).hasSize(3);
        assertThat(net.stats().duplicated()).isEqualTo(1);
    }

    @Test
    void predicatesCompose() {
        net.filters().from(A, C).when(m -> m.requestId() % 2 == 0).drop();

        for (int id = 1; id <= 4; id++) {
            a.send(B, new Message.Ping(id));
            c.send(B, new Message.Ping(10 + id));
            b.send(A, new Message.Ping(20 + id));
        }
        sim.runUntilIdle(100);

        assertThat(received).filteredOn(s -> s.startsWith("a->") || s.startsWith("c->"))
                .extracting(s -> s.substring(s.indexOf('#') + 1, s.indexOf('@')))
                .containsExactlyInAnyOrder("1", "3", "11", "13");
        assertThat(received).filteredOn(s -> s.startsWith("b->")).hasSize(4);
    }

    @Test
    void filtersComeBeforeRandomFaults() {
        net.setFaults(net.faults().withDropProbability(1.0));
        net.filters().from(A).drop();
        a.send(B, new Message.Ping(1));
        b.send(A, new Message.Ping(2));
        sim.runUntilIdle(100);

        assertThat(received).isEmpty();
        assertThat(net.trace().tail(2)).satisfiesExactly(
                l -> assertThat(l).endsWith("(filter drop from [a])"),
                l -> assertThat(l).endsWith("(random)"));
    }

    @Test
    void clearRemovesEveryFilter() {
        net.filters().to(A).drop();
        net.filters().to(B).drop();
        net.filters().clear();
        c.send(A, new Message.Ping(1));
        c.send(B, new Message.Ping(2));
        sim.runUntilIdle(100);
        assertThat(received).hasSize(2);
    }
}

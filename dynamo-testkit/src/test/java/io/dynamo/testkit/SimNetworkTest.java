package io.dynamo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.RandomSource;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimNetworkTest {

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");
    private static final Duration TEN_MS = Duration.ofMillis(10);

    private final SimScheduler sim = new SimScheduler();
    private final SimNetwork net =
            new SimNetwork(sim, RandomSource.seeded(7), NetworkFaults.RELIABLE.withLatency(LatencyModel.fixed(TEN_MS)));
    private final Map<NodeId, List<String>> inbox = new HashMap<>();

    /** Starts {@code node} (or restarts it) with a handler that records "from:id@millis". */
    private Transport start(NodeId node) {
        Transport t = net.endpoint(node);
        List<String> box = inbox.computeIfAbsent(node, n -> new ArrayList<>());
        t.setHandler((from, m) -> box.add(from + ":" + m.requestId() + "@" + sim.now().toMillis()));
        return t;
    }

    private List<String> inbox(NodeId node) {
        return inbox.getOrDefault(node, List.of());
    }

    @Test
    void deliversAfterTheLatencyOnTheReceiversScheduler() {
        Transport a = start(A);
        start(B);

        a.send(B, new Message.Ping(1));
        sim.runFor(Duration.ofMillis(9));
        assertThat(inbox(B)).isEmpty();
        assertThat(sim.forNode(B).pendingTasks()).isEqualTo(1);

        sim.runFor(Duration.ofMillis(1));
        assertThat(inbox(B)).containsExactly("a:1@10");
        assertThat(net.stats()).isEqualTo(new SimNetwork.Stats(1, 1, 0, 0));
    }

    @Test
    void withAServiceTimeANodeHandlesOneMessageAtATime() {
        net.setServiceTime(m -> Duration.ofMillis(m.requestId() == 99 ? 0 : 3));
        Transport a = start(A);
        start(B);
        a.send(B, new Message.Ping(1));
        a.send(B, new Message.Ping(2));
        a.send(B, new Message.Ping(3));
        sim.runUntilIdle(100);
        // All arrive at 10 ms; each takes 3 ms, so they are handled at 13, 16 and 19 ms.
        assertThat(inbox(B)).containsExactly("a:1@13", "a:2@16", "a:3@19");
        a.send(B, new Message.Ping(99));
        sim.runUntilIdle(100);
        assertThat(inbox(B)).last().isEqualTo("a:99@29");
    }

    @Test
    void randomLatencyReordersMessages() {
        net.setFaults(NetworkFaults.RELIABLE.withLatency(LatencyModel.exponential(Duration.ofMillis(1), TEN_MS)));
        Transport a = start(A);
        start(B);
        for (int i = 0; i < 50; i++) {
            a.send(B, new Message.Ping(i));
        }
        sim.runUntilIdle(1_000);
        List<Integer> order = inbox(B).stream().map(s -> Integer.parseInt(s.substring(2, s.indexOf('@')))).toList();
        List<Integer> sent = IntStream.range(0, 50).boxed().toList();
        assertThat(order).containsExactlyInAnyOrderElementsOf(sent).isNotEqualTo(sent);
    }

    @Test
    void dropAndDuplicateProbabilitiesAreRoughlyRespected() {
        net.setFaults(NetworkFaults.RELIABLE.withDropProbability(0.2).withDuplicateProbability(0.1));
        Transport a = start(A);
        start(B);
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            a.send(B, new Message.Ping(i));
        }
        sim.runUntilIdle(100_000);

        SimNetwork.Stats s = net.stats();
        // Expected: 2,000 dropped; of 8,000 kept, 800 duplicated. Bounds are about 8 sigma wide.
        assertThat(s.dropped()).isBetween(1_700L, 2_300L);
        assertThat(s.duplicated()).isBetween(600L, 1_000L);
        assertThat(s.delivered()).isEqualTo(n - s.dropped() + s.duplicated());
        assertThat(inbox(B)).hasSize((int) s.delivered());
    }

    @Test
    void partitionBlocksBothWaysUntilHealed() {
        Transport a = start(A);
        Transport b = start(B);
        Transport c = start(C);

        net.partition(Set.of(A), Set.of(B, C));
        a.send(B, new Message.Ping(1));
        b.send(A, new Message.Ping(2));
        c.send(A, new Message.Ping(3));
        b.send(C, new Message.Ping(4));
        sim.runUntilIdle(100);

        assertThat(inbox(A)).isEmpty();
        assertThat(inbox(B)).isEmpty();
        assertThat(inbox(C)).containsExactly("b:4@10");

        net.heal();
        a.send(B, new Message.Ping(5));
        c.send(A, new Message.Ping(6));
        sim.runUntilIdle(100);
        assertThat(inbox(A)).containsExactly("c:6@20");
        assertThat(inbox(B)).containsExactly("a:5@20");
    }

    @Test
    void partitionDropsMessagesAlreadyInFlight() {
        Transport a = start(A);
        start(B);
        a.send(B, new Message.Ping(1));
        sim.runFor(Duration.ofMillis(5));
        net.partition(Set.of(A), Set.of(B));
        sim.runUntilIdle(10);
        assertThat(inbox(B)).isEmpty();
        assertThat(net.trace().tail(1).get(0)).contains("drop a->b Ping#1 (link cut in flight)");
    }

    @Test
    void oneWayBlockLeavesTheOtherDirection() {
        Transport a = start(A);
        Transport b = start(B);
        net.block(A, B);

        a.send(B, new Message.Ping(1));
        b.send(A, new Message.Ping(2));
        sim.runUntilIdle(100);
        assertThat(inbox(B)).isEmpty();
        assertThat(inbox(A)).containsExactly("b:2@10");
        assertThat(net.isBlocked(A, B)).isTrue();
        assertThat(net.isBlocked(B, A)).isFalse();

        net.unblock(A, B);
        a.send(B, new Message.Ping(3));
        sim.runUntilIdle(100);
        assertThat(inbox(B)).containsExactly("a:3@20");
    }

    @Test
    void crashDropsMessagesInFlightToTheOldIncarnation() {
        Transport a = start(A);
        start(B);
        a.send(B, new Message.Ping(1));
        sim.runFor(Duration.ofMillis(5));

        sim.crash(B);
        a.send(B, new Message.Ping(2));
        Transport restarted = start(B);
        a.send(B, new Message.Ping(3));
        sim.runUntilIdle(100);

        assertThat(inbox(B)).containsExactly("a:3@15");
        assertThat(restarted.self()).isEqualTo(B);
        assertThat(net.trace().tail(20)).anyMatch(l -> l.contains("drop a->b Ping#2 (receiver down)"));
    }

    @Test
    void aCrashedNodesEndpointSendsNothing() {
        Transport a = start(A);
        start(B);
        sim.crash(A);
        a.send(B, new Message.Ping(1));
        sim.runUntilIdle(10);
        assertThat(inbox(B)).isEmpty();
        assertThat(net.endpoint(A)).isNotSameAs(a);
    }

    @Test
    void aNodeThatNeverStartedReceivesNothing() {
        Transport a = start(A);
        a.send(NodeId.of("ghost"), new Message.Ping(1));
        sim.runUntilIdle(10);
        assertThat(net.stats().dropped()).isEqualTo(1);
    }

    @Test
    void sameEndpointUntilTheNodeCrashes() {
        Transport first = net.endpoint(A);
        assertThat(net.endpoint(A)).isSameAs(first);
        assertThat(sim.forNode(A).incarnation()).isEqualTo(1);
    }

    @Test
    void eventsAreTraced() {
        Transport a = start(A);
        start(B);
        a.send(B, new Message.Ping(9));
        sim.runUntilIdle(10);
        assertThat(net.trace().tail(2)).containsExactly(
                "0.000000s send a->b Ping#9 +10000us",
                "0.010000s recv a->b Ping#9");
    }
}

package io.dynamo.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Transport} must do on a network without faults, whatever carries the bytes:
 * deliver each message once with its content intact to the handler of the addressed node, tell
 * the receiver who sent it, let replies be matched to requests by id, keep up with many
 * messages, and accept its handler exactly once. Order is not part of the contract (the simulated
 * network reorders).
 *
 * <p>Extend it with a {@link Harness} for the implementation: the simulated network runs virtual
 * time in {@link Harness#await}; a real one polls with a bound. Handlers may run on other threads
 * than the test's, so everything they record goes into thread-safe collections.
 */
public abstract class TransportContract {

    /** Builds and tears down the implementation under test for one test. */
    public interface Harness extends AutoCloseable {

        /** The transport of {@code node}, reachable from every other endpoint of this harness. */
        Transport endpoint(NodeId node);

        /** Lets the network work until {@code condition} holds or {@code limit} passes; whether it holds. */
        boolean await(BooleanSupplier condition, Duration limit);

        @Override
        default void close() {
        }
    }

    /** A fresh, fault-free network for one test. */
    protected abstract Harness newHarness();

    /** How long {@link Harness#await} may take for the bulk test; generous for real networks. */
    protected Duration limit() {
        return Duration.ofSeconds(30);
    }

    private static final NodeId A = NodeId.of("contract-a");
    private static final NodeId B = NodeId.of("contract-b");
    private static final NodeId C = NodeId.of("contract-c");

    private Harness harness;

    @BeforeEach
    void openHarness() {
        harness = newHarness();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    /** A received message with its sender. */
    private record Received(NodeId from, Message message) {
    }

    private ConcurrentLinkedQueue<Received> collect(Transport transport) {
        ConcurrentLinkedQueue<Received> inbox = new ConcurrentLinkedQueue<>();
        transport.setHandler((from, message) -> inbox.add(new Received(from, message)));
        return inbox;
    }

    @Test
    void endpointKnowsItsNode() {
        assertEquals(A, harness.endpoint(A).self());
        assertEquals(B, harness.endpoint(B).self());
    }

    @Test
    void messageArrivesOnceWithItsSender() {
        Transport a = harness.endpoint(A);
        ConcurrentLinkedQueue<Received> inboxB = collect(harness.endpoint(B));
        collect(a);

        a.send(B, new Message.Ping(7));

        assertTrue(harness.await(() -> !inboxB.isEmpty(), limit()), "ping never arrived");
        harness.await(() -> false, Duration.ofMillis(50));
        assertEquals(List.of(new Received(A, new Message.Ping(7))), List.copyOf(inboxB));
    }

    @Test
    void contentSurvivesTheTrip() {
        Transport a = harness.endpoint(A);
        ConcurrentLinkedQueue<Received> inboxB = collect(harness.endpoint(B));
        collect(a);
        StoredKey key = StoredKey.of("carts", "alice".getBytes(StandardCharsets.UTF_8));
        Siblings<Content> state = Siblings.<Content>empty().update(VersionVector.empty(),
                Content.of(new byte[] {1, 2, 3}, "application/octet-stream", 1_700_000_000_000L),
                new ActorId("contract-a", 1));
        Message write = new Message.ReplicaWrite(41, 5, key, state, Durability.DURABLE, C);
        Message reply = Message.ReplicaReadReply.failed(42, "disk on fire");

        a.send(B, write);
        a.send(B, reply);

        assertTrue(harness.await(() -> inboxB.size() == 2, limit()), "messages never arrived");
        List<Message> got = new ArrayList<>();
        inboxB.forEach(r -> got.add(r.message()));
        got.sort((x, y) -> Long.compare(x.requestId(), y.requestId()));
        assertEquals(List.of(write, reply), got);
    }

    @Test
    void repliesMatchRequestsById() {
        Transport a = harness.endpoint(A);
        Transport b = harness.endpoint(B);
        b.setHandler((from, message) -> {
            if (message instanceof Message.Ping ping) {
                b.send(from, new Message.Pong(ping.requestId()));
            }
        });
        ConcurrentLinkedQueue<Received> inboxA = collect(a);
        int requests = 200;

        for (int id = 1; id <= requests; id++) {
            a.send(B, new Message.Ping(id));
        }

        assertTrue(harness.await(() -> inboxA.size() >= requests, limit()), "replies missing: got " + inboxA.size());
        Map<Long, Integer> repliesById = new HashMap<>();
        for (Received r : inboxA) {
            assertEquals(B, r.from());
            assertTrue(r.message() instanceof Message.Pong, "not a pong: " + r.message());
            repliesById.merge(r.message().requestId(), 1, Integer::sum);
        }
        for (long id = 1; id <= requests; id++) {
            assertEquals(1, repliesById.getOrDefault(id, 0), "replies to request " + id);
        }
        assertEquals(requests, repliesById.size());
    }

    @Test
    void manyMessagesToSeveralNodesAllArrive() {
        Transport a = harness.endpoint(A);
        collect(a);
        ConcurrentLinkedQueue<Received> inboxB = collect(harness.endpoint(B));
        ConcurrentLinkedQueue<Received> inboxC = collect(harness.endpoint(C));
        int perNode = 5_000;

        for (int i = 0; i < perNode; i++) {
            a.send(B, new Message.Ping(i));
            a.send(C, new Message.Pong(i));
        }

        assertTrue(harness.await(() -> inboxB.size() == perNode && inboxC.size() == perNode, limit()),
                "expected " + perNode + " each, got " + inboxB.size() + " and " + inboxC.size());
        assertEachIdOnce(inboxB, Message.Ping.class, perNode);
        assertEachIdOnce(inboxC, Message.Pong.class, perNode);
    }

    @Test
    void bothDirectionsAtOnce() {
        Transport a = harness.endpoint(A);
        Transport b = harness.endpoint(B);
        ConcurrentLinkedQueue<Received> inboxA = collect(a);
        ConcurrentLinkedQueue<Received> inboxB = collect(b);

        for (int i = 0; i < 100; i++) {
            a.send(B, new Message.Ping(i));
            b.send(A, new Message.Ping(1_000 + i));
        }

        assertTrue(harness.await(() -> inboxA.size() == 100 && inboxB.size() == 100, limit()));
        assertTrue(inboxA.stream().allMatch(r -> r.from().equals(B) && r.message().requestId() >= 1_000));
        assertTrue(inboxB.stream().allMatch(r -> r.from().equals(A) && r.message().requestId() < 1_000));
    }

    @Test
    void handlerIsSetOnce() {
        Transport a = harness.endpoint(A);
        a.setHandler((from, message) -> { });
        assertThrows(IllegalStateException.class, () -> a.setHandler((from, message) -> { }));
    }

    @Test
    void nullHandlerIsRejected() {
        assertThrows(NullPointerException.class, () -> harness.endpoint(A).setHandler(null));
    }

    @Test
    void sendingToAnUnknownNodeDoesNotThrow() {
        Transport a = harness.endpoint(A);
        collect(a);
        a.send(NodeId.of("contract-nobody"), new Message.Ping(1));
        harness.await(() -> false, Duration.ofMillis(50));
    }

    private static void assertEachIdOnce(ConcurrentLinkedQueue<Received> inbox, Class<? extends Message> type, int n) {
        List<Long> ids = new ArrayList<>();
        for (Received r : inbox) {
            assertTrue(type.isInstance(r.message()), "unexpected " + r.message());
            assertEquals(A, r.from());
            ids.add(r.message().requestId());
        }
        Collections.sort(ids);
        for (int i = 0; i < n; i++) {
            assertEquals(i, ids.get(i), "ids received");
        }
    }
}

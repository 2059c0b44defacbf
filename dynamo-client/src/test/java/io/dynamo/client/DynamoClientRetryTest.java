package io.dynamo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.dynamo.wire.netty.Frames;
import io.dynamo.wire.proto.ClientRequest;
import io.dynamo.wire.proto.ClientResponse;
import io.dynamo.wire.proto.Hello;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which failures the client retries, against two scripted fake nodes f1 and f2 that own every
 * key (f1 first): reads move on to f2; writes move on only when they never left the client.
 */
class DynamoClientRetryTest {

    /** What a fake node does with a request. */
    sealed interface Action {
    }

    record Answer(ClientResponse.Builder response) implements Action {
    }

    record Ignore() implements Action {
    }

    record Hangup() implements Action {
    }

    /** A node speaking the client protocol on blocking sockets, doing what its script says. */
    static final class FakeNode implements AutoCloseable {
        final String id;
        final ServerSocket listener;
        final List<ClientRequest> received = Collections.synchronizedList(new ArrayList<>());
        final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        final Thread acceptor;
        volatile Function<ClientRequest, Action> script = r -> new Ignore();

        FakeNode(String id) throws IOException {
            this.id = id;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::accept, "fake-" + id);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
        }

        long count(ClientRequest.KindCase kind) {
            synchronized (received) {
                return received.stream().filter(r -> r.getKindCase() == kind).count();
            }
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    sockets.add(s);
                    Thread t = new Thread(() -> serve(s), "fake-" + id + "-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                Hello hello = Hello.parseFrom(frame(in));
                assertThat(hello.getProtocolVersion()).isEqualTo(Frames.PROTOCOL_VERSION);
                while (true) {
                    ClientRequest request = ClientRequest.parseFrom(frame(in));
                    received.add(request);
                    switch (script.apply(request)) {
                        case Answer a -> {
                            byte[] body = a.response().setId(request.getId()).build().toByteArray();
                            synchronized (out) {
                                out.writeInt(body.length);
                                out.write(body);
                                out.flush();
                            }
                        }
                        case Ignore i -> {
                        }
                        case Hangup h -> {
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                // the client went away, or this node was stopped
            }
        }

        private static byte[] frame(DataInputStream in) throws IOException {
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return body;
        }

        /** Refuses new connections (once this returns) and drops the open ones. */
        void stop() throws IOException {
            listener.close();
            try {
                acceptor.join(5_000); // the socket closes for good only once accept() has returned
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }

        @Override
        public void close() throws IOException {
            stop();
        }
    }

    private FakeNode f1;
    private FakeNode f2;
    private DynamoClient client;

    @AfterEach
    void tearDown() throws IOException {
        if (client != null) {
            client.close();
        }
        if (f1 != null) {
            f1.close();
        }
        if (f2 != null) {
            f2.close();
        }
    }

    private ClientResponse.Builder ring() {
        return ClientResponse.newBuilder().setRing(ClientResponse.Ring.newBuilder().setEpoch(1).setPartitions(1)
                .setN(2).setResponder("f1")
                .addOwners(ClientResponse.Ring.PartitionOwners.newBuilder().setPartition(0).addNodes("f1")
                        .addNodes("f2"))
                .addNodes(node(f1)).addNodes(node(f2)));
    }

    private static ClientResponse.Ring.Node node(FakeNode f) {
        return ClientResponse.Ring.Node.newBuilder().setId(f.id).setClientAddress("127.0.0.1:" + f.address().getPort())
                .setStatus("up").setReachable(true).build();
    }

    private static ClientResponse.Builder found(String value) {
        return ClientResponse.newBuilder().setGetResult(ClientResponse.GetResult.newBuilder().addSiblings(
                ClientResponse.Sibling.newBuilder().setValue(ByteString.copyFromUtf8(value))
                        .setContentType("text/plain").setTimestampMs(1)));
    }

    private static ClientResponse.Builder written(String by) {
        return ClientResponse.newBuilder().setPutResult(ClientResponse.PutResult.newBuilder().addAcknowledged(by)
                .setDurable(1).setContext(ByteString.EMPTY));
    }

    private static ClientResponse.Builder error(ClientResponse.Error.Kind kind) {
        return ClientResponse.newBuilder().setError(ClientResponse.Error.newBuilder().setKind(kind)
                .setMessage("scripted " + kind).setRequired(2).setAchieved(1).putFailures("f2", "down"));
    }

    /** Both nodes answer rings; everything else is up to {@code one} and {@code two}. */
    private void start(Function<ClientRequest, Action> one, Function<ClientRequest, Action> two) throws IOException {
        start(one, two, false);
    }

    /** As above; with {@code seedF2}, the client bootstraps from f2 alone, so it has no connection to f1 yet. */
    private void start(Function<ClientRequest, Action> one, Function<ClientRequest, Action> two, boolean seedF2)
            throws IOException {
        f1 = new FakeNode("f1");
        f2 = new FakeNode("f2");
        f1.script = r -> r.hasGetRing() ? new Answer(ring()) : one.apply(r);
        f2.script = r -> r.hasGetRing() ? new Answer(ring()) : two.apply(r);
        List<InetSocketAddress> seeds = seedF2 ? List.of(f2.address()) : List.of(f1.address(), f2.address());
        client = DynamoClient.builder().seeds(seeds).requestTimeout(Duration.ofMillis(300))
                .connectTimeout(Duration.ofMillis(300)).ringRefresh(Duration.ofMinutes(1)).build();
        assertThat(client.owners("ns", new byte[] {1})).containsExactly("f1", "f2");
    }

    @Test
    void aReadAnsweredUnavailableIsRetriedOnTheNextOwner() throws IOException {
        start(r -> new Answer(error(ClientResponse.Error.Kind.UNAVAILABLE)), r -> new Answer(found("from f2")));
        assertThat(client.get("ns", "k").valueAsString()).isEqualTo("from f2");
        assertThat(f1.count(ClientRequest.KindCase.GET)).isEqualTo(1);
        assertThat(f2.count(ClientRequest.KindCase.GET)).isEqualTo(1);
    }

    @Test
    void aReadWhoseConnectionDropsIsRetriedOnTheNextOwner() throws IOException {
        start(r -> new Hangup(), r -> new Answer(found("from f2")));
        assertThat(client.get("ns", "k").valueAsString()).isEqualTo("from f2");
    }

    @Test
    void aWriteWhoseConnectionDropsIsNotRetried() throws IOException {
        start(r -> new Hangup(), r -> new Answer(written("f2")));
        assertThatThrownBy(() -> client.put("ns", "k", "v", Context.EMPTY))
                .isInstanceOf(ConnectionLostException.class);
        assertThat(f1.count(ClientRequest.KindCase.PUT)).isEqualTo(1);
        assertThat(f2.count(ClientRequest.KindCase.PUT)).isZero();
    }

    @Test
    void aWriteThatTimesOutIsNotRetried() throws IOException {
        start(r -> new Ignore(), r -> new Answer(written("f2")));
        assertThatThrownBy(() -> client.delete("ns", "k", Context.EMPTY))
                .isInstanceOf(RequestTimeoutException.class);
        assertThat(f1.count(ClientRequest.KindCase.DELETE)).isEqualTo(1);
        assertThat(f2.count(ClientRequest.KindCase.DELETE)).isZero();
    }

    @Test
    void aWriteThatCannotConnectGoesToTheNextOwner() throws IOException {
        start(r -> new Answer(written("f1")), r -> new Answer(written("f2")), true);
        f1.stop();
        assertThat(client.put("ns", "k", "v", Context.EMPTY).acknowledged()).containsExactly("f2");
        assertThat(f2.count(ClientRequest.KindCase.PUT)).isEqualTo(1);
    }

    @Test
    void aWriteIsNotRetriedOnAnotherNodeAfterAnAnswer() throws IOException {
        start(r -> new Answer(error(ClientResponse.Error.Kind.OVERLOADED)), r -> new Answer(written("f2")));
        assertThatThrownBy(() -> client.put("ns", "k", "v", Context.EMPTY)).isInstanceOf(OverloadedException.class)
                .satisfies(e -> assertThat(((OverloadedException) e).limit()).isEqualTo(2));
        assertThat(f2.count(ClientRequest.KindCase.PUT)).isZero();
    }

    @Test
    void insufficientReplicasCarriesItsFigures() throws IOException {
        start(r -> new Answer(error(ClientResponse.Error.Kind.INSUFFICIENT_REPLICAS)), r -> new Ignore());
        assertThatThrownBy(() -> client.put("ns", "k", "v", Context.EMPTY))
                .isInstanceOfSatisfying(InsufficientReplicasException.class, e -> {
                    assertThat(e.required()).isEqualTo(2);
                    assertThat(e.achieved()).isEqualTo(1);
                    assertThat(e.failures()).containsEntry("f2", "down");
                });
    }

    @Test
    void updateRetriesItsReadModifyWriteAfterAnOverloadedWrite() throws IOException {
        AtomicInteger puts = new AtomicInteger();
        start(r -> switch (r.getKindCase()) {
            case GET -> new Answer(found("3"));
            case PUT -> new Answer(puts.incrementAndGet() == 1 ? error(ClientResponse.Error.Kind.OVERLOADED)
                    : written("f1"));
            default -> new Ignore();
        }, r -> new Ignore());
        AtomicInteger mutations = new AtomicInteger();
        PutResult result = client.update("ns", "k", Resolver.lastWriterWins(), current -> {
            mutations.incrementAndGet();
            return String.valueOf(Integer.parseInt(new String(current)) + 1).getBytes();
        });
        assertThat(result.acknowledged()).containsExactly("f1");
        assertThat(mutations).hasValue(2);
        assertThat(f1.count(ClientRequest.KindCase.GET)).isEqualTo(2);
        synchronized (f1.received) {
            assertThat(f1.received.stream().filter(ClientRequest::hasPut).map(r -> r.getPut().getValue()
                    .toStringUtf8())).containsExactly("4", "4");
        }
    }

    @Test
    void updateDoesNotRetryAfterATimeout() throws IOException {
        start(r -> r.hasGet() ? new Answer(found("1")) : new Ignore(), r -> new Ignore());
        assertThatThrownBy(() -> client.update("ns", "k", Resolver.lastWriterWins(), current -> current))
                .isInstanceOf(RequestTimeoutException.class);
        assertThat(f1.count(ClientRequest.KindCase.PUT)).isEqualTo(1);
    }

    /** One attempt as an {@link AttemptObserver} saw it. */
    record Seen(int attempt, String nodeId, String address) {
    }

    @Test
    void anObserverSeesEachAttemptOfARetriedRead() throws IOException {
        start(r -> new Answer(error(ClientResponse.Error.Kind.UNAVAILABLE)), r -> new Answer(found("from f2")));
        List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        CallOptions options = CallOptions.defaults().observer((a, id, address) -> seen.add(new Seen(a, id, address)));
        assertThat(client.get("ns", "k".getBytes(), options).valueAsString()).isEqualTo("from f2");
        assertThat(seen).containsExactly(new Seen(1, "f1", "127.0.0.1:" + f1.address().getPort()),
                new Seen(2, "f2", "127.0.0.1:" + f2.address().getPort()));
    }

    @Test
    void anObserverSeesAWriteTryTheNodeItCannotReachThenTheNext() throws IOException {
        start(r -> new Answer(written("f1")), r -> new Answer(written("f2")), true);
        f1.stop();
        List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        CallOptions options = CallOptions.defaults().observer((a, id, address) -> seen.add(new Seen(a, id, address)));
        client.put("ns", "k".getBytes(), "v".getBytes(), "text/plain", Context.EMPTY, options);
        assertThat(seen).extracting(Seen::nodeId).containsExactly("f1", "f2");
        assertThat(seen).extracting(Seen::attempt).containsExactly(1, 2);
    }

    @Test
    void aFailingObserverDoesNotFailTheRequest() throws IOException {
        start(r -> new Answer(found("from f1")), r -> new Ignore());
        CallOptions options = CallOptions.defaults().observer((a, id, address) -> {
            throw new IllegalStateException("observer broke");
        });
        assertThat(client.get("ns", "k".getBytes(), options).valueAsString()).isEqualTo("from f1");
        assertThat(options.observer()).isNotNull();
        assertThat(CallOptions.defaults().observer()).isNull();
        assertThat(options.w(2).timeout(Duration.ofSeconds(1)).observer()).isSameAs(options.observer());
    }

    @Test
    void bootstrapFailsWhenNoSeedAnswers() throws IOException {
        try (FakeNode silent = new FakeNode("silent")) {
            assertThatThrownBy(() -> DynamoClient.builder().seeds(silent.address())
                    .requestTimeout(Duration.ofMillis(100)).build()).isInstanceOf(UnavailableException.class);
        }
    }
}

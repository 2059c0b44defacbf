package io.dynamo.net.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.ServerConfig;
import io.dynamo.wire.netty.Frames;
import io.dynamo.wire.netty.NettyIo;
import io.dynamo.wire.proto.ClientRequest;
import io.dynamo.wire.proto.ClientResponse;
import io.dynamo.wire.proto.Hello;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client protocol over raw frames against a real single-node server. */
class ClientProtocolServerTest {

    @TempDir
    static Path dataDir;

    static DynamoServer server;
    static EventLoopGroup io;
    static ClientProtocolServer protocol;
    static InetSocketAddress address;

    @BeforeAll
    static void start() {
        server = DynamoServer.start(ServerConfig.of(Map.of("node_id", "n1", "data_dir", dataDir.toString(),
                "peer_address", "127.0.0.1:0", "client_address", "127.0.0.1:0", "http_address", "127.0.0.1:0",
                "initial_members", "n1", "defaults.n", "1", "defaults.r", "1", "defaults.w", "1")));
        io = NettyIo.group(1, "test-client-protocol");
        protocol = new ClientProtocolServer(server, io);
        address = protocol.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        if (protocol != null) {
            protocol.close();
        }
        if (server != null) {
            server.close();
        }
        if (io != null) {
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ------------------------------------------------------------------ raw connection

    /** A blocking connection speaking raw frames. */
    static final class Conn implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final DataOutputStream out;

        Conn(InetSocketAddress to, boolean hello) throws IOException {
            socket = new Socket(to.getAddress(), to.getPort());
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            out = new DataOutputStream(socket.getOutputStream());
            if (hello) {
                frame(Hello.newBuilder().setProtocolVersion(Frames.PROTOCOL_VERSION).build().toByteArray());
            }
        }

        void frame(byte[] body) throws IOException {
            out.writeInt(body.length);
            out.write(body);
            out.flush();
        }

        void send(ClientRequest r) throws IOException {
            frame(r.toByteArray());
        }

        ClientResponse read() throws IOException {
            int length = in.readInt();
            byte[] body = new byte[length];
            in.readFully(body);
            return ClientResponse.parseFrom(body);
        }

        ClientResponse call(ClientRequest r) throws IOException {
            send(r);
            ClientResponse response = read();
            assertThat(response.getId()).isEqualTo(r.getId());
            return response;
        }

        /** Whether the server closed the connection (EOF or reset) within the read timeout. */
        boolean closedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (EOFException | SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static ClientRequest get(long id, String ns, String key) {
        return ClientRequest.newBuilder().setId(id).setGet(ClientRequest.Get.newBuilder().setNamespace(ns)
                .setKey(bytes(key))).build();
    }

    static ClientRequest.Put.Builder put(String ns, String key, String value) {
        return ClientRequest.Put.newBuilder().setNamespace(ns).setKey(bytes(key)).setValue(bytes(value))
                .setContentType("text/plain");
    }

    static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    static ClientRequest ring(long id) {
        return ClientRequest.newBuilder().setId(id).setGetRing(ClientRequest.GetRing.getDefaultInstance()).build();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void ringDescribesTheSingleNode() throws IOException {
        try (Conn c = new Conn(address, true)) {
            ClientResponse r = c.call(ring(7));
            assertThat(r.hasRing()).isTrue();
            ClientResponse.Ring ring = r.getRing();
            assertThat(ring.getPartitions()).isEqualTo(64);
            assertThat(ring.getN()).isEqualTo(1);
            assertThat(ring.getEpoch()).isPositive();
            assertThat(ring.getResponder()).isEqualTo("n1");
            assertThat(ring.getOwnersList()).hasSize(64);
            for (int p = 0; p < 64; p++) {
                assertThat(ring.getOwners(p).getPartition()).isEqualTo(p);
                assertThat(ring.getOwners(p).getNodesList()).containsExactly("n1");
            }
            assertThat(ring.getNodesList()).singleElement().satisfies(n -> {
                assertThat(n.getId()).isEqualTo("n1");
                assertThat(n.getStatus()).isEqualTo("up");
                assertThat(n.getReachable()).isTrue();
                assertThat(n.getHttpAddress()).isEqualTo("127.0.0.1:" + server.endpoints().http().getPort());
            });
        }
    }

    @Test
    void putGetDeleteRoundTrip() throws IOException {
        try (Conn c = new Conn(address, true)) {
            ClientResponse missing = c.call(get(1, "rt", "k"));
            assertThat(missing.getGetResult().getSiblingsList()).isEmpty();
            assertThat(missing.getGetResult().getContext()).isEmpty();

            ClientResponse put = c.call(ClientRequest.newBuilder().setId(2)
                    .setPut(put("rt", "k", "v1").setReturnBody(true)).build());
            assertThat(put.hasPutResult()).isTrue();
            assertThat(put.getPutResult().getAcknowledgedList()).containsExactly("n1");
            assertThat(put.getPutResult().getSiblingsList()).singleElement()
                    .satisfies(s -> assertThat(s.getValue().toStringUtf8()).isEqualTo("v1"));
            assertThat(put.getPutResult().getContext()).isNotEmpty();

            ClientResponse got = c.call(get(3, "rt", "k"));
            ClientResponse.GetResult g = got.getGetResult();
            assertThat(g.getSiblingsList()).singleElement().satisfies(s -> {
                assertThat(s.getValue().toStringUtf8()).isEqualTo("v1");
                assertThat(s.getContentType()).isEqualTo("text/plain");
                assertThat(s.getTimestampMs()).isPositive();
            });
            ContextCodec.decode(g.getContext().toByteArray()); // the codec's bytes, as HTTP carries them

            ClientResponse overwrite = c.call(ClientRequest.newBuilder().setId(4)
                    .setPut(put("rt", "k", "v2").setContext(g.getContext())).build());
            assertThat(overwrite.hasPutResult()).isTrue();
            assertThat(overwrite.getPutResult().getSiblingsList()).isEmpty(); // no return_body
            ClientResponse again = c.call(get(5, "rt", "k"));
            assertThat(again.getGetResult().getSiblingsList()).singleElement()
                    .satisfies(s -> assertThat(s.getValue().toStringUtf8()).isEqualTo("v2"));

            ClientResponse deleted = c.call(ClientRequest.newBuilder().setId(6).setDelete(ClientRequest.Delete
                    .newBuilder().setNamespace("rt").setKey(bytes("k")).setContext(again.getGetResult().getContext()))
                    .build());
            assertThat(deleted.hasPutResult()).isTrue();
            ClientResponse gone = c.call(get(7, "rt", "k"));
            assertThat(gone.getGetResult().getSiblingsList()).isEmpty();
            assertThat(gone.getGetResult().getContext()).isNotEmpty(); // the tombstone's context
        }
        assertThat(requests("put")).isPositive();
        assertThat(requests("get")).isPositive();
        assertThat(requests("delete")).isPositive();
    }

    @Test
    void blindWritesBecomeSiblings() throws IOException {
        try (Conn c = new Conn(address, true)) {
            c.call(ClientRequest.newBuilder().setId(1).setPut(put("sib", "k", "a")).build());
            c.call(ClientRequest.newBuilder().setId(2).setPut(put("sib", "k", "b")).build());
            ClientResponse got = c.call(get(3, "sib", "k"));
            assertThat(got.getGetResult().getSiblingsList()).extracting(s -> s.getValue().toStringUtf8())
                    .containsExactlyInAnyOrder("a", "b");
        }
    }

    @Test
    void pipelinedRequestsAreAllAnsweredAndMatchedById() throws IOException {
        try (Conn c = new Conn(address, true)) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(batch);
            int count = 200;
            for (int i = 0; i < count; i++) {
                byte[] body = ClientRequest.newBuilder().setId(1000 + i)
                        .setPut(put("pipe", "k" + i, "v" + i)).build().toByteArray();
                d.writeInt(body.length);
                d.write(body);
            }
            c.out.write(batch.toByteArray());
            c.out.flush();
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < count; i++) {
                ClientResponse r = c.read();
                assertThat(r.hasPutResult()).as("response %s", r).isTrue();
                ids.add(r.getId());
            }
            assertThat(ids).hasSize(count).allSatisfy(id -> assertThat(id).isBetween(1000L, 1000L + count - 1));
            List<ClientRequest> gets = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                gets.add(get(5000 + i, "pipe", "k" + i));
            }
            for (ClientRequest g : gets) {
                c.send(g);
            }
            Map<Long, String> values = new HashMap<>();
            for (int i = 0; i < count; i++) {
                ClientResponse r = c.read();
                values.put(r.getId(), r.getGetResult().getSiblings(0).getValue().toStringUtf8());
            }
            for (int i = 0; i < count; i++) {
                assertThat(values.get(5000L + i)).isEqualTo("v" + i);
            }
        }
    }

    @Test
    void badRequestsAreAnsweredWithTypedErrorsAndTheConnectionStaysOpen() throws IOException {
        try (Conn c = new Conn(address, true)) {
            ClientResponse wOverN = c.call(ClientRequest.newBuilder().setId(1).setPut(put("err", "k", "v").setW(2))
                    .build());
            assertThat(wOverN.getError().getKind()).isEqualTo(ClientResponse.Error.Kind.INVALID_REQUEST);
            assertThat(wOverN.getError().getMessage()).contains("w");

            ClientResponse rZero = c.call(ClientRequest.newBuilder().setId(2).setGet(ClientRequest.Get.newBuilder()
                    .setNamespace("err").setKey(bytes("k")).setR(0)).build());
            assertThat(rZero.getError().getKind()).isEqualTo(ClientResponse.Error.Kind.INVALID_REQUEST);

            ClientResponse badContext = c.call(ClientRequest.newBuilder().setId(3)
                    .setPut(put("err", "k", "v").setContext(ByteString.copyFrom(new byte[] {9, 9, 9}))).build());
            assertThat(badContext.getError().getKind()).isEqualTo(ClientResponse.Error.Kind.INVALID_CONTEXT);

            ClientResponse longTimeout = c.call(ClientRequest.newBuilder().setId(4).setGet(ClientRequest.Get
                    .newBuilder().setNamespace("err").setKey(bytes("k")).setTimeoutMs(400_000)).build());
            assertThat(longTimeout.getError().getKind()).isEqualTo(ClientResponse.Error.Kind.INVALID_REQUEST);

            ClientResponse longNamespace = c.call(get(5, "n".repeat(300), "k"));
            assertThat(longNamespace.getError().getKind()).isEqualTo(ClientResponse.Error.Kind.INVALID_REQUEST);
            assertThat(longNamespace.getError().getMessage()).as("the API's word").contains("bucket name");

            ClientResponse dwOverW = c.call(ClientRequest.newBuilder().setId(6).setDelete(ClientRequest.Delete
                    .newBuilder().setNamespace("err").setKey(bytes("k")).setW(1).setDw(2)).build());
            assertThat(dwOverW.getError().getKind()).isEqualTo(ClientResponse.Error.Kind.INVALID_REQUEST);

            // still usable
            assertThat(c.call(ring(7)).hasRing()).isTrue();
        }
        assertThat(errors("put", "invalid")).isPositive();
    }

    @Test
    void garbageClosesOnlyThatConnection() throws IOException {
        try (Conn good = new Conn(address, true); Conn bad = new Conn(address, true)) {
            assertThat(good.call(ring(1)).hasRing()).isTrue();
            long before = protocol.badConnections();
            bad.frame(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
            assertThat(bad.closedByServer()).isTrue();
            assertThat(protocol.badConnections()).isEqualTo(before + 1);
            assertThat(good.call(get(2, "g", "k")).hasGetResult()).isTrue();
        }
    }

    @Test
    void aRequestWithoutKindClosesTheConnection() throws IOException {
        try (Conn c = new Conn(address, true)) {
            c.send(ClientRequest.newBuilder().setId(1).build());
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aBadHelloClosesTheConnection() throws IOException {
        try (Conn wrongVersion = new Conn(address, false)) {
            wrongVersion.frame(Hello.newBuilder().setProtocolVersion(99).build().toByteArray());
            assertThat(wrongVersion.closedByServer()).isTrue();
        }
        try (Conn peer = new Conn(address, false)) {
            peer.frame(Hello.newBuilder().setProtocolVersion(Frames.PROTOCOL_VERSION).setNodeId("n2").build()
                    .toByteArray());
            assertThat(peer.closedByServer()).isTrue();
        }
        try (Conn otherCluster = new Conn(address, false)) {
            otherCluster.frame(Hello.newBuilder().setProtocolVersion(Frames.PROTOCOL_VERSION)
                    .setClusterName("not-this-one").build().toByteArray());
            assertThat(otherCluster.closedByServer()).isTrue();
        }
        try (Conn named = new Conn(address, false)) {
            named.frame(Hello.newBuilder().setProtocolVersion(Frames.PROTOCOL_VERSION)
                    .setClusterName(server.clusterName()).build().toByteArray());
            assertThat(named.call(ring(1)).hasRing()).isTrue();
        }
    }

    @Test
    void anOversizedFrameClosesTheConnection() throws IOException {
        try (Conn c = new Conn(address, true)) {
            c.out.writeInt(server.config().maxFrameBytes() + 1);
            c.out.write(new byte[1024]);
            c.out.flush();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void requestsBeyondTheConnectionLimitAreAnsweredOverloaded() throws IOException {
        ClientProtocolServer tight = new ClientProtocolServer(server, io, 1);
        InetSocketAddress at = tight.start(new InetSocketAddress("127.0.0.1", 0));
        try (Conn c = new Conn(at, true)) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(batch);
            int count = 50;
            for (int i = 0; i < count; i++) {
                byte[] body = get(i, "tight", "k" + i).toByteArray();
                d.writeInt(body.length);
                d.write(body);
            }
            c.out.write(batch.toByteArray());
            c.out.flush();
            int overloaded = 0;
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < count; i++) {
                ClientResponse r = c.read();
                ids.add(r.getId());
                if (r.hasError()) {
                    assertThat(r.getError().getKind()).isEqualTo(ClientResponse.Error.Kind.OVERLOADED);
                    assertThat(r.getError().getRequired()).isEqualTo(1);
                    overloaded++;
                }
            }
            assertThat(ids).hasSize(count);
            assertThat(overloaded).isPositive();
        } finally {
            tight.close();
        }
    }

    @Test
    void aStoppingServerAnswersUnavailable() throws IOException {
        ClientProtocolServer stopping = new ClientProtocolServer(server, io);
        InetSocketAddress at = stopping.start(new InetSocketAddress("127.0.0.1", 0));
        try (Conn c = new Conn(at, true)) {
            assertThat(c.call(ring(1)).hasRing()).isTrue();
            stopping.stopAccepting();
            ClientResponse r = c.call(get(2, "stop", "k"));
            assertThat(r.getError().getKind()).isEqualTo(ClientResponse.Error.Kind.UNAVAILABLE);
            assertThat(stopping.openRequests()).isZero();
        } finally {
            stopping.close();
        }
    }

    @Test
    void aNodeThatDoesNotAnswerInTimeGetsTheRequestAnsweredTimeout() throws Exception {
        ClientProtocolServer impatient = new ClientProtocolServer(server, io, 16, java.time.Duration.ofMillis(200));
        InetSocketAddress at = impatient.start(new InetSocketAddress("127.0.0.1", 0));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (Conn c = new Conn(at, true)) {
            double before = errors("get", "timeout");
            server.call(() -> { // holds the node thread, as a stuck node would
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            ClientRequest request = ClientRequest.newBuilder().setId(3).setGet(ClientRequest.Get.newBuilder()
                    .setNamespace("slow").setKey(bytes("k")).setTimeoutMs(100)).build();
            ClientResponse r = c.call(request);
            assertThat(r.getError().getKind()).isEqualTo(ClientResponse.Error.Kind.TIMEOUT);
            assertThat(r.getError().getMessage()).isEqualTo("the node did not answer in time");
            assertThat(errors("get", "timeout")).isEqualTo(before + 1);
            release.countDown();
            assertThat(c.call(get(4, "slow", "k")).hasGetResult())
                    .as("the next request is served once the node is back").isTrue();
        } finally {
            release.countDown();
            impatient.close();
        }
    }

    private static long requests(String operation) {
        long total = 0;
        for (Timer t : server.metrics().registry().find("dynamo.requests").tag("operation", operation).timers()) {
            total += t.count();
        }
        return total;
    }

    private static double errors(String operation, String kind) {
        var c = server.metrics().registry().find("dynamo.requests.errors").tags("operation", operation, "kind", kind)
                .counter();
        return c == null ? 0 : c.count();
    }
}

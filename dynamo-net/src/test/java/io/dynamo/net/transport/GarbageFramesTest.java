package io.dynamo.net.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.NodeId;
import io.dynamo.net.runtime.NodeExecutor;
import io.dynamo.server.transport.Message;
import io.dynamo.wire.netty.Frames;
import io.dynamo.wire.proto.Hello;
import io.dynamo.wire.proto.PeerMessage;
import io.dynamo.wire.proto.Ping;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Garbage on a peer connection closes that one connection, is counted, and leaves every other
 * connection working: two real transports A and B on loopback, and raw sockets to B that break
 * the protocol (frame.proto, peer.proto) in every way a peer can.
 */
class GarbageFramesTest {

    private static final String CLUSTER = "garbage-test";
    private static final int MAX_FRAME = 64 * 1024;
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");

    private final Map<NodeId, InetSocketAddress> addresses = new ConcurrentHashMap<>();
    private final Set<String> arrivedAtB = ConcurrentHashMap.newKeySet();
    private final AtomicLong requestIds = new AtomicLong(1);
    private NodeExecutor threadA;
    private NodeExecutor threadB;
    private NettyTransport a;
    private NettyTransport b;

    @BeforeEach
    void start() {
        NettyTransport.Settings settings = NettyTransport.Settings.defaults(CLUSTER).withMaxFrameBytes(MAX_FRAME)
                .withHelloTimeout(Duration.ofMillis(500));
        threadA = new NodeExecutor("node-a");
        threadB = new NodeExecutor("node-b");
        a = new NettyTransport(A, new InetSocketAddress("127.0.0.1", 0), addresses::get, threadA, settings, null);
        b = new NettyTransport(B, new InetSocketAddress("127.0.0.1", 0), addresses::get, threadB, settings, null);
        a.setHandler((from, message) -> { });
        b.setHandler((from, message) -> {
            if (message instanceof Message.Ping p) {
                arrivedAtB.add(from.value() + "/" + p.requestId());
            }
        });
        addresses.put(A, a.start());
        addresses.put(B, b.start());
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        threadA.close();
        threadB.close();
    }

    // ------------------------------------------------------------------ helpers

    private static boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** A pings B; the ping arrives. */
    private void aReachesB() {
        long id = requestIds.getAndIncrement();
        a.send(B, new Message.Ping(id));
        assertThat(await(() -> arrivedAtB.contains("a/" + id))).as("A's ping %d reaches B", id).isTrue();
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static byte[] hello(int version, String nodeId, String cluster) {
        return frame(Hello.newBuilder().setProtocolVersion(version).setNodeId(nodeId).setClusterName(cluster).build()
                .toByteArray());
    }

    private static byte[] goodHello(String nodeId) {
        return hello(Frames.PROTOCOL_VERSION, nodeId, CLUSTER);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * Opens a raw connection to B, writes {@code bytes}, and asserts that B closes the
     * connection and counts it as bad input, and that A's messages still reach B afterwards.
     */
    private void bRefuses(byte[] bytes) throws IOException {
        long before = b.stats().closedForBadInput();
        InetSocketAddress at = addresses.get(B);
        try (Socket socket = new Socket(at.getHostString(), at.getPort())) {
            socket.setSoTimeout((int) LIMIT.toMillis());
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                // B closed the connection while the bytes were still going out: what is checked below
            }
            assertThat(closedByPeer(socket.getInputStream())).as("B closes the connection").isTrue();
        }
        assertThat(await(() -> b.stats().closedForBadInput() > before)).as("B counts the bad connection").isTrue();
        aReachesB();
    }

    /**
     * Reads until B closes: end of stream, or a reset (B closed with bytes of ours still unread).
     * False if B still has the connection open when the socket's read timeout passes.
     */
    private static boolean closedByPeer(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // connection reset
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aConnectionThatNeverSendsItsHelloIsClosed() throws IOException {
        long before = b.stats().closedForBadInput();
        InetSocketAddress at = addresses.get(B);
        try (Socket socket = new Socket(at.getHostString(), at.getPort())) {
            socket.setSoTimeout((int) LIMIT.toMillis());
            assertThat(closedByPeer(socket.getInputStream())).as("B closes the silent connection").isTrue();
        }
        assertThat(await(() -> b.stats().closedForBadInput() > before)).isTrue();
        aReachesB();
    }

    @Test
    void aFullQueueToAPeerRefusesSendsAsOverloaded() throws IOException {
        NodeId sink = NodeId.of("sink");
        try (java.net.ServerSocket neverReads = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                NodeExecutor thread = new NodeExecutor("node-c");
                NettyTransport c = new NettyTransport(NodeId.of("c"), new InetSocketAddress("127.0.0.1", 0),
                        id -> id.equals(sink) ? new InetSocketAddress("127.0.0.1", neverReads.getLocalPort()) : null,
                        thread, NettyTransport.Settings.defaults(CLUSTER).withMaxFrameBytes(MAX_FRAME)
                                .withMaxQueuedBytesPerPeer(MAX_FRAME), null)) {
            c.setHandler((from, message) -> { });
            c.start();
            io.dynamo.server.transport.Transport.Sent last = io.dynamo.server.transport.Transport.Sent.QUEUED;
            long sends = 0;
            while (last == io.dynamo.server.transport.Transport.Sent.QUEUED && sends < 10_000_000) {
                last = c.send(sink, new Message.Ping(++sends));
            }
            assertThat(last).as("after %d sends", sends).isEqualTo(io.dynamo.server.transport.Transport.Sent.OVERLOADED);
            assertThat(c.stats().overloadDrops()).isPositive();
            assertThat(c.send(NodeId.of("nowhere"), new Message.Ping(1))).as("no address")
                    .isEqualTo(io.dynamo.server.transport.Transport.Sent.UNREACHABLE);
        }
    }

    @Test
    void aSendsToBOverTheRealTransport() {
        aReachesB();
        aReachesB();
        assertThat(b.stats().closedForBadInput()).isZero();
        assertThat(b.stats().received()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRawSocketSpeakingTheProtocolIsHeard() throws IOException {
        // the control for the cases below: this Hello and this framing are what B expects
        InetSocketAddress at = addresses.get(B);
        try (Socket socket = new Socket(at.getHostString(), at.getPort())) {
            byte[] ping = PeerMessage.newBuilder().setPing(Ping.newBuilder().setRequestId(77)).build().toByteArray();
            socket.getOutputStream().write(concat(goodHello("x"), frame(ping)));
            socket.getOutputStream().flush();
            assertThat(await(() -> arrivedAtB.contains("x/77"))).isTrue();
        }
        assertThat(b.stats().closedForBadInput()).isZero();
    }

    @Test
    void randomBytesCloseTheConnection() throws IOException {
        aReachesB();
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            // enough bytes to complete any frame the first four announce, so B never waits for more
            byte[] bytes = new byte[4 + MAX_FRAME + 1024];
            random.nextBytes(bytes);
            bRefuses(bytes);
        }
        for (long seed = 1; seed <= 5; seed++) {
            // a length B accepts, then random bytes: a garbage frame where the Hello belongs
            Random random = new Random(seed);
            byte[] body = new byte[1 + random.nextInt(4096)];
            random.nextBytes(body);
            bRefuses(frame(body));
            // and after a good Hello
            bRefuses(concat(goodHello("x"), frame(body)));
        }
    }

    @Test
    void aLengthPrefixOverMaxFrameBytesClosesTheConnection() throws IOException {
        aReachesB();
        byte[] tooLong = ByteBuffer.allocate(4 + 1024).putInt(MAX_FRAME + 1).array();
        bRefuses(tooLong);
        bRefuses(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
        // a negative length
        bRefuses(ByteBuffer.allocate(8).putInt(-1).array());
        // over the limit after a good Hello, too
        bRefuses(concat(goodHello("x"), ByteBuffer.allocate(4).putInt(MAX_FRAME + 1).array()));
    }

    @Test
    void aGoodHelloThenAGarbageFrameClosesTheConnection() throws IOException {
        aReachesB();
        byte[] garbage = new byte[100];
        new Random(42).nextBytes(garbage);
        bRefuses(concat(goodHello("x"), frame(garbage)));
        bRefuses(concat(goodHello("x"), frame(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})));
        // an empty frame: a PeerMessage with no body
        bRefuses(concat(goodHello("x"), frame(new byte[0])));
    }

    @Test
    void aPeerMessageWithAnUnknownBodyClosesTheConnection() throws IOException {
        aReachesB();
        // field 99, length-delimited, empty: a oneof member this version does not know
        byte[] unknown = {(byte) ((99 << 3 | 2) & 0x7f | 0x80), (byte) ((99 << 3 | 2) >>> 7), 0};
        assertThat(PeerMessage.parseFrom(unknown).getBodyCase()).isEqualTo(PeerMessage.BodyCase.BODY_NOT_SET);
        bRefuses(concat(goodHello("x"), frame(unknown)));
        // the same after a valid message on the connection
        byte[] ping = PeerMessage.newBuilder().setPing(Ping.newBuilder().setRequestId(5)).build().toByteArray();
        bRefuses(concat(goodHello("y"), frame(ping), frame(unknown)));
        assertThat(arrivedAtB).contains("y/5");
    }

    @Test
    void aHelloFromAnotherClusterClosesTheConnection() throws IOException {
        aReachesB();
        bRefuses(hello(Frames.PROTOCOL_VERSION, "x", "another-cluster"));
        bRefuses(hello(Frames.PROTOCOL_VERSION, "x", ""));
    }

    @Test
    void aHelloOfAnotherProtocolVersionClosesTheConnection() throws IOException {
        aReachesB();
        bRefuses(hello(Frames.PROTOCOL_VERSION + 1, "x", CLUSTER));
        bRefuses(hello(0, "x", CLUSTER));
    }

    @Test
    void aHelloWithABadNodeIdClosesTheConnection() throws IOException {
        aReachesB();
        bRefuses(hello(Frames.PROTOCOL_VERSION, "not a node id!", CLUSTER));
        bRefuses(hello(Frames.PROTOCOL_VERSION, "", CLUSTER));
    }

    @Test
    void aFirstFrameThatIsNotAHelloClosesTheConnection() throws IOException {
        aReachesB();
        byte[] ping = PeerMessage.newBuilder().setPing(Ping.newBuilder().setRequestId(9)).build().toByteArray();
        bRefuses(frame(ping)); // a peer message where the Hello belongs
        bRefuses(frame(new byte[] {(byte) 0xff, (byte) 0xff}));
        assertThat(arrivedAtB).noneMatch(s -> s.endsWith("/9"));
    }

    @Test
    void garbageOnOneConnectionLeavesTheOthersOpen() throws IOException {
        aReachesB();
        InetSocketAddress at = addresses.get(B);
        try (Socket good = new Socket(at.getHostString(), at.getPort())) {
            good.getOutputStream().write(goodHello("g"));
            good.getOutputStream().flush();
            bRefuses(concat(goodHello("x"), frame(new byte[] {1, 2, 3})));
            bRefuses(hello(Frames.PROTOCOL_VERSION, "x", "elsewhere"));
            byte[] ping = PeerMessage.newBuilder().setPing(Ping.newBuilder().setRequestId(1234)).build().toByteArray();
            good.getOutputStream().write(frame(ping));
            good.getOutputStream().flush();
            assertThat(await(() -> arrivedAtB.contains("g/1234"))).isTrue();
        }
        aReachesB();
        assertThat(b.stats().closedForBadInput()).isEqualTo(2);
        assertThat(a.stats().closedForBadInput()).isZero();
    }
}

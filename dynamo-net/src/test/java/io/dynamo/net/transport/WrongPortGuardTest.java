package io.dynamo.net.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.NodeId;
import io.dynamo.net.runtime.NodeExecutor;
import io.dynamo.net.wire.PeerCodec;
import io.dynamo.server.transport.Message;
import io.dynamo.wire.netty.Frames;
import io.dynamo.wire.proto.Hello;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP or TLS sent to the peer port by mistake (curl at the wrong port) is answered with a plain
 * HTTP 400 that says which port this is and where the HTTP API is, then closed; real peers, whose
 * first bytes are a frame's length, are not affected. Two real transports on loopback, and raw
 * sockets.
 */
class WrongPortGuardTest {

    private static final String CLUSTER = "wrong-port-test";
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");

    private final Map<NodeId, InetSocketAddress> addresses = new ConcurrentHashMap<>();
    private final Set<String> arrivedAtB = ConcurrentHashMap.newKeySet();
    private NodeExecutor threadA;
    private NodeExecutor threadB;
    private NettyTransport a;
    private NettyTransport b;

    @BeforeEach
    void start() {
        NettyTransport.Settings settings = NettyTransport.Settings.defaults(CLUSTER);
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

    /** Whether {@code condition} came to hold within {@link #LIMIT}, polled every 5 ms. */
    private static boolean await(BooleanSupplier condition) {
        try {
            org.awaitility.Awaitility.await().atMost(LIMIT).pollInterval(Duration.ofMillis(5))
                    .until(condition::getAsBoolean);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    /** What B answers {@code bytes} with, read until B closes the connection. */
    private String answerTo(byte[] bytes) throws IOException {
        InetSocketAddress at = addresses.get(B);
        try (Socket socket = new Socket(at.getHostString(), at.getPort())) {
            socket.setSoTimeout((int) LIMIT.toMillis());
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    @Test
    void anHttpRequestIsToldThisIsThePeerPortAndWhereTheApiIs() throws IOException {
        b.httpAddress(InetSocketAddress.createUnresolved("127.0.0.1", 8082));
        long before = b.stats().closedForBadInput();
        String answer = answerTo(ascii("GET /buckets/carts/keys/alice HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "User-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"));
        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close\r\n")
                .contains("Content-Type: text/plain");
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(body).isEqualTo("this is the peer port of node b, for node-to-node traffic; the HTTP API is at "
                + "http://127.0.0.1:8082\n");
        assertThat(answer).contains("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
        assertThat(b.stats().closedForBadInput()).as("counted as a bad connection").isEqualTo(before + 1);
    }

    @Test
    void withoutAnHttpAddressTheAnswerPointsAtTheConfiguration() throws IOException {
        assertThat(answerTo(ascii("PUT /buckets/b/keys/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv")))
                .startsWith("HTTP/1.1 400 ").contains("peer port of node b").contains("http_address");
    }

    @Test
    void everyMethodCurlSendsIsRecognized() throws IOException {
        for (String method : new String[] {"GET", "PUT", "POST", "HEAD", "DELETE", "OPTIONS", "PATCH"}) {
            assertThat(answerTo(ascii(method + " / HTTP/1.1\r\nHost: x\r\n\r\n"))).as(method)
                    .startsWith("HTTP/1.1 400 ").contains("peer port");
        }
    }

    @Test
    void aTlsClientHelloIsToldTheNodeSpeaksPlainHttp() throws IOException {
        // the start of a TLS 1.2/1.3 ClientHello record: handshake (0x16), version 3.1, a length, type 1
        byte[] hello = {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01, 0x00, 0x00, (byte) 0xc4, 0x03, 0x03};
        assertThat(answerTo(hello)).startsWith("HTTP/1.1 400 ").contains("peer port").contains("TLS");
    }

    @Test
    void aRequestThatComesInPiecesIsAnsweredOnce() throws IOException {
        long before = b.stats().closedForBadInput();
        InetSocketAddress at = addresses.get(B);
        try (Socket socket = new Socket(at.getHostString(), at.getPort())) {
            socket.setSoTimeout((int) LIMIT.toMillis());
            socket.getOutputStream().write(ascii("GE"));
            socket.getOutputStream().flush();
            socket.getOutputStream().write(ascii("T / HTTP/1.1\r\nHost: x\r\n\r\n"));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
            assertThat(answer.indexOf("HTTP/1.1", 1)).as("one answer").isNegative();
        }
        assertThat(b.stats().closedForBadInput()).isEqualTo(before + 1);
    }

    @Test
    void realPeersAreNotAffected() throws IOException {
        answerTo(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        a.send(B, new Message.Ping(1));
        assertThat(await(() -> arrivedAtB.contains("a/1"))).as("A's ping reaches B").isTrue();

        // a peer whose Hello arrives a byte at a time: the guard waits for four bytes, then steps aside
        byte[] hello = frame(Hello.newBuilder().setProtocolVersion(Frames.PROTOCOL_VERSION).setNodeId("raw")
                .setClusterName(CLUSTER).build().toByteArray());
        byte[] ping = frame(PeerCodec.encode(new Message.Ping(7)));
        InetSocketAddress at = addresses.get(B);
        try (Socket socket = new Socket(at.getHostString(), at.getPort())) {
            socket.setTcpNoDelay(true);
            for (byte x : hello) {
                socket.getOutputStream().write(x);
                socket.getOutputStream().flush();
            }
            socket.getOutputStream().write(ping);
            socket.getOutputStream().flush();
            assertThat(await(() -> arrivedAtB.contains("raw/7"))).as("the raw peer's ping reaches B").isTrue();
        }
    }
}

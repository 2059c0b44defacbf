package io.dynamo.net.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.NodeId;
import io.dynamo.net.runtime.NodeExecutor;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Netty transport tells the node, on its thread, when a connection to a peer is lost: a
 * peer that goes away closes it at once, and an address with nothing listening refuses it. That
 * is what lets requests in flight to a killed node fail at once rather than at their timeout.
 */
class ConnectionLossTest {

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId GONE = NodeId.of("gone");

    private final NettyTransportContractTest.NettyHarness harness = new NettyTransportContractTest.NettyHarness();
    private final List<String> lost = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aPeerThatGoesAwayIsReportedLostOnTheNodeThread() {
        Transport a = harness.endpoint(A);
        List<Message> atB = new CopyOnWriteArrayList<>();
        NettyTransport b = (NettyTransport) harness.endpoint(B);
        b.setHandler((from, m) -> atB.add(m));
        a.setHandler((from, m) -> { });
        a.onConnectionLost((peer, reason, maybeDelivered) -> {
            assertThat(Thread.currentThread().getName()).isEqualTo("node-a");
            lost.add(peer + ": " + reason + (maybeDelivered ? " (maybe delivered)" : ""));
        });
        assertThat(a.send(B, new Message.Ping(1))).isEqualTo(Transport.Sent.QUEUED);
        assertThat(harness.await(() -> atB.size() == 1, Duration.ofSeconds(10))).isTrue();
        assertThat(lost).isEmpty();

        b.close(); // as a killed process's kernel would: every connection to it closes

        assertThat(harness.await(() -> !lost.isEmpty(), Duration.ofSeconds(10))).as("loss reported").isTrue();
        assertThat(lost.get(0)).isEqualTo("b: the connection to b closed (maybe delivered)");
    }

    @Test
    void anAddressWithNothingListeningIsReportedLost() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        NodeExecutor thread = new NodeExecutor("node-x");
        try (NettyTransport x = new NettyTransport(NodeId.of("x"), new InetSocketAddress("127.0.0.1", 0),
                id -> id.equals(GONE) ? new InetSocketAddress("127.0.0.1", port) : null, thread,
                NettyTransport.Settings.defaults("contract"), null)) {
            x.start();
            x.setHandler((from, m) -> { });
            x.onConnectionLost((peer, reason, maybeDelivered) -> lost.add(peer + ": " + reason
                    + (maybeDelivered ? " (maybe delivered)" : "")));
            assertThat(x.send(GONE, new Message.Ping(1))).isEqualTo(Transport.Sent.QUEUED);
            assertThat(harness.await(() -> !lost.isEmpty(), Duration.ofSeconds(10))).as("loss reported").isTrue();
            assertThat(lost.get(0)).startsWith("gone: cannot connect to gone at");
            // While it backs off, a send is refused at once (no loss to report: nothing was queued).
            assertThat(x.send(GONE, new Message.Ping(2))).isEqualTo(Transport.Sent.UNREACHABLE);
        } finally {
            thread.close();
        }
    }
}

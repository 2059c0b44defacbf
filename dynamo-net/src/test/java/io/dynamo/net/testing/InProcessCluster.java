package io.dynamo.net.testing;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.Endpoints;
import io.dynamo.net.server.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster of {@link DynamoServer}s in this JVM on free loopback ports (nodes n1, n2, ...; N=3,
 * R=2, W=2; 16 partitions), ready once every node reaches every other and knows its client
 * address. For other modules' tests (the client's, the load generator's, the CLI's).
 */
public final class InProcessCluster implements AutoCloseable {

    private final List<DynamoServer> servers = new ArrayList<>();
    private final List<InetSocketAddress> clientAddresses = new ArrayList<>();

    private InProcessCluster() {
    }

    /**
     * Starts {@code nodes} servers under {@code dataRoot}. The ports are probed free first; one
     * taken between the probe and the bind (by another process, or an outgoing connection's
     * ephemeral port) fails that attempt, and the cluster is started again on other ports, in a
     * fresh folder, up to five times.
     */
    public static InProcessCluster start(Path dataRoot, int nodes) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(attempt == 1 ? dataRoot : dataRoot.resolve("attempt-" + attempt), nodes);
            } catch (IllegalStateException e) {
                if (attempt >= 5 || !String.valueOf(e.getMessage()).startsWith("cannot ")) {
                    throw e;
                }
            }
        }
    }

    private static InProcessCluster startOnce(Path dataRoot, int nodes) throws IOException {
        InProcessCluster cluster = new InProcessCluster();
        try {
            int[] peerPorts = freePorts(nodes);
            int[] clientPorts = freePorts(nodes);
            StringBuilder seeds = new StringBuilder();
            StringBuilder members = new StringBuilder();
            for (int i = 0; i < nodes; i++) {
                seeds.append(i == 0 ? "" : ",").append("n").append(i + 1).append("@127.0.0.1:").append(peerPorts[i]);
                members.append(i == 0 ? "" : ",").append("n").append(i + 1);
            }
            for (int i = 0; i < nodes; i++) {
                Map<String, String> settings = new HashMap<>();
                settings.put("node_id", "n" + (i + 1));
                settings.put("data_dir", dataRoot.resolve("n" + (i + 1)).toString());
                settings.put("peer_address", "127.0.0.1:" + peerPorts[i]);
                settings.put("client_address", "127.0.0.1:" + clientPorts[i]);
                settings.put("http_address", "127.0.0.1:0");
                settings.put("initial_members", members.toString());
                settings.put("seeds", seeds.toString());
                settings.put("partitions", "16");
                settings.put("defaults.n", "3");
                settings.put("defaults.r", "2");
                settings.put("defaults.w", "2");
                settings.put("gossip_interval_ms", "100");
                settings.put("shutdown_grace_ms", "500");
                settings.put("storage.block_cache_mb", "8");
                settings.put("storage.write_buffer_mb", "8");
                cluster.servers.add(DynamoServer.start(ServerConfig.of(settings)));
                cluster.clientAddresses.add(new InetSocketAddress("127.0.0.1", clientPorts[i]));
            }
            cluster.awaitReady(nodes, Duration.ofSeconds(20));
            return cluster;
        } catch (IOException | RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    public List<InetSocketAddress> clientAddresses() {
        return List.copyOf(clientAddresses);
    }

    /** The servers, node n{@code i + 1} at index {@code i}. */
    public List<DynamoServer> servers() {
        return List.copyOf(servers);
    }

    /** Waits until every node knows every member's client address and reaches every peer. */
    private void awaitReady(int nodes, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!servers.stream().allMatch(s -> s.onNodeThread(() -> {
            var node = s.node().orElseThrow();
            ClusterState state = node.clusterState().orElseThrow();
            return state.members().size() == nodes && node.unreachablePeers().isEmpty()
                    && state.members().values().stream().allMatch(e -> Endpoints.parse(e.address())
                            .map(ep -> ep.client().getPort() > 0).orElse(false));
        }))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the cluster was not ready within " + limit);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0);
                open.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return ports;
    }

    /** Stops every server (stopping one that a test already closed is harmless). */
    @Override
    public void close() {
        for (DynamoServer s : servers) {
            s.close();
        }
    }
}

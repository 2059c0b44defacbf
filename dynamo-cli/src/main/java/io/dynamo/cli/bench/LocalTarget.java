package io.dynamo.cli.bench;

import io.dynamo.cli.server.LocalCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A throwaway local cluster for a benchmark: {@code nodes} server processes on 127.0.0.1, as
 * {@code dynamo dev up} starts them ({@link LocalCluster}), in a fresh temporary folder on free
 * ports. {@link #close()} stops every node and deletes the folder; it is safe to call from a
 * shutdown hook and from the main thread at once (the second call waits for the first).
 */
public final class LocalTarget implements AutoCloseable {

    /** The server JVMs' options: as {@code dev up}'s, but with the full JIT (dev up stops at C1). */
    public static final List<String> SERVER_JVM_OPTIONS = List.of("-Xms256m", "-Xmx512m", "-XX:+UseSerialGC",
            "--enable-native-access=ALL-UNNAMED");

    /**
     * A system property with more server JVM options, separated by spaces, {@code {node}} standing for
     * the node's id: how to profile a benchmark's servers, e.g. {@code DYNAMO_JAVA_OPTS=
     * "-Ddynamo.bench.serverJvmOptions=-XX:StartFlightRecording=filename=/tmp/{node}.jfr"}.
     */
    public static final String EXTRA_JVM_OPTIONS_PROPERTY = "dynamo.bench.serverJvmOptions";

    /** Partitions of the cluster (as {@code dev up}). */
    public static final int PARTITIONS = 64;

    private final int nodes;
    private final Path data;
    private final int basePort;
    private final LocalCluster cluster;
    private boolean closed;

    private LocalTarget(int nodes, Path data, int basePort) {
        this.nodes = nodes;
        this.data = data;
        this.basePort = basePort;
        this.cluster = new LocalCluster(data, "bench", PARTITIONS, basePort, nodes)
                .withJvmOptions(serverJvmOptions(System.getProperty(EXTRA_JVM_OPTIONS_PROPERTY, "")))
                .withExtraConfig(quorums(nodes));
    }

    /** {@link #SERVER_JVM_OPTIONS} followed by the space-separated {@code extra} options. */
    static List<String> serverJvmOptions(String extra) {
        List<String> options = new ArrayList<>(SERVER_JVM_OPTIONS);
        for (String option : extra.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return List.copyOf(options);
    }

    /** Picks a temporary folder and free ports; starts nothing yet. */
    public static LocalTarget create(int nodes) throws IOException {
        Path data = Files.createTempDirectory("dynamo-bench-");
        return new LocalTarget(nodes, data, freeBasePort(nodes));
    }

    /** With fewer than 3 nodes, N is the node count and R = W a majority of it; else the defaults. */
    private static String quorums(int nodes) {
        if (nodes >= 3) {
            return "";
        }
        int majority = nodes / 2 + 1;
        return "defaults: {n: " + nodes + ", r: " + majority + ", w: " + majority + ", dw: 1}\n";
    }

    /** Starts every node and waits until the cluster is ready. */
    public synchronized void start(Duration readyTimeout) {
        if (closed) {
            throw new IllegalStateException("stopped");
        }
        cluster.start();
        cluster.awaitReady(readyTimeout);
    }

    public int nodes() {
        return nodes;
    }

    public Path data() {
        return data;
    }

    /** The nodes' client protocol addresses. */
    public List<InetSocketAddress> clientAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (LocalCluster.Node n : cluster.nodes()) {
            out.add(new InetSocketAddress("127.0.0.1", n.clientPort()));
        }
        return out;
    }

    /** The server processes' ids (for CPU accounting, pausing and killing). */
    public List<Long> pids() {
        List<Long> out = new ArrayList<>();
        for (LocalCluster.Node n : cluster.nodes()) {
            Process p = n.process();
            if (p != null) {
                out.add(p.pid());
            }
        }
        return out;
    }

    /** The underlying cluster (to kill or restart one node). */
    public LocalCluster cluster() {
        return cluster;
    }

    /** One line for reports: what the cluster is. */
    public String describe() {
        String quorums = nodes >= 3 ? "N=3, R=2, W=2" : "N=" + nodes + ", R=W=" + (nodes / 2 + 1);
        return "throwaway local cluster of " + nodes + (nodes == 1 ? " node" : " nodes") + " on 127.0.0.1 (one "
                + "server process each, RocksDB in a temporary folder, " + PARTITIONS + " partitions, " + quorums
                + ", client ports " + (basePort + 1001) + "-" + (basePort + 1000 + nodes) + ")";
    }

    /** Stops every node (SIGTERM, then waits) and deletes the data folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cluster.close();
        } finally {
            deleteTree(data);
        }
    }

    /** Deletes a folder and all in it, best effort (a temporary folder left behind fails nothing). */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort: a temporary folder left behind is not worth failing the run for.
        }
    }

    /** A base port whose peer, HTTP and client ports (base - 1000 + i, base + i, base + 1000 + i) are free. */
    static int freeBasePort(int nodes) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(21_000, 50_000);
            if (free(base, nodes)) {
                return base;
            }
        }
        throw new IllegalStateException("found no free range of ports for " + nodes + " nodes");
    }

    private static boolean free(int base, int nodes) {
        for (int i = 1; i <= nodes; i++) {
            for (int port : new int[] {base - 1000 + i, base + i, base + 1000 + i}) {
                try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }
}

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
 * {@code dynamo dev up} starts them ({@link LocalCluster}), in a fresh temporary folder, on free
 * ports or on those of a given base port. {@link #close()} stops every node and deletes the folder; it is safe to call from a
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

    /**
     * A temporary folder and the ports of {@code basePort} (checked with {@link #checkBasePort}
     * first); starts nothing yet.
     */
    public static LocalTarget create(int nodes, int basePort) throws IOException {
        Path data = Files.createTempDirectory("dynamo-bench-");
        return new LocalTarget(nodes, data, basePort);
    }

    /** The lowest base port: every peer port (base - 1000 + i) above the privileged range. */
    public static final int MIN_BASE_PORT = 2024;

    /**
     * Why {@code base} cannot be the base port of {@code nodes} nodes, or null when it can: each node
     * i needs its peer port base - 1000 + i, HTTP port base + i and client port base + 1000 + i, all
     * from 1025 to 65535 and free on 127.0.0.1 now.
     */
    public static String checkBasePort(int base, int nodes) {
        int max = 65535 - 1000 - nodes;
        if (base < MIN_BASE_PORT || base > max) {
            return "--base-port must be from " + MIN_BASE_PORT + " to " + max + " for " + nodes + " nodes (node i uses "
                    + "base - 1000 + i, base + i and base + 1000 + i, from 1025 to 65535), was " + base;
        }
        List<String> busy = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            String[] roles = {"peer", "HTTP", "client"};
            int[] ports = {base - 1000 + i, base + i, base + 1000 + i};
            for (int k = 0; k < ports.length; k++) {
                if (!free(ports[k])) {
                    busy.add(ports[k] + " (n" + i + "'s " + roles[k] + " port)");
                }
            }
        }
        if (busy.isEmpty()) {
            return null;
        }
        return "--base-port " + base + ": port" + (busy.size() == 1 ? " " : "s ")
                + String.join(", ", busy.subList(0, Math.min(3, busy.size())))
                + (busy.size() > 3 ? " and " + (busy.size() - 3) + " more" : "") + (busy.size() == 1 ? " is" : " are")
                + " in use on 127.0.0.1 (a dev up? see 'ss -ltnp'); choose another --base-port, or leave it out "
                + "for free ports";
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
                + ", HTTP ports " + (basePort + 1) + "-" + (basePort + nodes) + ", client ports " + (basePort + 1001)
                + "-" + (basePort + 1000 + nodes) + ")";
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
                if (!free(port)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code port} can be listened on at 127.0.0.1 now. */
    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

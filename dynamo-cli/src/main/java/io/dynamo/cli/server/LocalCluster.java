package io.dynamo.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of Dynamo server processes on 127.0.0.1, each a child JVM running
 * {@code Main server --config} with its own data folder, config and log. Used by
 * {@code dynamo dev up} and by the end-to-end tests. Children stop by themselves when this
 * process dies.
 */
public final class LocalCluster implements AutoCloseable {

    /** A node could not be started, or the cluster did not become ready. */
    public static final class StartException extends RuntimeException {
        public StartException(String message) {
            super(message);
        }
    }

    /** One node: its id, ports, folder, and its process while running. */
    public final class Node {
        private final int index;
        private final boolean initial;
        private Process process;

        Node(int index, boolean initial) {
            this.index = index;
            this.initial = initial;
        }

        public String id() {
            return "n" + index;
        }

        public int httpPort() {
            return basePort + index;
        }

        public int peerPort() {
            return basePort - 1000 + index;
        }

        public int clientPort() {
            return basePort + 1000 + index;
        }

        public Path dir() {
            return data.resolve(id());
        }

        public Path log() {
            return dir().resolve("server.log");
        }

        public Process process() {
            return process;
        }

        public String url(String path) {
            return "http://127.0.0.1:" + httpPort() + path;
        }

        public boolean running() {
            return process != null && process.isAlive();
        }

        /** Starts the node's process (again, after a stop or kill), and writes its PID file. */
        public void start() {
            if (running()) {
                throw new IllegalStateException(id() + " is running");
            }
            try {
                Files.createDirectories(dir());
                Files.writeString(NodePidFile.config(dir()), config(), StandardCharsets.UTF_8);
                process = launch(dir(), jvmOptions, ProcessHandle.current().pid());
            } catch (IOException e) {
                throw new StartException("cannot start " + id() + ": " + e.getMessage());
            }
        }

        private String config() {
            StringBuilder y = new StringBuilder();
            y.append("node_id: ").append(id()).append('\n');
            y.append("cluster_name: ").append(clusterName).append('\n');
            y.append("zone: z").append((index - 1) % 3 + 1).append('\n');
            y.append("data_dir: ").append(dir().toAbsolutePath()).append('\n');
            y.append("peer_address: 127.0.0.1:").append(peerPort()).append('\n');
            y.append("client_address: 127.0.0.1:").append(clientPort()).append('\n');
            y.append("http_address: 127.0.0.1:").append(httpPort()).append('\n');
            y.append("partitions: ").append(partitions).append('\n');
            if (initial) {
                y.append("initial_members: [");
                for (int i = 1; i <= initialSize; i++) {
                    y.append(i > 1 ? ", " : "").append('n').append(i);
                }
                y.append("]\n");
                y.append("seeds: [");
                for (int i = 1; i <= initialSize; i++) {
                    y.append(i > 1 ? ", " : "").append('n').append(i).append("@127.0.0.1:").append(basePort - 1000 + i);
                }
                y.append("]\n");
            }
            y.append(extraConfig);
            return y.toString();
        }

        /** SIGTERM: the graceful stop; waits for the process to end. */
        public void stop() {
            if (process != null) {
                process.destroy();
                waitFor(Duration.ofSeconds(30));
            }
        }

        /** SIGKILL: the process dies at once, losing what it had not made durable. */
        public void kill() {
            if (process != null) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(10));
            }
        }

        private void waitFor(Duration limit) {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** GET {@code path} on this node's HTTP port; the body as JSON. */
        public JsonNode getJson(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(path)))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        }

        /** The last lines of the node's log, for error messages. */
        public String logTail(int lines) {
            try {
                List<String> all = Files.readAllLines(log());
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }

    /** What stopping one node did ({@link #stopAll}). */
    public record NodeStop(String node, long pid, Outcome outcome) {
    }

    /** How a node was found and stopped. */
    public enum Outcome {
        /** A process this cluster started, stopped by SIGTERM. */
        STOPPED,
        /** A process its PID file names, started by someone else ({@code dev start}), stopped by SIGTERM. */
        STOPPED_RESTARTED,
        /** Did not end within 30 s of SIGTERM: SIGKILLed. */
        KILLED_AFTER_TIMEOUT,
        /** No process ran it. */
        NOT_RUNNING,
        /** Its PID file names a live process that is not this node's: left alone. */
        FOREIGN
    }

    /** The JVM options of {@code dev up}'s (and {@code dev start}'s) servers: small heaps, fast start. */
    public static final List<String> DEV_JVM_OPTIONS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /**
     * Starts {@code dynamo server --config NODE_DIR/node.yaml} (the absolute path, which is what
     * {@link NodePidFile} checks) in a child JVM like this one, its output appended to
     * {@code server.log}, and writes its PID file. With {@code parentPid} above 0 the server stops by
     * itself once that process is gone.
     */
    static Process launch(Path nodeDir, List<String> jvmOptions, long parentPid) throws IOException {
        String id = nodeDir.getFileName().toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String option : jvmOptions) {
            cmd.add(option.replace("{node}", id));
        }
        cmd.add("-Dlogback.configurationFile=" + serverLogConfig());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.dynamo.cli.Main");
        cmd.add("server");
        cmd.add("--config");
        cmd.add(NodePidFile.config(nodeDir).toString());
        if (parentPid > 0) {
            cmd.add("--exit-with-parent");
            cmd.add(Long.toString(parentPid));
        }
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("server.log").toFile()));
        java.io.File devNull = new java.io.File("/dev/null");
        if (devNull.exists()) {
            builder.redirectInput(devNull); // no pipe tied to the starting JVM's life
        }
        Process process = builder.start();
        NodePidFile.write(nodeDir, process.pid());
        return process;
    }

    private final Path data;
    private final String clusterName;
    private final int partitions;
    private final int basePort;
    private final int initialSize;
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private List<String> jvmOptions = DEV_JVM_OPTIONS;
    private String extraConfig = "";

    public LocalCluster(Path data, String clusterName, int partitions, int basePort, int initialSize) {
        this.data = data.toAbsolutePath().normalize();
        this.clusterName = clusterName;
        this.partitions = partitions;
        this.basePort = basePort;
        this.initialSize = initialSize;
        for (int i = 1; i <= initialSize; i++) {
            nodes.add(new Node(i, true));
        }
    }

    /** Extra YAML lines for every node's config (e.g. {@code "replica_timeout_ms: 500\n"}). */
    public LocalCluster withExtraConfig(String yaml) {
        this.extraConfig = yaml;
        return this;
    }

    /** JVM options for the children; {@code {node}} in an option becomes the node's id (n1, n2, ...). */
    public LocalCluster withJvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public Node node(int index) {
        return nodes.get(index - 1);
    }

    /** A new node, not an initial member and with no seeds: it waits for {@code POST /admin/join}. */
    public Node addNode() {
        Node n = new Node(nodes.size() + 1, false);
        nodes.add(n);
        return n;
    }

    /** Starts every initial node. */
    public void start() {
        for (Node n : nodes) {
            if (n.initial) {
                n.start();
            }
        }
    }

    /**
     * Waits until every running node answers, is up, sees all running nodes as up and reachable
     * on a settled ring, and has its connections to them open (no connection still backing off
     * after a peer that was not listening yet).
     */
    public void awaitReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() - deadline < 0) {
            for (Node n : nodes) {
                if (n.process != null && !n.process.isAlive()) {
                    throw new StartException(n.id() + " exited with code " + n.process.exitValue() + "; its log ("
                            + n.log() + ") ends:\n" + n.logTail(15));
                }
            }
            String problem = readiness();
            if (problem == null) {
                return;
            }
            last = problem;
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartException("interrupted while waiting for the cluster");
            }
        }
        throw new StartException("the cluster was not ready after " + limit.toSeconds() + " s: " + last);
    }

    /** Why the cluster is not ready, or null when it is. */
    public String readiness() {
        List<Node> running = nodes.stream().filter(Node::running).toList();
        for (Node n : running) {
            try {
                JsonNode members = n.getJson("/admin/members").path("members");
                JsonNode status = n.getJson("/admin/status");
                if (!status.path("ring_settled").asBoolean(false)) {
                    return n.id() + ": ring change under way";
                }
                int up = 0;
                for (JsonNode m : members) {
                    if (m.path("status").asText().equals("up") && m.path("reachable").asBoolean()) {
                        up++;
                    }
                }
                if (up < running.size()) {
                    return n.id() + " sees " + up + " of " + running.size() + " nodes up and reachable";
                }
                int connected = status.path("transport").path("open_outbound").asInt();
                if (connected < running.size() - 1) {
                    return n.id() + " has connections open to " + connected + " of " + (running.size() - 1) + " peers";
                }
            } catch (IOException e) {
                return n.id() + " does not answer on " + n.url("/admin/status") + " yet";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return null;
    }

    /** Stops every node gracefully ({@link #stopAll}). */
    @Override
    public void close() {
        stopAll();
    }

    /**
     * Stops every node of the cluster gracefully: SIGTERM to all at once, then waits (30 s each,
     * then SIGKILL). A node is its process when this cluster started it and it still runs, else the
     * process its PID file names, when that is really the node's ({@link NodePidFile}): a node that
     * was killed and restarted by {@code dev start} is stopped too. Folders under the data folder
     * that are not this cluster's nodes but have a live node process (a {@code dev start} of an
     * older node) count as nodes. Returns what was done, node by node.
     */
    public List<NodeStop> stopAll() {
        record Target(String node, Path dir, Process child, ProcessHandle handle, Outcome outcome) {
        }
        List<Target> targets = new ArrayList<>();
        java.util.Set<Path> dirs = new java.util.LinkedHashSet<>();
        for (Node n : nodes) {
            dirs.add(n.dir());
        }
        try (java.util.stream.Stream<Path> children = Files.list(data)) {
            children.filter(d -> Files.exists(NodePidFile.file(d))).sorted().forEach(dirs::add);
        } catch (IOException e) {
            // no data folder: only the nodes this cluster knows
        }
        for (Path dir : dirs) {
            String id = dir.getFileName().toString();
            Node own = nodes.stream().filter(n -> n.dir().equals(dir)).findFirst().orElse(null);
            if (own != null && own.running()) {
                own.process.destroy();
                targets.add(new Target(id, dir, own.process, own.process.toHandle(), Outcome.STOPPED));
                continue;
            }
            switch (NodePidFile.find(dir)) {
                case NodePidFile.Running r -> {
                    r.process().destroy();
                    targets.add(new Target(id, dir, null, r.process(), Outcome.STOPPED_RESTARTED));
                }
                case NodePidFile.Foreign f -> targets.add(new Target(id, dir, null,
                        ProcessHandle.of(f.pid()).orElse(null), Outcome.FOREIGN));
                case NodePidFile.NotRunning x -> {
                    if (own != null) {
                        targets.add(new Target(id, dir, null, null, Outcome.NOT_RUNNING));
                    }
                }
            }
        }
        List<NodeStop> done = new ArrayList<>();
        for (Target t : targets) {
            Outcome outcome = t.outcome();
            if (outcome == Outcome.STOPPED || outcome == Outcome.STOPPED_RESTARTED) {
                if (!awaitExit(t.handle(), STOP_GRACE)) {
                    t.handle().destroyForcibly();
                    awaitExit(t.handle(), Duration.ofSeconds(10));
                    outcome = Outcome.KILLED_AFTER_TIMEOUT;
                }
                if (t.child() != null) {
                    try {
                        t.child().waitFor(); // reaped, so its exit code is known
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                NodePidFile.removeIf(t.dir(), t.handle().pid());
            }
            done.add(new NodeStop(t.node(), t.handle() == null ? -1 : t.handle().pid(), outcome));
        }
        return done;
    }

    /** Waits up to {@code limit} for {@code process} to end; false if it still runs. */
    static boolean awaitExit(ProcessHandle process, Duration limit) {
        try {
            process.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * The server's own Logback configuration (dynamo-net's {@code logback.xml}), by URL: a test's
     * class path may hold a {@code logback-test.xml} that Logback would prefer (WARN only), and a
     * node's log must read as a user's does (INFO, cluster events).
     */
    private static String serverLogConfig() {
        String base = io.dynamo.net.server.DynamoServer.class.getProtectionDomain().getCodeSource().getLocation()
                .toString();
        return base.endsWith(".jar") ? "jar:" + base + "!/logback.xml" : base + (base.endsWith("/") ? "" : "/")
                + "logback.xml";
    }
}

package io.dynamo.peer.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A local Apache Cassandra cluster of 1 to 3 nodes, each a separate JVM process started from the jars
 * in {@code dynamo-cassandra-peer/target/cassandra-lib}. Node {@code i} (1-based) listens on the loopback
 * address {@code 127.0.0.i} (Linux routes all of 127/8 to {@code lo}) with the standard ports: storage
 * 7000, native (CQL) 9042; its local JMX port is {@code 7199 + i}. Node 1 is the seed.
 *
 * <p>Typical use by a benchmark orchestrator:
 * <pre>{@code
 * try (CassandraCluster cluster = CassandraCluster.create(CassandraCluster.Settings.builder()
 *         .nodes(3).cassandraLib(CassandraPeer.requireLib(root)).log(System.out::println).build())) {
 *     cluster.start();
 *     ... run the workload against cluster.contactPoints(), sample /proc/<pid>/stat for cluster.pids() ...
 *     cluster.pause();   // SIGSTOP while the other system is measured
 *     cluster.resume();  // SIGCONT
 * }
 * }</pre>
 *
 * <p>The class uses only the JDK. All methods are thread-safe; {@link #close()} is idempotent and may run
 * from the shutdown hook that {@link #start()} registers while another thread is still starting nodes.
 */
public final class CassandraCluster implements AutoCloseable {

    public static final int MAX_NODES = 3;
    public static final int STORAGE_PORT = 7000;
    public static final int NATIVE_PORT = 9042;
    /** Node {@code i} uses the local JMX port {@code JMX_PORT_BASE + i}. */
    public static final int JMX_PORT_BASE = 7199;
    public static final int NUM_TOKENS = 16;
    public static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

    /**
     * The JVM options of Apache Cassandra 5.0's {@code conf/jvm17-server.options} (the G1 section, the
     * attach permission, the module exports/opens Cassandra needs on Java 17, and the Netty properties).
     * Heap size, the configuration location and the log directory are added per node by {@link #command}.
     */
    static final List<String> JVM17_SERVER_OPTIONS = List.of(
            // G1 settings
            "-XX:+UseG1GC",
            "-XX:+ParallelRefProcEnabled",
            "-XX:MaxTenuringThreshold=1",
            "-XX:G1HeapRegionSize=16m",
            "-XX:G1RSetUpdatingPauseTimePercent=5",
            "-XX:MaxGCPauseMillis=300",
            "-XX:InitiatingHeapOccupancyPercent=70",
            // lets Cassandra's own tooling attach to the JVM
            "-Djdk.attach.allowAttachSelf=true",
            // JDK internals Cassandra uses on Java 17
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            // Netty
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.useCacheForAllThreads=true",
            "-Dio.netty.allocator.maxOrder=11");

    /** Cassandra's logging: one file, {@code <node dir>/logs/system.log}, no console output. */
    static final String LOGBACK_XML = """
            <configuration>
              <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                <file>${cassandra.logdir}/system.log</file>
                <encoder><pattern>%d %-5level [%thread] %logger{20} %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="FILE"/></root>
            </configuration>
            """;

    /** Environment variables that would change the nodes' JVM options behind our back. */
    private static final List<String> SCRUBBED_ENV = List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS");

    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int LOG_TAIL_LINES = 40;
    private static final Duration KILL_WAIT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(500);

    /**
     * What to run.
     *
     * @param nodes           number of nodes, 1 to 3
     * @param baseDir         directory for the nodes' data, configuration and logs; must be absent or empty.
     *                        {@code null}: a fresh temporary directory, created by {@link #start()}
     * @param keepBaseDir     keep the base directory on {@link #close()} (default: delete it)
     * @param cassandraLib    directory with Cassandra's jars ({@link CassandraPeer#findLib})
     * @param java            the {@code bin/java} of a Java 17 (or 11) runtime ({@link CassandraPeer#findJava17})
     * @param heapMb          heap per node in MB ({@code -Xms} = {@code -Xmx}), default 512
     * @param clusterName     Cassandra's cluster_name (letters, digits, {@code _ . -}), default "dynamo-peer"
     * @param startupTimeout  how long one node may take to open its native port, default 180 s
     * @param stopTimeout     how long {@link #close()} waits after SIGTERM before SIGKILL, default 45 s
     * @param extraJvmOptions JVM options appended after the standard ones, default none
     * @param log             receives progress lines, default discards them
     */
    public record Settings(
            int nodes,
            Path baseDir,
            boolean keepBaseDir,
            Path cassandraLib,
            Path java,
            int heapMb,
            String clusterName,
            Duration startupTimeout,
            Duration stopTimeout,
            List<String> extraJvmOptions,
            Consumer<String> log) {

        public static final int DEFAULT_HEAP_MB = 512;
        public static final String DEFAULT_CLUSTER_NAME = "dynamo-peer";
        public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(180);
        public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(45);

        public Settings {
            if (nodes < 1 || nodes > MAX_NODES) {
                throw new IllegalArgumentException("nodes must be between 1 and " + MAX_NODES + " (got " + nodes
                        + "): the Cassandra peer runs its nodes on the loopback addresses 127.0.0.1 to 127.0.0."
                        + MAX_NODES);
            }
            if (cassandraLib == null) {
                throw new IllegalArgumentException("cassandraLib is required: the directory with Cassandra's jars,"
                        + " e.g. CassandraPeer.requireLib(projectRoot) (built by ./dynamo build or mvn -pl "
                        + CassandraPeer.MODULE_DIR + " package)");
            }
            if (java == null) {
                throw new IllegalArgumentException("java is required: the bin/java of a Java 17 runtime,"
                        + " e.g. CassandraPeer.requireJava17()");
            }
            if (heapMb < 256) {
                throw new IllegalArgumentException("heapMb must be at least 256 (got " + heapMb + ")");
            }
            if (clusterName == null || !CLUSTER_NAME.matcher(clusterName).matches()) {
                throw new IllegalArgumentException("clusterName must be 1 to 64 letters, digits, '_', '.' or '-' (got "
                        + (clusterName == null ? "null" : "'" + clusterName + "'") + ")");
            }
            requirePositive("startupTimeout", startupTimeout);
            requirePositive("stopTimeout", stopTimeout);
            extraJvmOptions = extraJvmOptions == null ? List.of() : List.copyOf(extraJvmOptions);
            if (log == null) {
                log = line -> { };
            }
            baseDir = baseDir == null ? null : baseDir.toAbsolutePath().normalize();
            cassandraLib = cassandraLib.toAbsolutePath().normalize();
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive (got " + d + ")");
            }
        }

        public static Builder builder() {
            return new Builder();
        }
    }

    /** Builds {@link Settings} with the defaults documented there. */
    public static final class Builder {
        private int nodes = 1;
        private Path baseDir;
        private boolean keepBaseDir;
        private Path cassandraLib;
        private Path java;
        private int heapMb = Settings.DEFAULT_HEAP_MB;
        private String clusterName = Settings.DEFAULT_CLUSTER_NAME;
        private Duration startupTimeout = Settings.DEFAULT_STARTUP_TIMEOUT;
        private Duration stopTimeout = Settings.DEFAULT_STOP_TIMEOUT;
        private List<String> extraJvmOptions = List.of();
        private Consumer<String> log;

        private Builder() {}

        public Builder nodes(int nodes) { this.nodes = nodes; return this; }
        public Builder baseDir(Path baseDir) { this.baseDir = baseDir; return this; }
        public Builder keepBaseDir(boolean keep) { this.keepBaseDir = keep; return this; }
        public Builder cassandraLib(Path dir) { this.cassandraLib = dir; return this; }
        /** The {@code bin/java} to run Cassandra with; if not set, {@link #build()} uses {@link CassandraPeer#requireJava17()}. */
        public Builder java(Path javaExecutable) { this.java = javaExecutable; return this; }
        public Builder heapMb(int heapMb) { this.heapMb = heapMb; return this; }
        public Builder clusterName(String name) { this.clusterName = name; return this; }
        public Builder startupTimeout(Duration timeout) { this.startupTimeout = timeout; return this; }
        public Builder stopTimeout(Duration timeout) { this.stopTimeout = timeout; return this; }
        public Builder extraJvmOptions(List<String> options) { this.extraJvmOptions = options; return this; }
        public Builder log(Consumer<String> log) { this.log = log; return this; }

        public Settings build() {
            Path javaExe = java != null ? java : CassandraPeer.requireJava17();
            return new Settings(nodes, baseDir, keepBaseDir, cassandraLib, javaExe, heapMb, clusterName,
                    startupTimeout, stopTimeout, extraJvmOptions, log);
        }
    }

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    private static final class Node {
        final int number;
        final Path dir;
        final Process process;
        final long launchedNanos;

        Node(int number, Path dir, Process process, long launchedNanos) {
            this.number = number;
            this.dir = dir;
            this.process = process;
            this.launchedNanos = launchedNanos;
        }
    }

    private final Settings settings;
    private final Object lock = new Object();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    // Guarded by lock.
    private State state = State.NEW;
    private final List<Node> nodes = new ArrayList<>();
    private Path baseDir;
    private Thread shutdownHook;
    private boolean paused;

    private volatile String javaVersion;

    private CassandraCluster(Settings settings) {
        this.settings = settings;
    }

    /**
     * A cluster for these settings, not started yet. Checks that the jars and the Java runtime are usable.
     *
     * @throws IllegalStateException if the jars are missing or the runtime is not Java 11 or 17; the message
     *                               says how to fix it
     */
    public static CassandraCluster create(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        if (!CassandraPeer.isLibDir(settings.cassandraLib())) {
            throw new IllegalStateException(CassandraPeer.missingLibMessage(settings.cassandraLib()));
        }
        Path java = settings.java();
        if (!Files.isRegularFile(java) || !Files.isExecutable(java)) {
            throw new IllegalStateException("Java executable not found: " + java + ". "
                    + CassandraPeer.missingJavaMessage());
        }
        CassandraCluster cluster = new CassandraCluster(settings);
        Optional<String> version = CassandraPeer.javaVersion(java);
        OptionalInt feature = version.map(CassandraPeer::featureVersion).orElse(OptionalInt.empty());
        if (feature.isPresent() && !CassandraPeer.SUPPORTED_JAVA.contains(feature.getAsInt())) {
            throw new IllegalStateException("Cassandra " + CassandraPeer.VERSION + " runs on Java 11 or 17, but "
                    + java + " is Java " + version.get() + ". Set CASSANDRA_JAVA_HOME to the home of a JDK 17"
                    + " or pass the java of one.");
        }
        cluster.javaVersion = version.orElse("unknown version");
        return cluster;
    }

    public Settings settings() {
        return settings;
    }

    /** The Cassandra version: {@value CassandraPeer#VERSION}. */
    public static String version() {
        return CassandraPeer.VERSION;
    }

    /**
     * Starts the nodes one after another: node {@code i + 1} is launched only when node {@code i} accepts
     * TCP connections on its native port (Cassandra cannot bootstrap several nodes at once). Registers a
     * shutdown hook that closes the cluster. May be called once.
     *
     * @throws IllegalStateException if a port is taken, a node dies or does not come up within the startup
     *                               timeout (the message has the tail of its logs), or the cluster was closed
     *                               meanwhile. The nodes already started are stopped before it is thrown.
     */
    public void start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("start() may be called once; this cluster is " + stateName());
            }
            state = State.STARTING;
        }
        long t0 = System.nanoTime();
        try {
            checkPortsFree();
            Path logback;
            synchronized (lock) {
                requireNotClosing();
                // Set only once it is ours to delete: a non-empty directory is refused, never cleaned.
                baseDir = prepareBaseDir(settings.baseDir());
                logback = baseDir.resolve("logback.xml");
                Files.writeString(logback, LOGBACK_XML, StandardCharsets.UTF_8);
                shutdownHook = new Thread(this::close, "cassandra-peer-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            settings.log().accept("Cassandra " + CassandraPeer.VERSION + ": starting " + settings.nodes()
                    + " node(s) in " + baseDir + " (Java " + javaVersion + ", heap " + settings.heapMb() + " MB/node)");
            for (int i = 1; i <= settings.nodes(); i++) {
                Node node = launch(i, logback);
                awaitUp(node);
            }
            synchronized (lock) {
                requireNotClosing();
                state = State.RUNNING;
            }
            settings.log().accept(String.format(Locale.ROOT, "Cassandra cluster of %d node(s) up in %.1f s",
                    settings.nodes(), seconds(System.nanoTime() - t0)));
        } catch (IOException e) {
            closeAfterFailedStart();
            throw new UncheckedIOException("Cannot prepare the Cassandra nodes' directories: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            closeAfterFailedStart();
            throw e;
        }
    }

    private void closeAfterFailedStart() {
        if (!closing.get()) {
            close();
        }
    }

    private void requireNotClosing() {
        if (closing.get()) {
            throw new IllegalStateException("the Cassandra cluster was closed while starting");
        }
    }

    private void checkPortsFree() {
        for (int i = 1; i <= settings.nodes(); i++) {
            InetAddress address = nodeAddress(i);
            for (int port : new int[] {NATIVE_PORT, STORAGE_PORT}) {
                if (accepts(address, port, 300)) {
                    throw portTaken(address.getHostAddress() + ":" + port);
                }
            }
            if (accepts(InetAddress.getLoopbackAddress(), JMX_PORT_BASE + i, 300)) {
                throw portTaken("127.0.0.1:" + (JMX_PORT_BASE + i) + " (JMX)");
            }
        }
    }

    private static IllegalStateException portTaken(String where) {
        return new IllegalStateException("Port " + where + " is already in use; is another Cassandra running?"
                + " Look with: ps -ef | grep CassandraDaemon");
    }

    private static Path prepareBaseDir(Path requested) throws IOException {
        if (requested == null) {
            return Files.createTempDirectory("dynamo-cassandra-").toAbsolutePath();
        }
        if (Files.isDirectory(requested)) {
            try (var entries = Files.list(requested)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException("The Cassandra base directory " + requested
                            + " is not empty; choose a new directory (it is deleted on close unless kept).");
                }
            }
            return requested;
        }
        return Files.createDirectories(requested);
    }

    private Node launch(int i, Path logback) throws IOException {
        synchronized (lock) {
            requireNotClosing();
            Path dir = baseDir.resolve("node" + i);
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(dir.resolve("cassandra.yaml"), yaml(settings, i, dir), StandardCharsets.UTF_8);
            List<String> command = command(settings, i, dir, logback);
            Files.write(dir.resolve("command.txt"), command, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("out.log").toFile());
            SCRUBBED_ENV.forEach(pb.environment()::remove);
            Process process = pb.start();
            process.getOutputStream().close();
            Node node = new Node(i, dir, process, System.nanoTime());
            nodes.add(node);
            settings.log().accept("Cassandra node " + i + " (" + nodeAddress(i).getHostAddress() + ") launched, pid "
                    + process.pid());
            return node;
        }
    }

    private void awaitUp(Node node) {
        InetAddress address = nodeAddress(node.number);
        long deadline = node.launchedNanos + settings.startupTimeout().toNanos();
        long nextReport = node.launchedNanos + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            requireNotClosing();
            if (!node.process.isAlive()) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "Cassandra node %d (%s) exited with code %d %.1f s after launch, before opening its native port."
                                + "%n%s", node.number, address.getHostAddress(), node.process.exitValue(),
                        seconds(System.nanoTime() - node.launchedNanos), logTails(node)));
            }
            if (accepts(address, NATIVE_PORT, 500)) {
                settings.log().accept(String.format(Locale.ROOT, "Cassandra node %d up in %.1f s (%s:%d accepts connections)",
                        node.number, seconds(System.nanoTime() - node.launchedNanos), address.getHostAddress(), NATIVE_PORT));
                return;
            }
            long now = System.nanoTime();
            if (now - deadline > 0) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "Cassandra node %d did not open %s:%d within %d s (startup timeout).%n%s", node.number,
                        address.getHostAddress(), NATIVE_PORT, settings.startupTimeout().toSeconds(), logTails(node)));
            }
            if (now - nextReport > 0) {
                settings.log().accept(String.format(Locale.ROOT, "Cassandra node %d still starting (%.0f s)",
                        node.number, seconds(now - node.launchedNanos)));
                nextReport += TimeUnit.SECONDS.toNanos(30);
            }
            sleep(POLL);
        }
    }

    private static String logTails(Node node) {
        Path systemLog = node.dir.resolve("logs").resolve("system.log");
        Path out = node.dir.resolve("out.log");
        String nl = System.lineSeparator();
        return "--- last lines of " + systemLog + " ---" + nl + CassandraPeer.tail(systemLog, LOG_TAIL_LINES) + nl
                + "--- last lines of " + out + " ---" + nl + CassandraPeer.tail(out, LOG_TAIL_LINES);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Cassandra", e);
        }
    }

    static boolean accepts(InetAddress address, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The loopback address of node {@code i} (1-based): {@code 127.0.0.i}. */
    static InetAddress nodeAddress(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** cassandra.yaml for node {@code i} (1-based) whose files live under {@code nodeDir}. */
    static String yaml(Settings settings, int i, Path nodeDir) {
        String address = nodeAddress(i).getHostAddress();
        String seed = nodeAddress(1).getHostAddress() + ":" + STORAGE_PORT;
        return String.join("\n",
                "# Written by io.dynamo.peer.cassandra.CassandraCluster for node " + i + " of " + settings.nodes() + ".",
                "cluster_name: \"" + settings.clusterName() + "\"",
                "num_tokens: " + NUM_TOKENS,
                "allocate_tokens_for_local_replication_factor: " + Math.min(3, settings.nodes()),
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"" + seed + "\"",
                "listen_address: " + address,
                "rpc_address: " + address,
                "storage_port: " + STORAGE_PORT,
                "native_transport_port: " + NATIVE_PORT,
                "endpoint_snitch: SimpleSnitch",
                "data_file_directories: [" + quote(nodeDir.resolve("data")) + "]",
                "commitlog_directory: " + quote(nodeDir.resolve("commitlog")),
                "saved_caches_directory: " + quote(nodeDir.resolve("saved_caches")),
                "hints_directory: " + quote(nodeDir.resolve("hints")),
                "cdc_raw_directory: " + quote(nodeDir.resolve("cdc_raw")),
                "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms",
                "start_native_transport: true",
                "");
    }

    private static String quote(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The command line of node {@code i} (1-based). */
    static List<String> command(Settings settings, int i, Path nodeDir, Path logbackFile) {
        List<String> cmd = new ArrayList<>();
        cmd.add(settings.java().toString());
        cmd.addAll(JVM17_SERVER_OPTIONS);
        cmd.add("-Xms" + settings.heapMb() + "m");
        cmd.add("-Xmx" + settings.heapMb() + "m");
        cmd.addAll(settings.extraJvmOptions());
        cmd.add("-Dcassandra.config=" + nodeDir.resolve("cassandra.yaml").toUri());
        cmd.add("-Dcassandra.storagedir=" + nodeDir);
        cmd.add("-Dcassandra.logdir=" + nodeDir.resolve("logs"));
        cmd.add("-Dlogback.configurationFile=" + logbackFile);
        cmd.add("-Dcassandra.jmx.local.port=" + (JMX_PORT_BASE + i));
        cmd.add("-Dcassandra-foreground=yes");
        // Marks the process as ours in `ps` output.
        cmd.add("-Ddynamo.peer.node=" + settings.clusterName() + "/" + i);
        cmd.add("-cp");
        cmd.add(settings.cassandraLib().resolve("*").toString());
        cmd.add(MAIN_CLASS);
        return cmd;
    }

    /** The native (CQL) address of every node, in node order; known before {@link #start()}. */
    public List<InetSocketAddress> contactPoints() {
        List<InetSocketAddress> points = new ArrayList<>();
        for (int i = 1; i <= settings.nodes(); i++) {
            points.add(new InetSocketAddress(nodeAddress(i), NATIVE_PORT));
        }
        return List.copyOf(points);
    }

    /** The process ids of the nodes launched so far, in node order (a killed node keeps its entry). */
    public List<Long> pids() {
        synchronized (lock) {
            return nodes.stream().map(n -> n.process.pid()).toList();
        }
    }

    /** The processes of the nodes launched so far, in node order. */
    public List<ProcessHandle> processes() {
        synchronized (lock) {
            return nodes.stream().map(n -> n.process.toHandle()).toList();
        }
    }

    /** The base directory, once {@link #start()} has chosen it. */
    public Optional<Path> baseDir() {
        synchronized (lock) {
            return Optional.ofNullable(baseDir);
        }
    }

    /** Node {@code i}'s (1-based) Cassandra log, {@code <base>/node<i>/logs/system.log}. */
    public Optional<Path> systemLog(int node) {
        checkNode(node);
        return baseDir().map(b -> b.resolve("node" + node).resolve("logs").resolve("system.log"));
    }

    /** True when {@link #start()} has completed and the cluster is not closed. */
    public boolean isRunning() {
        synchronized (lock) {
            return state == State.RUNNING;
        }
    }

    /** True while the nodes are stopped by {@link #pause()}. */
    public boolean isPaused() {
        synchronized (lock) {
            return paused;
        }
    }

    /**
     * Stops all nodes with SIGSTOP so that an idle Cassandra takes no CPU while another system is measured.
     * Returns once every live node is in the stopped state ({@code T} in /proc/&lt;pid&gt;/stat).
     */
    public void pause() {
        synchronized (lock) {
            requireRunning("pause");
            signal(nodes, "STOP");
            paused = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (Node node : nodes) {
                while (node.process.isAlive() && procState(node.process.pid()) != 'T') {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("Cassandra node " + node.number + " (pid "
                                + node.process.pid() + ") did not stop after SIGSTOP");
                    }
                    sleep(Duration.ofMillis(10));
                }
            }
            settings.log().accept("Cassandra paused (SIGSTOP)");
        }
    }

    /** Continues the nodes stopped by {@link #pause()} (SIGCONT). */
    public void resume() {
        synchronized (lock) {
            requireRunning("resume");
            signal(nodes, "CONT");
            paused = false;
            settings.log().accept("Cassandra resumed (SIGCONT)");
        }
    }

    private void requireRunning(String what) {
        if (state != State.RUNNING) {
            throw new IllegalStateException("cannot " + what + " a Cassandra cluster that is " + stateName());
        }
    }

    private String stateName() {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** Kills node {@code node} (1-based, the node on 127.0.0.&lt;node&gt;) with SIGKILL and waits for it to exit. */
    public void kill(int node) {
        checkNode(node);
        Process process;
        synchronized (lock) {
            if (node > nodes.size()) {
                throw new IllegalStateException("Cassandra node " + node + " has not been started");
            }
            process = nodes.get(node - 1).process;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Cassandra node " + node + " (pid " + process.pid()
                        + ") did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing Cassandra node " + node, e);
        }
        settings.log().accept("Cassandra node " + node + " killed (SIGKILL)");
    }

    private void checkNode(int node) {
        if (node < 1 || node > settings.nodes()) {
            throw new IllegalArgumentException("node must be between 1 and " + settings.nodes() + " (got " + node + ")");
        }
    }

    private static void signal(List<Node> targets, String signal) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        for (Node node : targets) {
            if (node.process.isAlive()) {
                command.add(Long.toString(node.process.pid()));
            }
        }
        if (command.size() == 2) {
            return;
        }
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            kill.getOutputStream().close();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", command) + "` did not finish");
            }
            if (kill.exitValue() != 0) {
                throw new IllegalStateException("`" + String.join(" ", command) + "` failed with exit code "
                        + kill.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal, e);
        }
    }

    /** The state letter of a process in /proc/&lt;pid&gt;/stat (R, S, D, T, Z ...), or '?' if unknown. */
    static char procState(long pid) {
        try {
            return parseProcState(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** The state field of a /proc/&lt;pid&gt;/stat line: the first character after ") " (the name may hold ')'). */
    static char parseProcState(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return '?';
        }
        return stat.charAt(close + 2);
    }

    /**
     * Stops the cluster: SIGCONT if paused, SIGTERM to every node, SIGKILL to those still alive after the stop
     * timeout; then deletes the base directory unless {@link Settings#keepBaseDir()}. Idempotent; a second
     * caller (e.g. the shutdown hook) waits for the first to finish.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        try {
            List<Node> toStop;
            Thread hook;
            Path dir;
            boolean wasPaused;
            synchronized (lock) {
                state = State.CLOSED;
                toStop = List.copyOf(nodes);
                hook = shutdownHook;
                shutdownHook = null;
                dir = baseDir;
                wasPaused = paused;
                paused = false;
            }
            stopAll(toStop, wasPaused);
            if (dir != null && !settings.keepBaseDir()) {
                deleteTree(dir);
            } else if (dir != null) {
                settings.log().accept("Cassandra files kept in " + dir);
            }
            if (hook != null && Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The JVM is exiting; the hook will find the cluster closed.
                }
            }
        } finally {
            closed.countDown();
        }
    }

    private void awaitClosed() {
        long limit = settings.stopTimeout().plus(KILL_WAIT).plusSeconds(30).toMillis();
        try {
            closed.await(limit, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAll(List<Node> toStop, boolean wasPaused) {
        List<Node> alive = toStop.stream().filter(n -> n.process.isAlive()).toList();
        if (alive.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        boolean interrupted = false;
        if (wasPaused) {
            try {
                signal(alive, "CONT");
            } catch (RuntimeException e) {
                // SIGKILL below stops stopped processes too.
            }
        }
        for (Node node : alive) {
            node.process.destroy(); // SIGTERM: Cassandra's shutdown hook drains and flushes
        }
        long deadline = t0 + settings.stopTimeout().toNanos();
        for (Node node : alive) {
            long left = deadline - System.nanoTime();
            try {
                if (!interrupted && left > 0) {
                    node.process.waitFor(left, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (Node node : alive) {
            if (node.process.isAlive()) {
                settings.log().accept("Cassandra node " + node.number + " (pid " + node.process.pid()
                        + ") still running after SIGTERM; sending SIGKILL");
                node.process.destroyForcibly();
            }
        }
        for (Node node : alive) {
            try {
                node.process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
                node.process.destroyForcibly();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        settings.log().accept(String.format(Locale.ROOT, "Cassandra stopped: %d node(s) in %.1f s",
                alive.size(), seconds(System.nanoTime() - t0)));
    }

    private void deleteTree(Path dir) {
        List<String> failures = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) {
                    delete(d);
                    return FileVisitResult.CONTINUE;
                }

                private void delete(Path p) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        failures.add(p + ": " + e.getMessage());
                    }
                }
            });
        } catch (IOException e) {
            failures.add(dir + ": " + e.getMessage());
        }
        if (!failures.isEmpty()) {
            settings.log().accept("Could not delete all of " + dir + ": " + failures.get(0)
                    + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more)" : ""));
        }
    }

    /** One line for reports, e.g. "Apache Cassandra 5.0.9, 3 nodes (127.0.0.1-3), num_tokens 16, heap 512 MB/node, Java 17.0.15 (/usr/...)". */
    public String describe() {
        String addresses = settings.nodes() == 1 ? "127.0.0.1" : "127.0.0.1-" + settings.nodes();
        return "Apache Cassandra " + CassandraPeer.VERSION + ", " + settings.nodes()
                + (settings.nodes() == 1 ? " node (" : " nodes (") + addresses + "), num_tokens " + NUM_TOKENS
                + ", heap " + settings.heapMb() + " MB/node, G1 (jvm17-server.options), Java " + javaVersion
                + " (" + settings.java() + ")";
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    @Override
    public String toString() {
        return "CassandraCluster[" + describe() + ", " + stateNameLocked() + "]";
    }

    private String stateNameLocked() {
        synchronized (lock) {
            return stateName();
        }
    }
}

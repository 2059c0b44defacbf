package io.dynamo.cli.server;

import io.dynamo.cli.Main;
import io.dynamo.cli.MissingSubcommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dynamo dev ...}: a local cluster of separate server processes for development. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "A local cluster of separate Dynamo server processes on 127.0.0.1.",
        subcommands = {DevCommand.Up.class, DevStart.class, DevKill.class})
public final class DevCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw MissingSubcommand.of(spec);
    }

    /** {@code dynamo dev up}: starts the cluster, waits until it is ready, and stops it on Ctrl-C or SIGTERM. */
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Starts a local cluster: node i serves HTTP on base-port + i (8081, 8082, ... by "
                    + "default), the peer protocol on base-port - 1000 + i and the client protocol on "
                    + "base-port + 1000 + i, with RocksDB data under --data. Waits until every node is up and "
                    + "sees every other, prints the endpoints, and stops every node cleanly on Ctrl-C or SIGTERM: "
                    + "also a node restarted meanwhile with 'dev start' (found by the PID file in its folder).",
                "Refuses to start while a dev up or a node of the same data folder still runs."})
    public static final class Up implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--nodes", defaultValue = "5", description = "Nodes to start (1 to 9; default ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--base-port", defaultValue = "8080",
                description = "Node i serves HTTP on this + i (default ${DEFAULT-VALUE}).")
        int basePort;

        @Option(names = "--data", defaultValue = "data/dev", description = "Data folder (default ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--fresh", description = "Delete the data folder first: start from empty.")
        boolean fresh;

        @Option(names = "--partitions", defaultValue = "64",
                description = "Partitions of a new cluster (default ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--cluster-name", defaultValue = "dev", description = "Default ${DEFAULT-VALUE}.")
        String clusterName;

        @Option(names = "--ready-timeout", defaultValue = "120",
                description = "Seconds to wait for the cluster to be ready (default ${DEFAULT-VALUE}).")
        int readyTimeout;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (nodes < 1 || nodes > 9) {
                err.println("dynamo: --nodes must be from 1 to 9, was " + nodes);
                return Main.USAGE;
            }
            if (basePort < 1100 || basePort + 1000 + nodes > 65535) {
                err.println("dynamo: --base-port must leave room for base-port - 1000 and base-port + 1000 + nodes, "
                        + "was " + basePort);
                return Main.USAGE;
            }
            String busy = stillRunning(data);
            if (busy != null) {
                err.println("dynamo: " + busy);
                return Main.FAILURE;
            }
            if (fresh && Files.exists(data)) {
                deleteTree(data);
            }
            ProcessHandle self = ProcessHandle.current();
            NodePidFile.DevUp.write(data, self);
            LocalCluster cluster = new LocalCluster(data, clusterName, partitions, basePort, nodes);
            CountDownLatch done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.println("stopping every node of " + data.toAbsolutePath().normalize() + " (SIGTERM) ...");
                out.flush();
                List<LocalCluster.NodeStop> stops = cluster.stopAll();
                NodePidFile.DevUp.remove(data, self);
                for (String line : summary(stops)) {
                    out.println(line);
                }
                out.flush();
                done.countDown();
            }, "dev-stop"));
            out.println("starting " + nodes + " nodes of cluster '" + clusterName + "' under " + data.toAbsolutePath()
                    + " (logs: <node>/server.log) ...");
            out.flush();
            try {
                cluster.start();
                cluster.awaitReady(java.time.Duration.ofSeconds(readyTimeout));
            } catch (LocalCluster.StartException e) {
                err.println("dynamo: " + e.getMessage());
                err.flush();
                System.exit(Main.FAILURE); // the hook stops what did start
            }
            out.println();
            out.printf("%-5s %-22s %-22s %-22s%n", "node", "http", "peer", "client");
            for (LocalCluster.Node n : cluster.nodes()) {
                out.printf("%-5s %-22s %-22s %-22s%n", n.id(), "http://127.0.0.1:" + n.httpPort(),
                        "127.0.0.1:" + n.peerPort(), "127.0.0.1:" + n.clientPort());
            }
            out.println();
            out.println("ready. Try: curl -i -XPUT -d 'hello' http://127.0.0.1:" + cluster.nodes().get(0).httpPort()
                    + "/buckets/demo/keys/k1   (Ctrl-C stops the cluster)");
            out.println("Kill a node: ./dynamo dev kill n" + nodes + "; start it again: ./dynamo dev start n" + nodes
                    + (data.equals(Path.of("data/dev")) ? "" : " (with --data " + data + ")"));
            out.flush();
            done.await();
            return Main.OK;
        }

        /** Why a dev up on {@code data} must not start (a dev up or a node of it still runs), or null. */
        static String stillRunning(Path data) {
            Path abs = data.toAbsolutePath().normalize();
            var devUp = NodePidFile.DevUp.find(abs);
            if (devUp.isPresent()) {
                return "a dev up already runs on " + abs + " (pid " + devUp.get().pid() + "): stop it with Ctrl-C "
                        + "in its terminal, or give another --data";
            }
            List<String> running = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            if (Files.isDirectory(abs)) {
                try (Stream<Path> dirs = Files.list(abs)) {
                    for (Path dir : dirs.sorted().toList()) {
                        if (NodePidFile.find(dir) instanceof NodePidFile.Running r) {
                            running.add(dir.getFileName() + " (pid " + r.pid() + ")");
                            ids.add(dir.getFileName().toString());
                        }
                    }
                } catch (IOException e) {
                    return null; // the start will say what is wrong with the folder
                }
            }
            if (running.isEmpty()) {
                return null;
            }
            return "nodes of " + abs + " still run: " + String.join(", ", running) + ". Stop them first: "
                    + ids.stream().map(id -> "./dynamo dev kill " + id + " --signal TERM")
                            .collect(java.util.stream.Collectors.joining("; "));
        }

        /** What stopping did, honestly: which nodes were stopped and how, and which were not running. */
        static List<String> summary(List<LocalCluster.NodeStop> stops) {
            List<String> stopped = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (LocalCluster.NodeStop s : stops) {
                switch (s.outcome()) {
                    case STOPPED -> stopped.add(s.node() + " (pid " + s.pid() + ")");
                    case STOPPED_RESTARTED -> stopped.add(s.node() + " (pid " + s.pid() + ", restarted by 'dev start')");
                    case KILLED_AFTER_TIMEOUT -> lines.add(s.node() + " (pid " + s.pid()
                            + ") did not stop within 30 s of SIGTERM: killed with SIGKILL");
                    case NOT_RUNNING -> lines.add(s.node() + " was not running");
                    case FOREIGN -> lines.add(s.node() + ": its PID file names process " + s.pid()
                            + ", which is not this folder's node: left alone");
                }
            }
            List<String> out = new ArrayList<>();
            out.add(stopped.isEmpty() ? "no node was running" : "stopped " + String.join(", ", stopped));
            out.addAll(lines);
            return out;
        }

        private static void deleteTree(Path root) throws IOException {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}

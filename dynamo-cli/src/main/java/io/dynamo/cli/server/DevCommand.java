package io.dynamo.cli.server;

import io.dynamo.cli.Main;
import io.dynamo.cli.MissingSubcommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
        subcommands = {DevCommand.Up.class})
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
                    + "sees every other, prints the endpoints, and stops every node cleanly on Ctrl-C or SIGTERM."})
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
            if (fresh && Files.exists(data)) {
                deleteTree(data);
            }
            LocalCluster cluster = new LocalCluster(data, clusterName, partitions, basePort, nodes);
            CountDownLatch done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.println("stopping " + nodes + " nodes ...");
                out.flush();
                cluster.close();
                out.println("stopped");
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
            out.flush();
            done.await();
            return Main.OK;
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

package io.dynamo.cli.bench;

import io.dynamo.bench.load.BenchReport;
import io.dynamo.bench.load.KeyDistribution;
import io.dynamo.bench.load.LoadGenerator;
import io.dynamo.bench.load.OperationMix;
import io.dynamo.bench.load.ReportFormat;
import io.dynamo.bench.load.RunInfo;
import io.dynamo.bench.load.WorkloadSpec;
import io.dynamo.cli.Main;
import io.dynamo.cli.bench.compare.CompareCommand;
import io.dynamo.cli.server.LocalCluster;
import io.dynamo.client.DynamoClient;
import io.dynamo.client.DynamoClientException;
import io.dynamo.client.Routing;
import io.dynamo.wire.HostPort;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo bench}: a load generator through the Java client, against a running cluster
 * ({@code --seeds}) or a throwaway local one. Prints a progress line a second on stderr, then the
 * report ({@link ReportFormat#text}) on stdout. Future {@code bench} commands are subcommands of
 * this one ({@code bench jmh} is the launcher's: it runs the JMH jar).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Load generator through the Java client: YCSB-style workloads, closed loop or at a target rate, "
                    + "with throughput and HdrHistogram latency percentiles (p50, p99, p99.9, max) per operation.",
            "Without --seeds it starts a throwaway local cluster of --nodes server processes (temporary folder, "
                    + "free ports or those of --base-port), runs, prints the report, and stops the cluster (also on "
                    + "Ctrl-C).",
            "Siblings: two threads updating one key with the same context make two siblings (the store keeps "
                    + "both); the next update's context merges them. The report counts the reads that saw siblings, "
                    + "how many of those had siblings from different threads, and how many a later update merged.",
            "Operations: read = get; update = put with the key's causal context (get first when not cached); "
                    + "insert = put of a new key; rmw = client.update (get, resolve siblings: latest timestamp "
                    + "wins, put); delete = delete with the context. Workloads: a = 50%% read, 50%% update; b = 95/5; "
                    + "c = 100%% read; f = 50%% read, 50%% rmw; w = 100%% update.",
            "Microbenchmarks: ./dynamo bench jmh [JMH options] (the launcher runs the JMH jar)."},
        subcommands = {CompareCommand.class, LatencyCommand.class, DurabilityCommand.class, FailureCommand.class})
public final class BenchCommand implements Callable<Integer> {

    private static final Pattern PLAIN_ARG = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    @Spec
    CommandSpec spec;

    @Option(names = "--seeds", split = ",", paramLabel = "HOST:PORT",
            description = "Client-protocol addresses (each node's client_address; dev up: 127.0.0.1:9081...) of a "
                    + "running cluster. Without it, a throwaway local cluster is started.")
    List<String> seeds;

    @Option(names = "--nodes", paramLabel = "N",
            description = "Nodes of the throwaway local cluster, 1 to 9 (default 3). Not with --seeds.")
    Integer nodes;

    @Option(names = "--base-port", paramLabel = "PORT",
            description = "Ports of the throwaway local cluster, as dev up's: node i serves HTTP on PORT + i, the "
                    + "peer protocol on PORT - 1000 + i, the client protocol on PORT + 1000 + i (default: free "
                    + "ports, chosen at random). Checked free before anything starts. Not with --seeds.")
    Integer basePort;

    @Option(names = "--workload", paramLabel = "a|b|c|f|w",
            description = "A YCSB-style preset (default a). Not with the proportion options.")
    String workload;

    @Option(names = "--read", paramLabel = "P", description = "Proportion of reads (weights need not sum to 1 or 100).")
    Double read;

    @Option(names = "--update", paramLabel = "P", description = "Proportion of updates.")
    Double update;

    @Option(names = "--insert", paramLabel = "P", description = "Proportion of inserts.")
    Double insert;

    @Option(names = "--rmw", paramLabel = "P", description = "Proportion of read-modify-writes.")
    Double rmw;

    @Option(names = "--delete", paramLabel = "P", description = "Proportion of deletes.")
    Double delete;

    @Option(names = "--records", paramLabel = "N", defaultValue = "10000",
            description = "Keys loaded and chosen among (default ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8",
            description = "Worker threads, each one synchronous call at a time (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Measured time after the warm-up, e.g. 30s, 2m (default 30s, or none with --operations).")
    Duration duration;

    @Option(names = "--operations", paramLabel = "N", defaultValue = "0",
            description = "Measured operations in all; with --duration, the run ends at whichever comes first.")
    long operations;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "5s", converter = DurationConverter.class,
            description = "Run this long before measuring (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--rate", paramLabel = "OPS", defaultValue = "0",
            description = "Target operations per second over all threads: open loop, latency from each "
                    + "operation's intended start. 0 (default): closed loop, as fast as answers come.")
    double rate;

    @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100",
            description = "Bytes per value, random (default ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--distribution", paramLabel = "zipfian|uniform", defaultValue = "zipfian",
            description = "How keys are picked: scrambled zipfian (constant 0.99, as YCSB) or uniform (default "
                    + "${DEFAULT-VALUE}).")
    String distribution;

    @Option(names = {"--r", "-r"}, paramLabel = "N", description = "R for every read (default: the namespace's).")
    Integer r;

    @Option(names = {"--w", "-w"}, paramLabel = "N", description = "W for every write (default: the namespace's).")
    Integer w;

    @Option(names = "--routing", paramLabel = "client|server", defaultValue = "client",
            description = "client: each request straight to a replica of its key; server: round-robin to any "
                    + "node (default ${DEFAULT-VALUE}).")
    String routing;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "bench",
            description = "Namespace (bucket) of the keys (default ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of operations, keys and values (default: random, printed).")
    Long seed;

    @Option(names = "--no-load", description = "Skip the load phase (the keys were loaded by an earlier run).")
    boolean noLoad;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for a local cluster to be ready (default ${DEFAULT-VALUE}).")
    int readyTimeout;

    /** What the options ask for, checked. */
    private record Plan(WorkloadSpec workload, List<InetSocketAddress> seeds, int nodes, Integer basePort,
            Routing routing) {
    }

    @Override
    public Integer call() throws Exception {
        Plan plan = plan();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WorkloadSpec w = plan.workload();
        String commandLine = commandLine();
        out.println("dynamo bench: workload " + w.mix().name() + " (" + w.mix().describe() + "), "
                + w.distribution().label() + " over " + String.format(Locale.ROOT, "%,d", w.records()) + " records, "
                + w.threads() + " threads, " + runLength(w) + ", "
                + (w.openLoop() ? "open loop at " + w.targetRate() + " ops/s" : "closed loop"));
        out.println("seed: " + w.seed());
        out.flush();

        Session session = new Session();
        Thread hook = new Thread(session::interrupted, "bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String target;
            List<InetSocketAddress> addresses;
            if (plan.seeds().isEmpty()) {
                LocalTarget local = plan.basePort() == null ? LocalTarget.create(plan.nodes())
                        : LocalTarget.create(plan.nodes(), plan.basePort());
                session.local = local;
                out.println("target: " + local.describe());
                out.println("starting " + plan.nodes() + " nodes in " + local.data() + " (deleted at the end) ...");
                out.flush();
                try {
                    local.start(Duration.ofSeconds(readyTimeout));
                } catch (LocalCluster.StartException e) {
                    err.println("dynamo: " + e.getMessage());
                    return Main.FAILURE;
                }
                target = local.describe() + ", " + routingText(plan.routing());
                addresses = local.clientAddresses();
                out.println("cluster ready");
            } else {
                target = "cluster at " + String.join(",", seeds) + ", " + routingText(plan.routing());
                addresses = plan.seeds();
                out.println("target: " + target);
            }
            out.flush();
            BenchReport report;
            try (DynamoClient client = DynamoClient.builder().seeds(addresses).routing(plan.routing()).build()) {
                LoadGenerator generator = new LoadGenerator(client, w);
                session.generator = generator;
                ProgressPrinter progress = new ProgressPrinter(err, interactive());
                try {
                    report = generator.run(new RunInfo(commandLine, target), progress);
                } finally {
                    progress.finish();
                }
            } catch (DynamoClientException e) {
                err.println("dynamo: " + e.getMessage());
                return Main.FAILURE;
            }
            out.println();
            out.print(ReportFormat.text(report));
            if (json != null) {
                ReportFormat.writeJson(report, json);
                out.println("JSON report: " + json.toAbsolutePath());
            }
            out.flush();
            return Main.OK;
        } finally {
            session.finished();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running
            }
        }
    }

    /**
     * What must be undone however the command ends: the local cluster stopped and its folder
     * deleted, and on Ctrl-C the run stopped so its report still prints.
     */
    private static final class Session {
        volatile LocalTarget local;
        volatile LoadGenerator generator;
        private final CountDownLatch done = new CountDownLatch(1);

        /** The main thread's end, normal or not. */
        void finished() {
            done.countDown();
            close();
        }

        /** The shutdown hook (Ctrl-C, SIGTERM): stop the run, let the report print, then stop the nodes. */
        void interrupted() {
            LoadGenerator g = generator;
            if (g != null) {
                g.stop();
                try {
                    done.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            close();
        }

        private void close() {
            LocalTarget l = local;
            if (l != null) {
                l.close();
            }
        }
    }

    /** Whether this runs on a terminal (then progress lines overwrite each other). */
    private static boolean interactive() {
        return io.dynamo.cli.Prompt.Terminal.isTerminal();
    }

    // ------------------------------------------------------------------ options

    private Plan plan() {
        List<InetSocketAddress> seedAddresses = new ArrayList<>();
        if (seeds != null) {
            for (String s : seeds) {
                InetSocketAddress a = HostPort.parse(s.strip());
                if (a == null) {
                    throw usage("--seeds: '" + s + "' is not HOST:PORT (a node's client_address)");
                }
                seedAddresses.add(a);
            }
            if (seedAddresses.isEmpty()) {
                throw usage("--seeds needs at least one HOST:PORT");
            }
            if (nodes != null) {
                throw usage("--nodes starts a local cluster; it cannot be used with --seeds");
            }
            if (basePort != null) {
                throw usage("--base-port starts a local cluster; it cannot be used with --seeds");
            }
        }
        int nodeCount = nodes == null ? 3 : nodes;
        if (nodeCount < 1 || nodeCount > 9) {
            throw usage("--nodes must be from 1 to 9, was " + nodeCount);
        }
        if (basePort != null) {
            String problem = LocalTarget.checkBasePort(basePort, nodeCount);
            if (problem != null) {
                throw usage(problem);
            }
        }
        Routing route = switch (routing.strip().toLowerCase(Locale.ROOT)) {
            case "client" -> Routing.CLIENT;
            case "server" -> Routing.SERVER;
            default -> throw usage("--routing must be client or server, was '" + routing + "'");
        };
        if (json != null && Files.isDirectory(json)) {
            throw usage("--json " + json + " is a folder; give a file name");
        }
        if (readyTimeout < 1) {
            throw usage("--ready-timeout must be at least 1 second, was " + readyTimeout);
        }
        try {
            OperationMix mix = mix();
            KeyDistribution dist = KeyDistribution.parse(distribution);
            Duration measured = duration != null ? duration : operations > 0 ? null : Duration.ofSeconds(30);
            WorkloadSpec workloadSpec = WorkloadSpec.builder().namespace(namespace).records(records).mix(mix)
                    .distribution(dist).valueSize(valueSize).threads(threads).duration(measured)
                    .operations(operations).warmup(warmup).targetRate(rate).readQuorum(r == null ? 0 : positive(r, "--r"))
                    .writeQuorum(w == null ? 0 : positive(w, "--w"))
                    .seed(seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 48)).load(!noLoad).build();
            return new Plan(workloadSpec, seedAddresses, nodeCount, basePort, route);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static int positive(int value, String option) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, was " + value);
        }
        return value;
    }

    private OperationMix mix() {
        boolean custom = read != null || update != null || insert != null || rmw != null || delete != null;
        if (custom && workload != null) {
            throw new IllegalArgumentException("--workload and the proportions (--read, --update, --insert, --rmw, "
                    + "--delete) exclude each other: give one or the other");
        }
        if (custom) {
            return OperationMix.of(orZero(read), orZero(update), orZero(insert), orZero(rmw), orZero(delete));
        }
        return OperationMix.preset(workload == null ? "a" : workload);
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String runLength(WorkloadSpec w) {
        String limit = w.duration() == null ? String.format(Locale.ROOT, "%,d operations", w.operations())
                : WorkloadSpec.text(w.duration()) + (w.operations() > 0
                        ? String.format(Locale.ROOT, " or %,d operations", w.operations()) : "");
        return limit + " after a " + WorkloadSpec.text(w.warmup()) + " warm-up";
    }

    private static String routingText(Routing routing) {
        return routing == Routing.CLIENT ? "client routing (straight to a replica)" : "server routing (round-robin)";
    }

    /** The command as typed, for the report: {@code ./dynamo} and the arguments, quoted where needed. */
    private String commandLine() {
        return commandLine(spec);
    }

    /** The command of {@code spec}'s run as typed, for reports (shared by the bench subcommands). */
    public static String commandLine(CommandSpec spec) {
        StringBuilder b = new StringBuilder("./dynamo");
        List<String> args = spec.root().commandLine().getParseResult().originalArgs();
        for (String a : args) {
            b.append(' ').append(PLAIN_ARG.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}

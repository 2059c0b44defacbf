package io.dynamo.cli.sim;

import io.dynamo.sim.partitioning.PartitioningChart;
import io.dynamo.sim.partitioning.PartitioningConfig;
import io.dynamo.sim.partitioning.PartitioningExperiment;
import io.dynamo.sim.partitioning.PartitioningReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo sim partitioning}: the paper's Figure 8 experiment. Prints the efficiency and
 * movement tables and writes {@code partitioning.png} (the chart) and {@code partitioning.txt}
 * (the command and the tables) to the output directory.
 */
@Command(name = "partitioning",
        mixinStandardHelpOptions = true,
        description = {
            "Repeat the Dynamo paper's partitioning experiment (section 6.2, Figure 8): load-balancing "
                    + "efficiency of the three partitioning strategies against membership metadata size, "
                    + "and the data moved when one node joins or leaves.",
            "Deterministic: the same options give the same tables."
        })
public final class PartitioningCommand implements Callable<Integer> {

    static final String CHART_FILE = "partitioning.png";
    static final String REPORT_FILE = "partitioning.txt";

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "S", defaultValue = "" + PartitioningConfig.DEFAULT_NODES,
            description = "Cluster size before a join or leave (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "" + PartitioningConfig.DEFAULT_REPLICAS,
            description = "Replicas (primaries) per key (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--seed", defaultValue = "" + PartitioningConfig.DEFAULT_SEED,
            description = "Seed of every random draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--keys", paramLabel = "COUNT",
            description = "Random keys for the sampled efficiency (default: " + PartitioningConfig.DEFAULT_KEYS
                    + ", or " + PartitioningConfig.QUICK_KEYS + " with --quick).")
    Integer keys;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "docs/design/figures",
            description = "Where to write " + CHART_FILE + " and " + REPORT_FILE + " (created if missing; "
                    + "default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--quick", description = "A small sweep (3 T, 3 Q, 3 runs) for tests and smoke runs.")
    boolean quick;

    @Override
    public Integer call() throws IOException {
        PartitioningConfig config = config();
        String command = commandLine(config);
        long started = System.nanoTime();
        PartitioningReport report = PartitioningExperiment.run(config);
        double seconds = (System.nanoTime() - started) / 1e9;

        Files.createDirectories(outDir);
        Path chart = PartitioningChart.writePng(report, outDir.resolve(CHART_FILE));
        Path text = outDir.resolve(REPORT_FILE);
        String body = "Command: " + command + "\n\n" + report.toText();
        Files.writeString(text, body, StandardCharsets.UTF_8);

        PrintWriter out = spec.commandLine().getOut();
        out.print(body);
        out.println();
        out.println("Chart:  " + chart);
        out.println("Report: " + text);
        out.printf(Locale.ROOT, "Computed in %.1f s%n", seconds);
        out.flush();
        return 0;
    }

    private PartitioningConfig config() {
        if (replicas < 1 || replicas > 16) {
            throw usage("--replicas must be between 1 and 16, was " + replicas);
        }
        if (nodes < replicas + 1 || nodes > PartitioningConfig.MAX_NODES) {
            throw usage("--nodes must be between --replicas + 1 = " + (replicas + 1) + " and "
                    + PartitioningConfig.MAX_NODES + ", was " + nodes);
        }
        int sampled = keys != null ? keys : quick ? PartitioningConfig.QUICK_KEYS : PartitioningConfig.DEFAULT_KEYS;
        if (sampled < 1 || sampled > 10_000_000) {
            throw usage("--keys must be between 1 and 10000000, was " + sampled);
        }
        try {
            return quick ? PartitioningConfig.quick(nodes, replicas, seed, sampled)
                    : PartitioningConfig.standard(nodes, replicas, seed, sampled);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The command that reproduces this run (the output directory does not change the results). */
    private String commandLine(PartitioningConfig config) {
        return "./dynamo sim partitioning --nodes " + config.nodes() + " --replicas " + config.replicas()
                + " --seed " + config.seed() + " --keys " + config.sampledKeys() + (quick ? " --quick" : "");
    }
}

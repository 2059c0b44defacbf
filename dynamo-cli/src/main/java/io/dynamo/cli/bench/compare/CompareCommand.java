package io.dynamo.cli.bench.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dynamo.cli.Main;
import io.dynamo.cli.bench.BenchCommand;
import io.dynamo.cli.bench.DurationConverter;
import io.dynamo.cli.bench.LocalTarget;
import io.dynamo.cli.bench.ProgressLog;
import io.dynamo.peer.cassandra.CassandraPeer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dynamo bench compare}: YCSB workloads against our store and Apache Cassandra 5.0.9 on
 * this machine, side by side (see {@link CompareRun}), written into the benchmarks page.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Runs YCSB workloads against Dynamo (3 nodes, N=3, R=W=2, client-driven routing) and Apache Cassandra "
                    + "5.0.9 (3 nodes on 127.0.0.1-3, replication factor 3, QUORUM), both started here as local "
                    + "processes: each system is measured --runs times per workload, alternately, the idle one "
                    + "paused; then again in an open loop at half of Cassandra's peak. Writes the tables, "
                    + "ratios, baselines and machine facts into --report (between markers) and PNG charts and the "
                    + "raw JSON into a 'benchmarks' folder next to it.",
            "Needs Cassandra's jars (module dynamo-cassandra-peer), both YCSB bindings (dynamo-ycsb, "
                    + "dynamo-ycsb-cql; ./dynamo builds them) and a Java 17 runtime for Cassandra."})
public final class CompareCommand implements Callable<Integer> {

    static final List<String> WORKLOADS = List.of("a", "b", "c", "f");

    @Spec
    CommandSpec spec;

    @Option(names = "--workloads", split = ",", paramLabel = "W", defaultValue = "a,b,c,f",
            description = "YCSB workloads, of a, b, c and f (default ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Measured runs per system and workload (default ${DEFAULT-VALUE}); figures are medians.")
    int runs;

    @Option(names = "--records", paramLabel = "N", defaultValue = "50000",
            description = "Records loaded into each system (default ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "16",
            description = "YCSB client threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "20s", converter = DurationConverter.class,
            description = "Warm-up of every run, not measured (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "40s", converter = DurationConverter.class,
            description = "Measured time of every run (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3",
            description = "Nodes of each cluster, 1 to 3 (default ${DEFAULT-VALUE}); N and the replication factor "
                    + "are min(3, nodes).")
    int nodes;

    @Option(names = "--no-half-load", description = "Skip the open-loop runs at half of Cassandra's peak.")
    boolean noHalfLoad;

    @Option(names = "--cassandra-java", paramLabel = "PATH",
            description = "A Java 17 (or 11) runtime for Cassandra: its java executable or its home. Default: "
                    + "CASSANDRA_JAVA_HOME, JAVA17_HOME, java on PATH, or /usr/lib/jvm.")
    Path cassandraJava;

    @Option(names = "--report", paramLabel = "FILE",
            description = "The Markdown page to write the results into (default: docs/benchmarks.md of the "
                    + "checkout); charts and JSON go to a 'benchmarks' folder beside it.")
    Path report;

    @Option(names = "--keep", description = "Keep the work folder (YCSB's output and histograms of every run).")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        List<String> chosen = checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<ProjectLayout> located = ProjectLayout.locate();
        if (located.isEmpty()) {
            err.println("dynamo: bench compare runs from a Dynamo checkout (it needs the YCSB bindings and "
                    + "Cassandra's jars built there); run it as ./dynamo bench compare in the checkout");
            return Main.FAILURE;
        }
        ProjectLayout layout = located.get();
        List<String> missing = layout.missingForCompare();
        if (!missing.isEmpty()) {
            err.println("dynamo: bench compare is missing:");
            missing.forEach(m -> err.println("  - " + m));
            return Main.FAILURE;
        }
        Path java17;
        try {
            java17 = cassandraJava(cassandraJava);
        } catch (IllegalArgumentException e) {
            err.println("dynamo: " + e.getMessage());
            return Main.FAILURE;
        }
        Path reportFile = report != null ? report : layout.docs().resolve("benchmarks.md");
        Path images = reportFile.toAbsolutePath().getParent().resolve("benchmarks");
        Path work = Files.createTempDirectory("dynamo-compare-");
        Path clientJava = Path.of(System.getProperty("java.home"), "bin", "java");
        java.util.function.Consumer<String> progress = ProgressLog.to(err);
        String command = BenchCommand.commandLine(spec);
        out.println("dynamo bench compare: workloads " + String.join(",", chosen) + ", " + runs + " runs each, "
                + String.format(Locale.ROOT, "%,d", records) + " records, " + threads + " threads, " + warmup.toSeconds()
                + " s warm-up + " + duration.toSeconds() + " s measured per run; work folder " + work);
        out.flush();

        List<Contender> contenders = List.of(new DynamoContender(layout, nodes),
                new CassandraContender(layout, nodes, java17, clientJava));
        Thread hook = new Thread(() -> contenders.forEach(CompareCommand::closeQuietly), "compare-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            progress.accept("measuring the physical baselines");
            List<Results.Baseline> baselines = Baselines.measure(work.resolve("baselines"), progress);
            CompareRun.Settings settings = new CompareRun.Settings(chosen, runs, records, threads, warmup, duration,
                    !noHalfLoad, work, clientJava);
            List<Results.RunResult> results;
            try {
                results = new CompareRun(settings, layout, contenders, progress).run();
            } catch (IllegalStateException e) {
                err.println("dynamo: " + e.getMessage());
                return Main.FAILURE;
            }
            Map<String, String> systems = new LinkedHashMap<>();
            contenders.forEach(c -> systems.put(c.key(), c.describe()));
            Results.Comparison comparison = new Results.Comparison(command, Machine.probe(), systems, runs, records,
                    threads, warmup.toSeconds(), duration.toSeconds(), chosen, baselines, results);
            write(comparison, reportFile, images);
            CompareReport r = new CompareReport(comparison);
            out.println();
            r.verdicts().forEach(v -> out.println("- " + v.replace("**", "")));
            out.println();
            out.println("report: " + reportFile.toAbsolutePath() + " (charts and JSON in " + images + ")");
            out.flush();
            return Main.OK;
        } finally {
            contenders.forEach(CompareCommand::closeQuietly);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running
            }
            if (keep) {
                out.println("work folder kept: " + work);
            } else {
                LocalTarget.deleteTree(work);
            }
            out.flush();
        }
    }

    /** Writes the JSON, the charts and the Markdown section. */
    static void write(Results.Comparison comparison, Path reportFile, Path images) throws IOException {
        Files.createDirectories(images);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
                images.resolve("compare.json").toFile(), comparison);
        CompareReport r = new CompareReport(comparison);
        Plots.write(r, comparison.workloads(), images);
        Path relative = reportFile.toAbsolutePath().getParent().relativize(images);
        MarkdownSection.write(reportFile, "bench-compare", r.markdown(relative + "/"));
    }

    private List<String> checkOptions() {
        List<String> chosen = new ArrayList<>();
        for (String w : workloads) {
            String x = w.strip().toLowerCase(Locale.ROOT);
            if (!WORKLOADS.contains(x)) {
                throw usage("--workloads takes a, b, c and f; '" + w + "' is not one of them");
            }
            if (chosen.contains(x)) {
                throw usage("--workloads names '" + x + "' twice");
            }
            chosen.add(x);
        }
        if (runs < 1 || runs > 20) {
            throw usage("--runs must be from 1 to 20, was " + runs);
        }
        if (records < 1) {
            throw usage("--records must be at least 1, was " + records);
        }
        if (threads < 1 || threads > 512) {
            throw usage("--threads must be from 1 to 512, was " + threads);
        }
        if (warmup.toSeconds() < 1) {
            throw usage("--warmup must be at least 1s (YCSB reports once a second), was " + warmup);
        }
        if (duration.toSeconds() < 1) {
            throw usage("--duration must be at least 1s, was " + duration);
        }
        if (nodes < 1 || nodes > 3) {
            throw usage("--nodes must be from 1 to 3 (Cassandra runs on 127.0.0.1 to 127.0.0.3), was " + nodes);
        }
        if (report != null && Files.isDirectory(report)) {
            throw usage("--report " + report + " is a folder; give a Markdown file");
        }
        return chosen;
    }

    /** The java executable to run Cassandra with: the option's, or a Java 17/11 found on this machine. */
    static Path cassandraJava(Path option) {
        if (option == null) {
            return CassandraPeer.findJava17().orElseThrow(() -> new IllegalArgumentException(
                    "found no Java 17 (or 11) runtime for Cassandra " + CassandraPeer.version() + ": install one "
                            + "(e.g. apt-get install openjdk-17-jre-headless) or name it with --cassandra-java"));
        }
        Path p = option.toAbsolutePath();
        if (Files.isDirectory(p)) {
            p = p.resolve("bin").resolve("java");
        }
        if (!Files.isExecutable(p)) {
            throw new IllegalArgumentException("--cassandra-java " + option + " is not a java executable or a "
                    + "Java home");
        }
        return p;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void closeQuietly(Contender c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            // Best effort on the way out; each close stops its own processes.
        }
    }

}

package io.dynamo.cli.bench;

import io.dynamo.cli.Main;
import io.dynamo.cli.bench.compare.MarkdownSection;
import io.dynamo.cli.server.LocalCluster;
import io.dynamo.client.DynamoClient;
import io.dynamo.client.DynamoClientException;
import io.dynamo.client.Routing;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What {@code bench latency}, {@code bench durability} and {@code bench failure} share: a
 * throwaway local cluster of three server processes (N=3, R=W=2, as {@code dev up}), a client
 * with client-driven routing, progress on stderr, the report on stdout, and optionally as JSON
 * and as a section of a Markdown page.
 */
final class ClusterBench {

    /** The cluster, the client, and how the run is reported. */
    interface Body {
        /** Runs the benchmark; returns its text report. */
        String run(LocalTarget target, DynamoClient client, Consumer<String> progress) throws Exception;
    }

    private ClusterBench() {
    }

    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    static void checkOutput(CommandSpec spec, Path file, String option) {
        if (file != null && Files.isDirectory(file)) {
            throw usage(spec, option + " " + file + " is a folder; give a file name");
        }
    }

    /**
     * Starts the cluster, runs {@code body}, prints its report, writes the Markdown section
     * {@code sectionId} into {@code report} when given, and stops the cluster on every exit.
     */
    static int run(CommandSpec spec, String title, String sectionId, Path report, int readySeconds, Body body) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> progress = ProgressLog.to(err);
        LocalTarget target;
        try {
            target = LocalTarget.create(3);
        } catch (IOException e) {
            err.println("dynamo: cannot make a temporary folder for the cluster: " + e.getMessage());
            return Main.FAILURE;
        }
        Thread hook = new Thread(target::close, "bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            progress.accept("starting 3 nodes in " + target.data() + " (deleted at the end)");
            try {
                target.start(Duration.ofSeconds(readySeconds));
            } catch (LocalCluster.StartException e) {
                err.println("dynamo: " + e.getMessage());
                return Main.FAILURE;
            }
            progress.accept("cluster ready: " + target.describe());
            String text;
            try (DynamoClient client = DynamoClient.builder().seeds(target.clientAddresses()).routing(Routing.CLIENT)
                    .build()) {
                text = body.run(target, client, progress);
            } catch (DynamoClientException | IllegalStateException e) {
                err.println("dynamo: " + e.getMessage());
                return Main.FAILURE;
            }
            out.println();
            out.print(text);
            if (report != null) {
                String section = "## " + title + "\n\nWritten by `" + BenchCommand.commandLine(spec) + "` on a "
                        + Runtime.getRuntime().availableProcessors() + "-core machine.\n\n```\n" + text.strip()
                        + "\n```\n";
                MarkdownSection.write(report, sectionId, section);
                out.println("report: " + report.toAbsolutePath());
            }
            out.flush();
            return Main.OK;
        } catch (IOException e) {
            err.println("dynamo: " + e.getMessage());
            return Main.FAILURE;
        } catch (Exception e) {
            err.println("dynamo: " + e);
            return Main.FAILURE;
        } finally {
            target.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running
            }
        }
    }
}

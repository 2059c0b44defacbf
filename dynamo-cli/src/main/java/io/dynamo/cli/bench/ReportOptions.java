package io.dynamo.cli.bench;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The seed and output options {@code bench latency}, {@code durability} and {@code failure} share (a picocli mixin). */
public final class ReportOptions {

    @Option(names = "--seed", paramLabel = "N", description = "Seed of keys and values (default: random, printed).")
    Long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write the report into this Markdown page (a section between markers).")
    Path report;

    /** The seed given, or a random one drawn once. */
    long seed() {
        if (seed == null) {
            seed = ThreadLocalRandom.current().nextLong(1L << 48);
        }
        return seed;
    }

    /** Refuses output files that are folders (exit 2). */
    void check(CommandSpec spec) {
        ClusterBench.checkOutput(spec, json, "--json");
        ClusterBench.checkOutput(spec, report, "--report");
    }
}

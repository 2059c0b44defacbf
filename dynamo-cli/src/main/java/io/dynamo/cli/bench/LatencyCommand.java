package io.dynamo.cli.bench;

import io.dynamo.bench.latency.LatencyFormat;
import io.dynamo.bench.latency.UnloadedLatency;
import io.dynamo.bench.load.RunInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dynamo bench latency}: unloaded GET and PUT latency against the loopback round trip. */
@Command(name = "latency", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "One client thread, no other load, against a throwaway local cluster of 3 server processes (N=3): "
                    + "GET with R=2 and PUT with W=2 (each put carries the context of the get before it), "
                    + "p50/p99/p99.9 of each, and a blocking Java socket ping-pong on 127.0.0.1 measured in blocks "
                    + "before, between and after, with the ratios GET p50 / loopback p50 (target: within 6x) and "
                    + "PUT p50 / loopback p50 (target: within 8x)."})
public final class LatencyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "Unmeasured warm-up (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "30s", converter = DurationConverter.class,
            description = "Measured time (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--records", paramLabel = "N", defaultValue = "1000",
            description = "Keys read and written (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of keys and values (default: random, printed).")
    Long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write the report into this Markdown page (a section between markers).")
    Path report;

    @Override
    public Integer call() {
        ClusterBench.checkOutput(spec, json, "--json");
        ClusterBench.checkOutput(spec, report, "--report");
        UnloadedLatency.Settings settings;
        try {
            settings = UnloadedLatency.Settings.builder(seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 48))
                    .records(records).warmup(warmup).duration(duration).build();
        } catch (IllegalArgumentException e) {
            throw ClusterBench.usage(spec, e.getMessage());
        }
        String command = BenchCommand.commandLine(spec);
        return ClusterBench.run(spec, "Unloaded latency (`./dynamo bench latency`)", "bench-latency", report, 120,
                (target, client, progress) -> {
                    progress.accept("seed " + settings.seed());
                    UnloadedLatency.Result r = new UnloadedLatency(client, settings)
                            .run(new RunInfo(command, target.describe()), progress);
                    if (json != null) {
                        LatencyFormat.writeJson(r, json);
                    }
                    return LatencyFormat.text(r);
                });
    }
}

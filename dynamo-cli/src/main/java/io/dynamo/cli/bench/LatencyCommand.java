package io.dynamo.cli.bench;

import io.dynamo.bench.latency.LatencyFormat;
import io.dynamo.bench.latency.UnloadedLatency;
import io.dynamo.bench.load.RunInfo;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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



    @Mixin
    ReportOptions output;

    @Override
    public Integer call() {
        output.check(spec);
        UnloadedLatency.Settings settings;
        try {
            settings = UnloadedLatency.Settings.builder(output.seed())
                    .records(records).warmup(warmup).duration(duration).build();
        } catch (IllegalArgumentException e) {
            throw ClusterBench.usage(spec, e.getMessage());
        }
        String command = BenchCommand.commandLine(spec);
        return ClusterBench.run(spec, "Unloaded latency (`./dynamo bench latency`)", "bench-latency", output.report, 120,
                (target, client, progress) -> {
                    progress.accept("seed " + settings.seed());
                    UnloadedLatency.Result r = new UnloadedLatency(client, settings)
                            .run(new RunInfo(command, target.describe()), progress);
                    if (output.json != null) {
                        LatencyFormat.writeJson(r, output.json);
                    }
                    return LatencyFormat.text(r);
                });
    }
}

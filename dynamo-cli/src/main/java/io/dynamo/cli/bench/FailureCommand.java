package io.dynamo.cli.bench;

import io.dynamo.bench.failure.FailureFormat;
import io.dynamo.bench.failure.FailureUnderLoad;
import io.dynamo.bench.load.RunInfo;
import io.dynamo.cli.server.LocalCluster;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dynamo bench failure}: availability when one of three nodes is killed under load. */
@Command(name = "failure", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Against a throwaway local cluster of 3 server processes (N=3, R=W=2, client-driven routing): "
                    + "measures peak throughput (closed loop, workload a), then offers half of it in an open loop "
                    + "(latency from intended starts), SIGKILLs the third node after --steady, and reports the share "
                    + "of the requests started in the following --window that succeeded within 300 ms (target: at "
                    + "least 99.99%%), a per-second timeline, and how long after the kill the client last routed a "
                    + "request to the dead node."})
public final class FailureCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--peak", paramLabel = "TIME", defaultValue = "15s", converter = DurationConverter.class,
            description = "Length of the closed-loop peak measurement (default ${DEFAULT-VALUE}).")
    Duration peak;

    @Option(names = "--steady", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "Open-loop load before the kill (default ${DEFAULT-VALUE}).")
    Duration steady;

    @Option(names = "--window", paramLabel = "TIME", defaultValue = "60s", converter = DurationConverter.class,
            description = "Observation window after the kill (default ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--records", paramLabel = "N", defaultValue = "10000",
            description = "Keys loaded and chosen among (default ${DEFAULT-VALUE}).")
    long records;



    @Mixin
    ReportOptions output;

    @Override
    public Integer call() {
        output.check(spec);
        FailureUnderLoad.Settings settings;
        try {
            settings = FailureUnderLoad.Settings.builder(output.seed()).records(records).peakDuration(peak).steady(steady)
                    .window(window).build();
        } catch (IllegalArgumentException e) {
            throw ClusterBench.usage(spec, e.getMessage());
        }
        String command = BenchCommand.commandLine(spec);
        return ClusterBench.run(spec, "One of three nodes killed under load (`./dynamo bench failure`)",
                "bench-failure", output.report, 120, (target, client, progress) -> {
                    progress.accept("seed " + settings.seed());
                    LocalCluster.Node victim = target.cluster().node(3);
                    FailureUnderLoad.Result r = new FailureUnderLoad(client, settings).run(
                            new RunInfo(command, target.describe()), () -> {
                                progress.accept("SIGKILL " + victim.id() + " (pid " + victim.process().pid() + ")");
                                victim.kill();
                                return "127.0.0.1:" + victim.clientPort();
                            }, progress);
                    if (output.json != null) {
                        FailureFormat.writeJson(r, output.json);
                    }
                    return FailureFormat.text(r);
                });
    }
}

package io.dynamo.cli.bench;

import io.dynamo.bench.durability.DurabilityFormat;
import io.dynamo.bench.durability.DurableWrites;
import io.dynamo.bench.load.RunInfo;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dynamo bench durability}: put throughput with durable writes against buffered writes. */
@Command(name = "durability", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Put throughput against a throwaway local cluster of 3 server processes (N=3, W=2) in alternating "
                    + "phases: buffered (dw=0: acknowledged from memory and the unsynced write-ahead log, synced "
                    + "within storage.flush_interval_ms) and durable (dw=2: each acknowledgement waits for the "
                    + "node's group commit, one fdatasync for every write waiting). Also a single fdatasync on the "
                    + "cluster's disk, measured in the same run. Target: durable at least half of buffered."})
public final class DurabilityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "16",
            description = "Client threads, closed loop (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "Unmeasured warm-up, half in each mode (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--phase", paramLabel = "TIME", defaultValue = "10s", converter = DurationConverter.class,
            description = "Length of each measured phase (default ${DEFAULT-VALUE}).")
    Duration phase;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Rounds of a buffered then a durable phase; figures are medians (default ${DEFAULT-VALUE}).")
    int rounds;



    @Mixin
    ReportOptions output;

    @Override
    public Integer call() {
        output.check(spec);
        long s = output.seed();
        try {
            DurableWrites.Settings.builder(s).threads(threads).warmup(warmup).phase(phase).rounds(rounds).build();
        } catch (IllegalArgumentException e) {
            throw ClusterBench.usage(spec, e.getMessage());
        }
        String command = BenchCommand.commandLine(spec);
        return ClusterBench.run(spec, "Durable against buffered writes (`./dynamo bench durability`)",
                "bench-durability", output.report, 120, (target, client, progress) -> {
                    progress.accept("seed " + s);
                    DurableWrites.Settings settings = DurableWrites.Settings.builder(s).threads(threads)
                            .warmup(warmup).phase(phase).rounds(rounds).fsyncDirectory(target.data()).build();
                    DurableWrites.Result r = new DurableWrites(client, settings)
                            .run(new RunInfo(command, target.describe()), progress);
                    if (output.json != null) {
                        DurabilityFormat.writeJson(r, output.json);
                    }
                    return DurabilityFormat.text(r);
                });
    }
}

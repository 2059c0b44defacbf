package io.dynamo.cli.sim;

import io.dynamo.sim.membership.GossipConvergence;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dynamo sim gossip}: how many gossip rounds a membership change takes to reach every node. */
@Command(name = "gossip",
        mixinStandardHelpOptions = true,
        description = "Measure in simulation how many gossip rounds (one per second) a membership change takes to "
                + "reach every node's view, for S = 3, 10, 30 and 100 nodes, against the target ceil(log2 S) + 2 "
                + "at p99.")
public final class GossipCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--trials", defaultValue = "1000", description = "Trials per cluster size (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--seed", defaultValue = "48", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (trials < 1) {
            throw new ParameterException(spec.commandLine(), "--trials must be at least 1, was " + trials);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Command: ./dynamo sim gossip --trials " + trials + " --seed " + seed);
        out.println(GossipConvergence.HEADER);
        boolean met = true;
        for (int s : new int[] {3, 10, 30, 100}) {
            GossipConvergence.Result r = GossipConvergence.run(s, trials, seed);
            out.println(r.row());
            out.flush();
            met &= r.percentile(99) <= r.target();
        }
        return met ? 0 : 1;
    }
}

package io.dynamo.cli.sim;

import io.dynamo.cli.MissingSubcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dynamo sim}: the group of experiments and simulations. */
@Command(name = "sim",
        mixinStandardHelpOptions = true,
        description = "Run seeded experiments and simulations.",
        subcommands = {PartitioningCommand.class, ClusterCommands.Run.class, ClusterCommands.Soak.class,
            ClusterCommands.Divergence.class, GossipCommand.class, AdmissionCommand.class})
public final class SimCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw MissingSubcommand.of(spec);
    }
}

package io.dynamo.cli;

import io.dynamo.cli.bench.BenchCommand;
import io.dynamo.cli.server.AdminCommand;
import io.dynamo.cli.server.DevCommand;
import io.dynamo.cli.server.KvCommands;
import io.dynamo.cli.server.ServerCommand;
import io.dynamo.cli.sim.SimCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code dynamo} command; new commands are added to {@code subcommands}. */
@Command(name = "dynamo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A highly available key-value store after Amazon's Dynamo (SOSP 2007).",
        subcommands = {ServerCommand.class, DevCommand.class, KvCommands.Get.class, KvCommands.Put.class,
            KvCommands.Delete.class, AdminCommand.class, SimCommand.class, BenchCommand.class,
            LauncherCommands.Test.class, LauncherCommands.Build.class},
        footer = {"", "test, build and bench jmh are run by the launcher ./dynamo itself (they run Maven or the JMH "
                + "jar): ./dynamo test --help, ./dynamo build --help."})
public final class DynamoCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw MissingSubcommand.of(spec);
    }
}

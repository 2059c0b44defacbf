package io.dynamo.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The usage error of a command group invoked without one of its commands. */
public final class MissingSubcommand {

    private MissingSubcommand() {
    }

    public static ParameterException of(CommandSpec spec) {
        return new ParameterException(spec.commandLine(),
                "missing command: choose one of " + String.join(", ", spec.subcommands().keySet()));
    }
}

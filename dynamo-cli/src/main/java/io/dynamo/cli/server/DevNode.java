package io.dynamo.cli.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What {@code dev start} and {@code dev kill} share: the node named, in a dev up's data folder. */
abstract class DevNode {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NODE", description = "The node: n1, n2, ... (its folder under --data).")
    String node;

    @Option(names = "--data", defaultValue = "data/dev",
            description = "The data folder of the dev up cluster (default ${DEFAULT-VALUE}).")
    Path data;

    /** The node's folder, which must exist (with its node.yaml, written by dev up). */
    Path nodeDir() {
        if (!NAME.matcher(node).matches()) {
            throw new ParameterException(spec.commandLine(), "NODE must be a node's name such as n3, was '" + node + "'");
        }
        Path dir = data.toAbsolutePath().normalize().resolve(node);
        if (!Files.isRegularFile(NodePidFile.config(dir))) {
            throw new ParameterException(spec.commandLine(), "no node '" + node + "' in " + data.toAbsolutePath()
                    .normalize() + " (no " + NodePidFile.config(dir) + "; './dynamo dev up' makes one per node)");
        }
        return dir;
    }
}

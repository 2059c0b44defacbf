package io.dynamo.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Commands the bash launcher {@code ./dynamo} runs itself, before this program (they run Maven, so
 * they cannot be inside the jar that Maven builds). Listed here so that {@code dynamo --help}
 * shows them; run through the jar they say where they live. Their full help is the launcher's:
 * {@code ./dynamo test --help}.
 */
public final class LauncherCommands {

    private LauncherCommands() {
    }

    /** What every launcher command does when it reaches this program. */
    abstract static class ByLauncher implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String name = spec.name();
            spec.commandLine().getErr().println("dynamo: '" + name + "' is run by the launcher, not by this program: "
                    + "use ./dynamo " + name + " (./dynamo " + name + " --help says what it runs)");
            return Main.USAGE;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"The whole test suite: mvn clean verify over every module, then one line of totals "
                    + "(Tests: N passed, N failed, N skipped). Run by the launcher: ./dynamo test [MAVEN ARGS]; "
                    + "./dynamo test --help says more (extra Maven arguments, DYNAMO_MAVEN_OPTS)."})
    public static final class Test extends ByLauncher {
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Builds every module without tests (mvn -DskipTests package). Run by the launcher: "
                    + "./dynamo build [MAVEN ARGS]; ./dynamo build --help says more."})
    public static final class Build extends ByLauncher {
    }
}

package io.dynamo.cli.server;

import io.dynamo.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code dynamo dev kill NODE}: signals the server process of one node of this checkout's local
 * cluster, and only that: the process its PID file names, and only when that process's command
 * line has this folder's config of the node ({@link NodePidFile}). Another checkout's n5 on the
 * same machine, or a process that reused the pid, is never signalled.
 */
@Command(name = "kill", mixinStandardHelpOptions = true,
        description = {"Stops one node of the local cluster: SIGKILL by default (it dies at once, as in a crash; "
                + "what it had not made durable is lost), or a graceful SIGTERM. Only this data folder's node is "
                + "signalled: the process named by DATA/NODE/server.pid, checked against its command line.",
            "Start it again with './dynamo dev start NODE'."})
public final class DevKill extends DevNode implements Callable<Integer> {

    @Option(names = "--signal", paramLabel = "KILL|TERM", defaultValue = "KILL",
            description = "KILL (default) or TERM.")
    String signal;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = signal.strip().toUpperCase(Locale.ROOT);
        name = name.startsWith("SIG") ? name.substring(3) : name;
        boolean kill = switch (name) {
            case "KILL", "9" -> true;
            case "TERM", "15" -> false;
            default -> throw new ParameterException(spec.commandLine(), "--signal must be KILL or TERM, was '" + signal
                    + "'");
        };
        Path dir = nodeDir();
        switch (NodePidFile.find(dir)) {
            case NodePidFile.NotRunning n -> {
                err.println("dynamo: " + node + " is not running (" + n.why() + ")");
                return Main.FAILURE;
            }
            case NodePidFile.Foreign f -> {
                Files.deleteIfExists(NodePidFile.file(dir));
                err.println("dynamo: " + node + " is not running: its PID file named process " + f.pid()
                        + ", which is not this folder's " + node + " (" + NodePidFile.brief(f.commandLine())
                        + "); not signalled, and the stale PID file is removed");
                return Main.FAILURE;
            }
            case NodePidFile.Running r -> {
                ProcessHandle process = r.process();
                if (kill) {
                    process.destroyForcibly();
                } else {
                    process.destroy();
                }
                Duration limit = Duration.ofSeconds(kill ? 10 : 60);
                if (!LocalCluster.awaitExit(process, limit)) {
                    err.println("dynamo: " + node + " (pid " + process.pid() + ") still runs " + limit.toSeconds()
                            + " s after SIG" + name + (kill ? "" : "; './dynamo dev kill " + node + "' sends SIGKILL"));
                    return Main.FAILURE;
                }
                NodePidFile.removeIf(dir, process.pid());
                out.println((kill ? "killed " : "stopped ") + node + " (pid " + process.pid() + ") with SIG" + name
                        + "; './dynamo dev start " + node + "' starts it again");
                return Main.OK;
            }
        }
    }
}

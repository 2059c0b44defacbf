package io.dynamo.cli.server;

import io.dynamo.cli.Main;
import io.dynamo.net.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dynamo dev start NODE}: starts a node of the dev up cluster again (after {@code dev kill}),
 * in the background, from its own {@code node.yaml}, and waits until it answers. While a dev up
 * runs on the folder, the node belongs to it: dev up stops it on Ctrl-C, and the node stops by
 * itself if dev up dies.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Starts a node of the local cluster again, in the background, from its config (DATA/NODE/"
                + "node.yaml), its output appended to DATA/NODE/server.log, and waits until it answers on its HTTP "
                + "port. Writes DATA/NODE/server.pid. While './dynamo dev up' runs on DATA, the node is its own: "
                + "Ctrl-C there stops it too.",
            "Example: ./dynamo dev kill n5; (writes, watch hints) ./dynamo dev start n5"})
public final class DevStart extends DevNode implements Callable<Integer> {

    @Option(names = "--ready-timeout", defaultValue = "60",
            description = "Seconds to wait for the node to answer (default ${DEFAULT-VALUE}).")
    int readyTimeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = nodeDir();
        switch (NodePidFile.find(dir)) {
            case NodePidFile.Running r -> {
                err.println("dynamo: " + node + " already runs (pid " + r.pid() + "); './dynamo dev kill " + node
                        + "' stops it");
                return Main.FAILURE;
            }
            case NodePidFile.Foreign f -> Files.deleteIfExists(NodePidFile.file(dir)); // a stale PID file
            case NodePidFile.NotRunning n -> {
            }
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(NodePidFile.config(dir));
        } catch (ServerConfig.ConfigException e) {
            err.println("dynamo: " + NodePidFile.config(dir) + ": " + e.getMessage());
            return Main.USAGE;
        }
        Optional<ProcessHandle> devUp = NodePidFile.DevUp.find(data.toAbsolutePath().normalize());
        Process process = LocalCluster.launch(dir, LocalCluster.DEV_JVM_OPTIONS, devUp.map(ProcessHandle::pid).orElse(0L));
        String host = config.httpAddress().getHostString();
        String url = "http://" + (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty() ? "127.0.0.1" : host)
                + ":" + config.httpAddress().getPort();
        String problem = awaitAnswer(process, url, Duration.ofSeconds(readyTimeout));
        if (problem != null) {
            err.println("dynamo: " + node + " (pid " + process.pid() + ") " + problem + "; its log ("
                    + dir.resolve("server.log") + ") ends:\n" + tail(dir.resolve("server.log"), 10));
            return Main.FAILURE;
        }
        out.println(node + " started (pid " + process.pid() + ") and answers on " + url + "; log: "
                + dir.resolve("server.log"));
        out.println(devUp.map(h -> "it belongs to the dev up running on this folder (pid " + h.pid()
                + "): Ctrl-C there stops it with the others")
                .orElse("no dev up runs on this folder: stop it with './dynamo dev kill " + node + " --signal TERM'"));
        return Main.OK;
    }

    /** Polls GET /admin/status until it answers 200; why not, or null once it does. */
    private static String awaitAnswer(Process process, String url, Duration limit) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest status = HttpRequest.newBuilder(URI.create(url + "/admin/status"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                return "exited with code " + process.exitValue();
            }
            try {
                if (http.send(status, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return null;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        return "did not answer on " + url + " within " + limit.toSeconds() + " s (it still runs)";
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

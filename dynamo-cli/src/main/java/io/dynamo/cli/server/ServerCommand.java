package io.dynamo.cli.server;

import io.dynamo.cli.Main;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dynamo server --config node.yaml}: runs one node until SIGTERM or Ctrl-C, then stops gracefully. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Runs one Dynamo node until SIGTERM or Ctrl-C, then stops gracefully: no new requests, "
                + "those in flight finish, storage is flushed.",
                "Every setting is described in docs/configuration.md; DYNAMO_<KEY> environment variables "
                        + "override the file (e.g. DYNAMO_HTTP_ADDRESS=0.0.0.0:8081)."})
public final class ServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The node's YAML settings file.")
    Path config;

    @Option(names = "--exit-with-parent", paramLabel = "PID", hidden = true,
            description = "Stop when process PID is gone (used by 'dev up' and the tests).")
    long parentPid;

    @Override
    public Integer call() throws Exception {
        try {
            io.dynamo.net.server.LogFormat.apply(System.getenv("DYNAMO_LOG_FORMAT"));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("dynamo: " + e.getMessage());
            return Main.USAGE;
        }
        if (config != null && !Files.isRegularFile(config)) {
            spec.commandLine().getErr().println("dynamo: --config: no such file: " + config);
            return Main.USAGE;
        }
        ServerConfig settings;
        try {
            settings = ServerConfig.load(config);
        } catch (ServerConfig.ConfigException e) {
            spec.commandLine().getErr().println("dynamo: " + e.getMessage());
            return Main.USAGE;
        }
        DynamoServer server = DynamoServer.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        if (parentPid > 0) {
            ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "parent-watch");
                t.setDaemon(true);
                return t;
            });
            watch.scheduleAtFixedRate(() -> {
                if (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
                    System.exit(0); // runs the shutdown hook: a graceful stop
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
        stopped.await();
        return Main.OK;
    }
}

package io.dynamo.cli.bench.compare;

import io.dynamo.cli.bench.LocalTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Our store: a throwaway local cluster ({@link LocalTarget}), N=3, R=W=2, client-driven routing. */
final class DynamoContender implements Contender {

    private final ProjectLayout layout;
    private final int nodes;
    private volatile LocalTarget target;

    DynamoContender(ProjectLayout layout, int nodes) {
        this.layout = layout;
        this.nodes = nodes;
    }

    @Override
    public String key() {
        return "dynamo";
    }

    @Override
    public String name() {
        return "Dynamo";
    }

    @Override
    public String describe() {
        LocalTarget t = target;
        return (t == null ? "not started" : t.describe()) + "; YCSB binding io.dynamo.ycsb.DynamoYcsbClient, "
                + "client-driven routing, R=" + quorum() + ", W=" + quorum();
    }

    private int quorum() {
        return Math.min(nodes, 3) / 2 + 1;
    }

    @Override
    public void start(Path workDir, Consumer<String> progress) {
        try {
            LocalTarget t = LocalTarget.create(nodes);
            target = t;
            progress.accept("starting Dynamo: " + nodes + " server processes in " + t.data());
            t.start(Duration.ofSeconds(180));
            progress.accept("Dynamo ready: " + t.describe());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String classpath() {
        return layout.ycsbClasspath();
    }

    @Override
    public String dbClass() {
        return "io.dynamo.ycsb.DynamoYcsbClient";
    }

    @Override
    public Map<String, String> ycsbProperties() {
        String seeds = target.clientAddresses().stream().map(DynamoContender::hostPort)
                .collect(Collectors.joining(","));
        return Map.of("dynamo.seeds", seeds, "dynamo.routing", "client", "dynamo.r", Integer.toString(quorum()),
                "dynamo.w", Integer.toString(quorum()));
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    @Override
    public List<Long> serverPids() {
        LocalTarget t = target;
        return t == null ? List.of() : t.pids();
    }

    @Override
    public void close() {
        LocalTarget t = target;
        if (t == null) {
            return;
        }
        try {
            resume();
        } catch (RuntimeException e) {
            // Processes already gone; close() still stops the rest.
        }
        t.close();
    }
}

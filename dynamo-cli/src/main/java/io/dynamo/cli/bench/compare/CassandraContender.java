package io.dynamo.cli.bench.compare;

import io.dynamo.peer.cassandra.CassandraCluster;
import io.dynamo.peer.cassandra.CassandraPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Apache Cassandra 5.0.9 from its Maven Central jars ({@link CassandraCluster}: one JVM per node
 * on 127.0.0.1, .2, .3 under a JDK 17, 512 MiB heap each), a keyspace with replication factor
 * min(3, nodes), QUORUM reads and writes through our YCSB CQL binding.
 */
final class CassandraContender implements Contender {

    static final String KEYSPACE = "ycsb";

    private final ProjectLayout layout;
    private final int nodes;
    private final Path cassandraJava;
    private final Path clientJava;
    private volatile CassandraCluster cluster;

    CassandraContender(ProjectLayout layout, int nodes, Path cassandraJava, Path clientJava) {
        this.layout = layout;
        this.nodes = nodes;
        this.cassandraJava = cassandraJava;
        this.clientJava = clientJava;
    }

    @Override
    public String key() {
        return "cassandra";
    }

    @Override
    public String name() {
        return "Cassandra";
    }

    int replicationFactor() {
        return Math.min(3, nodes);
    }

    @Override
    public String describe() {
        CassandraCluster c = cluster;
        return (c == null ? "Apache Cassandra " + CassandraPeer.version() + " (not started)" : c.describe())
                + "; keyspace " + KEYSPACE + " with SimpleStrategy, replication factor " + replicationFactor()
                + ", QUORUM reads and writes; YCSB binding io.dynamo.ycsb.cql.CqlYcsbClient (Apache Cassandra Java "
                + "driver 4.19.3, token-aware)";
    }

    @Override
    public void start(Path workDir, Consumer<String> progress) {
        CassandraCluster c = CassandraCluster.create(CassandraCluster.Settings.builder().nodes(nodes)
                .cassandraLib(layout.cassandraLib()).java(cassandraJava).clusterName("dynamo-bench")
                .log(line -> progress.accept("Cassandra: " + line)).build());
        cluster = c;
        progress.accept("starting Cassandra " + CassandraPeer.version() + ": " + nodes
                + " nodes, one after another (about 40 s each)");
        c.start();
        progress.accept("Cassandra ready: " + c.describe());
        createSchema(workDir);
    }

    private void createSchema(Path workDir) {
        List<String> cmd = new ArrayList<>(List.of(clientJava.toString(), "-cp", layout.ycsbCqlClasspath(),
                "io.dynamo.ycsb.cql.CqlSchema", "--hosts", hosts(), "--keyspace", KEYSPACE, "--replication-factor",
                Integer.toString(replicationFactor())));
        try {
            Files.createDirectories(workDir);
            Path out = workDir.resolve("schema.out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("creating Cassandra's keyspace took more than 180 s; see " + out);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("creating Cassandra's keyspace failed (exit " + p.exitValue() + "): "
                        + Files.readString(out).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create Cassandra's keyspace: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Cassandra's keyspace", e);
        }
    }

    private String hosts() {
        return cluster.contactPoints().stream().map(CassandraContender::hostPort).collect(Collectors.joining(","));
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    @Override
    public String classpath() {
        return layout.ycsbCqlClasspath();
    }

    @Override
    public String dbClass() {
        return "io.dynamo.ycsb.cql.CqlYcsbClient";
    }

    @Override
    public Map<String, String> ycsbProperties() {
        return Map.of("cql.hosts", hosts(), "cql.keyspace", KEYSPACE, "cql.read_consistency", "QUORUM",
                "cql.write_consistency", "QUORUM");
    }

    @Override
    public List<Long> serverPids() {
        CassandraCluster c = cluster;
        return c == null ? List.of() : c.pids();
    }

    @Override
    public void pause() {
        cluster.pause();
    }

    @Override
    public void resume() {
        cluster.resume();
    }

    @Override
    public void close() {
        CassandraCluster c = cluster;
        if (c != null) {
            c.close();
        }
    }
}

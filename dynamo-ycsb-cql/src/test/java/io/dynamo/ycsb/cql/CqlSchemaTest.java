package io.dynamo.ycsb.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.metadata.Metadata;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CqlSchemaTest {

    /** A run of {@link CqlSchema#run}: its exit code and what it printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = CqlSchema.run(args, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void defaults() {
        CqlSchema.Options o = CqlSchema.parse("--hosts", "127.0.0.1");
        assertThat(o.hosts()).containsExactly(new InetSocketAddress("127.0.0.1", 9042));
        assertThat(o.keyspace()).isEqualTo("ycsb");
        assertThat(o.table()).isEqualTo("usertable");
        assertThat(o.replicationFactor()).isEqualTo(3);
        assertThat(o.fields()).isEqualTo(10);
        assertThat(o.datacenter()).isEqualTo("datacenter1");
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.drop()).isFalse();
        assertThat(o.truncate()).isFalse();
    }

    @Test
    void everyOption() {
        CqlSchema.Options o = CqlSchema.parse("--hosts", "127.0.0.1,127.0.0.2:9043", "--port", "19042", "--keyspace",
                "bench", "--table=records", "--replication-factor", "1", "--fields", "20", "--datacenter", "dc2",
                "--timeout-ms=5000", "--drop", "--truncate");
        assertThat(o.hosts()).containsExactly(new InetSocketAddress("127.0.0.1", 19042),
                new InetSocketAddress("127.0.0.2", 9043));
        assertThat(o.keyspace()).isEqualTo("bench");
        assertThat(o.table()).isEqualTo("records");
        assertThat(o.replicationFactor()).isEqualTo(1);
        assertThat(o.fields()).isEqualTo(20);
        assertThat(o.datacenter()).isEqualTo("dc2");
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.drop()).isTrue();
        assertThat(o.truncate()).isTrue();
        // The port applies to hosts without one wherever it is given; a repeated option takes its last value.
        assertThat(CqlSchema.parse("--port", "1", "--hosts", "127.0.0.1", "--port", "2").hosts().get(0).getPort())
                .isEqualTo(2);
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> CqlSchema.parse()).hasMessageStartingWith("--hosts is required");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "")).hasMessageStartingWith("--hosts is required");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts")).hasMessage("--hosts needs a value");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "--drop")).hasMessage("--hosts needs a value");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "h", "--rf", "3")).hasMessage("unknown option --rf");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "h", "extra")).hasMessage("unexpected argument extra");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "127.0.0.1", "--drop=yes"))
                .hasMessage("--drop takes no value");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "127.0.0.1", "--port", "0"))
                .hasMessage("--port=0: expected a port number from 1 to 65535");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "127.0.0.1:x"))
                .hasMessageStartingWith("--hosts=127.0.0.1:x: '127.0.0.1:x' has no valid port");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "127.0.0.1", "--replication-factor", "0"))
                .hasMessage("--replication-factor 0: expected a whole number from 1 to 100");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "127.0.0.1", "--fields", "ten"))
                .hasMessage("--fields ten: expected a whole number from 1 to 1000");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "127.0.0.1", "--timeout-ms", "-5"))
                .hasMessageStartingWith("--timeout-ms -5: expected a whole number from 1");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "127.0.0.1", "--keyspace", "my-keyspace"))
                .hasMessage("--keyspace my-keyspace: expected a name of letters, digits and underscores");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "127.0.0.1", "--table", "ycsb.usertable"))
                .hasMessageStartingWith("--table ycsb.usertable:");
        assertThatThrownBy(() -> CqlSchema.parse("--hosts", "127.0.0.1", "--datacenter", " "))
                .hasMessage("--datacenter is empty");
    }

    @Test
    void badArgumentsExitWith2AndTheUsage() {
        Run run = run("--hosts", "127.0.0.1", "--fields", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("cql-schema: --fields 0: expected a whole number from 1 to 1000")
                .contains("Usage: ").contains("--replication-factor N");
        assertThat(run().exitCode()).isEqualTo(2);
        assertThat(run("--bogus").err()).startsWith("cql-schema: unknown option --bogus");
    }

    @Test
    void helpPrintsTheUsage() {
        Run run = run("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: ").contains(CqlSchema.class.getName()).contains("--truncate");
        assertThat(run.err()).isEmpty();
        assertThat(run("--hosts", "127.0.0.1", "-h").exitCode()).isZero();
    }

    @Test
    void statements() {
        assertThat(CqlSchema.statements(CqlSchema.parse("--hosts", "127.0.0.1", "--fields", "3"))).containsExactly(
                "CREATE KEYSPACE IF NOT EXISTS ycsb WITH replication = {'class': 'SimpleStrategy', "
                        + "'replication_factor': 3}",
                "CREATE TABLE IF NOT EXISTS ycsb.usertable (y_id text PRIMARY KEY, field0 text, field1 text, "
                        + "field2 text)");
        List<String> all = CqlSchema.statements(CqlSchema.parse("--hosts", "127.0.0.1", "--keyspace", "Bench",
                "--table", "records", "--replication-factor", "1", "--fields", "1", "--drop", "--truncate"));
        assertThat(all).containsExactly("DROP KEYSPACE IF EXISTS \"Bench\"",
                "CREATE KEYSPACE IF NOT EXISTS \"Bench\" WITH replication = {'class': 'SimpleStrategy', "
                        + "'replication_factor': 1}",
                "CREATE TABLE IF NOT EXISTS \"Bench\".records (y_id text PRIMARY KEY, field0 text)",
                "TRUNCATE TABLE \"Bench\".records");
        List<String> ten = CqlSchema.statements(CqlSchema.parse("--hosts", "127.0.0.1"));
        assertThat(ten.get(1)).contains("field9 text)").doesNotContain("field10");
    }

    @Test
    void anUnreachableClusterExitsWith1() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // free once closed: nothing listens there
        }
        Run run = run("--hosts", "127.0.0.1:" + port, "--timeout-ms", "2000");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("cql-schema: failed: AllNodesFailedException: ")
                .contains("127.0.0.1:" + port);
    }

    // The checks of an existing schema, on fake metadata.

    private static ColumnMetadata column(String name, DataType type) {
        return Fakes.of(ColumnMetadata.class, Map.of("getName", CqlIdentifier.fromInternal(name), "getType", type));
    }

    private static Metadata metadata(Map<String, String> replication, List<ColumnMetadata> key,
            List<ColumnMetadata> fields) {
        Map<CqlIdentifier, ColumnMetadata> columns = new LinkedHashMap<>();
        for (ColumnMetadata c : key) {
            columns.put(c.getName(), c);
        }
        for (ColumnMetadata c : fields) {
            columns.put(c.getName(), c);
        }
        TableMetadata table = Fakes.of(TableMetadata.class, Map.of("getPartitionKey", key,
                "getClusteringColumns", Map.of(), "getColumns", columns));
        KeyspaceMetadata keyspace = Fakes.of(KeyspaceMetadata.class, Map.of("getReplication", replication,
                "getTables", Map.of(CqlIdentifier.fromInternal("usertable"), table)));
        return Fakes.of(Metadata.class, Map.of("getKeyspaces", Map.of(CqlIdentifier.fromInternal("ycsb"), keyspace)));
    }

    private static final Map<String, String> RF3 = Map.of("class", "org.apache.cassandra.locator.SimpleStrategy",
            "replication_factor", "3");

    private static List<ColumnMetadata> fields(int n, DataType type) {
        return IntStream.range(0, n).mapToObj(i -> column("field" + i, type)).toList();
    }

    @Test
    void theSchemaAsAsked() {
        CqlSchema.Options o = CqlSchema.parse("--hosts", "127.0.0.1", "--fields", "3");
        CqlSchema.check(metadata(RF3, List.of(column("y_id", DataTypes.TEXT)), fields(3, DataTypes.TEXT)), o);
        // Extra fields do no harm.
        CqlSchema.check(metadata(RF3, List.of(column("y_id", DataTypes.TEXT)), fields(10, DataTypes.TEXT)), o);
    }

    @Test
    void anOlderSchemaThatDiffers() {
        CqlSchema.Options o = CqlSchema.parse("--hosts", "127.0.0.1", "--fields", "3");
        List<ColumnMetadata> key = List.of(column("y_id", DataTypes.TEXT));
        assertThatThrownBy(() -> CqlSchema.check(metadata(Map.of("class",
                "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "1"), key,
                fields(3, DataTypes.TEXT)), o))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("keyspace ycsb already exists with replication")
                .hasMessageContaining("not SimpleStrategy with replication_factor 3")
                .hasMessageEndingWith("run again with --drop to recreate it (this deletes the keyspace's data)");
        assertThatThrownBy(() -> CqlSchema.check(metadata(Map.of("class",
                "org.apache.cassandra.locator.NetworkTopologyStrategy", "datacenter1", "3"), key,
                fields(3, DataTypes.TEXT)), o)).hasMessageStartingWith("keyspace ycsb already exists");
        assertThatThrownBy(() -> CqlSchema.check(metadata(RF3, key, fields(2, DataTypes.TEXT)), o))
                .hasMessageStartingWith("table ycsb.usertable already exists, but it has no column field2;");
        assertThatThrownBy(() -> CqlSchema.check(metadata(RF3, key, fields(3, DataTypes.BLOB)), o))
                .hasMessageContaining("column field0 is blob, not text");
        assertThatThrownBy(() -> CqlSchema.check(metadata(RF3, List.of(column("y_id", DataTypes.BLOB)),
                fields(3, DataTypes.TEXT)), o)).hasMessageContaining("its primary key is not y_id text");
        assertThatThrownBy(() -> CqlSchema.check(metadata(RF3, List.of(column("key", DataTypes.TEXT)),
                fields(3, DataTypes.TEXT)), o)).hasMessageContaining("its primary key is not y_id text");
        assertThatThrownBy(() -> CqlSchema.check(metadata(RF3, key, fields(3, DataTypes.TEXT)),
                CqlSchema.parse("--hosts", "127.0.0.1", "--table", "other")))
                .hasMessage("table ycsb.other is not in the driver's schema metadata");
        assertThatThrownBy(() -> CqlSchema.check(metadata(RF3, key, fields(3, DataTypes.TEXT)),
                CqlSchema.parse("--hosts", "127.0.0.1", "--keyspace", "other")))
                .hasMessage("keyspace other is not in the driver's schema metadata");
    }
}

package io.dynamo.ycsb.cql;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.metadata.Metadata;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Creates the keyspace and table {@link CqlYcsbClient} uses, if they do not exist:
 *
 * <pre>
 * CREATE KEYSPACE IF NOT EXISTS ycsb WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}
 * CREATE TABLE IF NOT EXISTS ycsb.usertable (y_id text PRIMARY KEY, field0 text, ..., field9 text)
 * </pre>
 *
 * {@code --drop} first drops the keyspace (with its data), {@code --truncate} empties the table
 * afterwards. After each schema change it waits until every node agrees on the schema (the
 * driver's wait after the change, then {@link CqlSession#checkSchemaAgreement()} until the
 * timeout). It then checks what is there: a keyspace or table that already existed with another
 * replication or without the columns the binding needs fails the run (rerun with {@code --drop}),
 * and a replication factor above the number of nodes in the datacenter is reported as a warning
 * (QUORUM requests would be unavailable).
 *
 * <p>Exit code 0 when done, 1 on failure (the error on stderr), 2 for bad arguments (with the
 * usage on stderr). {@link #run} is the same without {@code System.exit}.
 */
public final class CqlSchema {

    /** YCSB's default field name prefix (CoreWorkload's {@code fieldnameprefix}). */
    static final String FIELD_PREFIX = "field";

    static final int MAX_FIELDS = 1000;
    static final int MAX_REPLICATION_FACTOR = 100;
    static final long DEFAULT_TIMEOUT_MS = 60_000;

    /** What Cassandra accepts as a keyspace or table name. */
    private static final Pattern NAME = Pattern.compile("\\w+");

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -cp 'dynamo-ycsb-cql/target/dynamo-ycsb-cql-0.1.0-SNAPSHOT.jar:"
                    + "dynamo-ycsb-cql/target/lib/*' \\",
            "           " + CqlSchema.class.getName() + " --hosts HOST[:PORT],... [options]",
            "Creates the keyspace (SimpleStrategy) and the table of io.dynamo.ycsb.cql.CqlYcsbClient if they do not",
            "exist, and waits until every node agrees on the schema.",
            "  --hosts H1,H2             contact points, HOST or HOST:PORT, comma separated (required)",
            "  --port N                  the port of hosts given without one (default 9042)",
            "  --keyspace NAME           the keyspace (default ycsb; the binding's cql.keyspace)",
            "  --table NAME              the table (default usertable; YCSB's table property)",
            "  --replication-factor N    SimpleStrategy's replication_factor (default 3)",
            "  --fields N                the text columns field0 .. field<N-1> (default 10; YCSB's fieldcount)",
            "  --datacenter NAME         the driver's local datacenter (default datacenter1, SimpleSnitch's)",
            "  --timeout-ms N            the timeout of each statement and of the schema agreement (default 60000)",
            "  --drop                    drop the keyspace (and all its data) first",
            "  --truncate                empty the table after creating it",
            "  --help                    this text",
            "Exit code: 0 done, 1 failed (the error on stderr), 2 bad arguments.");

    private CqlSchema() {
    }

    /**
     * The parsed arguments.
     *
     * @param hosts             contact points, resolved
     * @param keyspace          the keyspace name
     * @param table             the table name
     * @param replicationFactor SimpleStrategy's replication factor
     * @param fields            the number of field columns
     * @param datacenter        the driver's local datacenter
     * @param timeout           the request timeout and the schema agreement timeout
     * @param drop              whether to drop the keyspace first
     * @param truncate          whether to empty the table afterwards
     */
    record Options(List<InetSocketAddress> hosts, String keyspace, String table, int replicationFactor, int fields,
            String datacenter, Duration timeout, boolean drop, boolean truncate) {

        Options {
            hosts = List.copyOf(hosts);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Parses the arguments and creates the schema; what {@link #main} does, without exiting.
     *
     * @return the exit code: 0 done (or {@code --help}), 1 failed, 2 bad arguments
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return 0;
            }
        }
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("cql-schema: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            create(options, out, err);
            return 0;
        } catch (RuntimeException e) {
            err.println("cql-schema: failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Parses the arguments ({@code --name value} or {@code --name=value}; a repeated option takes
     * its last value) and resolves the hosts.
     *
     * @throws IllegalArgumentException naming the option, for a missing, unknown or malformed one
     */
    static Options parse(String... args) {
        String hosts = null;
        String port = null;
        String keyspace = CqlSettings.DEFAULT_KEYSPACE;
        String table = CqlSettings.DEFAULT_TABLE;
        int replicationFactor = 3;
        int fields = 10;
        String datacenter = CqlSettings.DEFAULT_DATACENTER;
        long timeoutMs = DEFAULT_TIMEOUT_MS;
        boolean drop = false;
        boolean truncate = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String option = arg;
            String inline = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                option = arg.substring(0, equals);
                inline = arg.substring(equals + 1);
            }
            switch (option) {
                case "--drop", "--truncate" -> {
                    if (inline != null) {
                        throw new IllegalArgumentException(option + " takes no value");
                    }
                    if (option.equals("--drop")) {
                        drop = true;
                    } else {
                        truncate = true;
                    }
                }
                case "--hosts", "--port", "--keyspace", "--table", "--replication-factor", "--fields", "--datacenter",
                        "--timeout-ms" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new IllegalArgumentException(option + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (option) {
                        case "--hosts" -> hosts = value;
                        case "--port" -> port = value;
                        case "--keyspace" -> keyspace = name(option, value);
                        case "--table" -> table = name(option, value);
                        case "--replication-factor" -> replicationFactor = (int) number(option, value, 1,
                                MAX_REPLICATION_FACTOR);
                        case "--fields" -> fields = (int) number(option, value, 1, MAX_FIELDS);
                        case "--datacenter" -> {
                            if (value.isBlank()) {
                                throw new IllegalArgumentException("--datacenter is empty");
                            }
                            datacenter = value.trim();
                        }
                        default -> timeoutMs = number(option, value, 1, 3_600_000);
                    }
                }
                default -> throw new IllegalArgumentException(arg.startsWith("-") ? "unknown option " + option
                        : "unexpected argument " + arg);
            }
        }
        if (hosts == null || hosts.isBlank()) {
            throw new IllegalArgumentException("--hosts is required: the contact points of some Cassandra nodes, "
                    + "HOST or HOST:PORT, comma separated");
        }
        int defaultPort = CqlSettings.port(port, "--port");
        return new Options(CqlSettings.hosts(hosts, defaultPort, "--hosts"), keyspace, table, replicationFactor, fields,
                datacenter, Duration.ofMillis(timeoutMs), drop, truncate);
    }

    private static String name(String option, String value) {
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(option + " " + value + ": expected a name of letters, digits and "
                    + "underscores");
        }
        return value;
    }

    private static long number(String option, String value, long min, long max) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + value + ": expected a whole number from " + min + " to "
                + max);
    }

    /** The statements {@link #create} runs, in order. */
    static List<String> statements(Options o) {
        String keyspace = CqlStatements.identifier(o.keyspace());
        String table = keyspace + "." + CqlStatements.identifier(o.table());
        List<String> statements = new ArrayList<>();
        if (o.drop()) {
            statements.add("DROP KEYSPACE IF EXISTS " + keyspace);
        }
        statements.add("CREATE KEYSPACE IF NOT EXISTS " + keyspace
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + o.replicationFactor()
                + "}");
        StringBuilder columns = new StringBuilder(CqlStatements.KEY_COLUMN + " text PRIMARY KEY");
        for (int i = 0; i < o.fields(); i++) {
            columns.append(", ").append(CqlStatements.identifier(FIELD_PREFIX + i)).append(" text");
        }
        statements.add("CREATE TABLE IF NOT EXISTS " + table + " (" + columns + ")");
        if (o.truncate()) {
            statements.add("TRUNCATE TABLE " + table);
        }
        return statements;
    }

    /**
     * Connects and runs {@link #statements}, each printed on {@code out}, waiting for schema
     * agreement after each; then checks the keyspace and table. Warnings go to {@code err}.
     *
     * @throws RuntimeException with the reason, if a statement fails, the nodes do not agree in
     *         time, or the keyspace or table is not as the options ask
     */
    static void create(Options o, PrintStream out, PrintStream err) {
        try (CqlSession session = Sessions.open(o.hosts(), o.datacenter(), null,
                Sessions.config(o.timeout(), OptionalInt.empty(), o.timeout()))) {
            for (String cql : statements(o)) {
                out.println(cql);
                ResultSet result = session.execute(cql);
                if (!result.getExecutionInfo().isSchemaInAgreement()) {
                    awaitAgreement(session, o.timeout());
                }
            }
            awaitAgreement(session, o.timeout());
            Metadata metadata = session.refreshSchema();
            check(metadata, o);
            long nodes = metadata.getNodes().values().stream().filter(n -> o.datacenter().equals(n.getDatacenter()))
                    .count();
            if (o.replicationFactor() > nodes) {
                err.println("cql-schema: warning: replication factor " + o.replicationFactor() + " is above the "
                        + nodes + " node(s) of datacenter " + o.datacenter() + ": QUORUM requests will be unavailable");
            }
            out.println("keyspace " + o.keyspace() + " and table " + o.keyspace() + "." + o.table() + " ready ("
                    + CqlSettings.format(o.hosts()) + ", replication factor " + o.replicationFactor() + ", "
                    + o.fields() + " fields)");
        }
    }

    private static void awaitAgreement(CqlSession session, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!session.checkSchemaAgreement()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the nodes did not agree on the schema within " + timeout.toMillis()
                        + " ms (see nodetool describecluster)");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for schema agreement", e);
            }
        }
    }

    /**
     * Checks that the keyspace and table are as the options ask (the statements create them only
     * if they do not exist, so an older one may differ).
     *
     * @throws IllegalStateException saying what differs
     */
    static void check(Metadata metadata, Options o) {
        String again = "; run again with --drop to recreate it (this deletes the keyspace's data)";
        Optional<KeyspaceMetadata> keyspace = metadata.getKeyspace(CqlIdentifier.fromInternal(o.keyspace()));
        if (keyspace.isEmpty()) {
            throw new IllegalStateException("keyspace " + o.keyspace() + " is not in the driver's schema metadata");
        }
        Map<String, String> replication = keyspace.get().getReplication();
        String strategy = replication.getOrDefault("class", "");
        if (!strategy.endsWith("SimpleStrategy")
                || !String.valueOf(o.replicationFactor()).equals(replication.get("replication_factor"))) {
            throw new IllegalStateException("keyspace " + o.keyspace() + " already exists with replication "
                    + replication + ", not SimpleStrategy with replication_factor " + o.replicationFactor() + again);
        }
        Optional<TableMetadata> table = keyspace.get().getTable(CqlIdentifier.fromInternal(o.table()));
        if (table.isEmpty()) {
            throw new IllegalStateException("table " + o.keyspace() + "." + o.table()
                    + " is not in the driver's schema metadata");
        }
        List<ColumnMetadata> key = table.get().getPartitionKey();
        List<String> problems = new ArrayList<>();
        if (key.size() != 1 || !key.get(0).getName().asInternal().equals(CqlStatements.KEY_COLUMN)
                || !key.get(0).getType().equals(DataTypes.TEXT) || !table.get().getClusteringColumns().isEmpty()) {
            problems.add("its primary key is not " + CqlStatements.KEY_COLUMN + " text");
        }
        for (int i = 0; i < o.fields(); i++) {
            String field = FIELD_PREFIX + i;
            Optional<ColumnMetadata> column = table.get().getColumn(CqlIdentifier.fromInternal(field));
            if (column.isEmpty()) {
                problems.add("it has no column " + field);
            } else if (!column.get().getType().equals(DataTypes.TEXT)) {
                problems.add("column " + field + " is " + column.get().getType().asCql(false, true) + ", not text");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("table " + o.keyspace() + "." + o.table() + " already exists, but "
                    + String.join(", ", problems) + again);
        }
    }
}

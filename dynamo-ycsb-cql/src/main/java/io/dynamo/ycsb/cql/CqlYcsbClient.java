package io.dynamo.ycsb.cql;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.InvalidKeyspaceException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.servererrors.BootstrappingException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/**
 * A YCSB binding for Apache Cassandra over the Apache Cassandra Java driver 4
 * ({@code -db io.dynamo.ycsb.cql.CqlYcsbClient}), for running the same workloads against
 * Cassandra as {@code dynamo-ycsb} runs against Dynamo.
 *
 * <p><b>Properties</b> (see {@link CqlSettings}): {@code cql.hosts} (required), {@code cql.port}
 * (9042), {@code cql.keyspace} ({@code ycsb}), {@code cql.local_datacenter}
 * ({@code datacenter1}), {@code cql.read_consistency} and {@code cql.write_consistency}
 * ({@code QUORUM}), {@code cql.timeout_ms} (2000) and {@code cql.connections_per_host} (the
 * driver's 1). Every YCSB thread has its own instance; all share one {@link CqlSession} per JVM
 * (see {@link SharedSessions}), closed by the last {@link #cleanup()}. The session is configured
 * in code ({@link Sessions}); routing is the driver's default, token aware.
 *
 * <p><b>Schema.</b> The keyspace and table must exist ({@link CqlSchema} creates them):
 * {@code y_id text PRIMARY KEY} and one {@code text} column per field ({@code field0} to
 * {@code field9} for YCSB's default 10 fields). {@link #init()} fails with a clear message if
 * the keyspace or YCSB's {@code table} is missing. Field values are stored as text: YCSB's bytes
 * ({@link ByteIterator#toString()}, UTF-8; its generated values are printable ASCII) on writes,
 * {@link StringByteIterator}s on reads.
 *
 * <p><b>Operations</b>, each one prepared statement (prepared once per session, operation, table
 * and field set, see {@link CqlStatements}), executed synchronously at the configured
 * consistency level:
 * <ul>
 *   <li>{@code read}: {@code SELECT * | fields FROM t WHERE y_id = ?}; {@code NOT_FOUND} when there
 *       is no row. The result holds the fields that have a value (not the key column).</li>
 *   <li>{@code insert}: {@code INSERT INTO t (y_id, fields) VALUES (...)}, a blind write.</li>
 *   <li>{@code update}: {@code UPDATE t SET f = ?, ... WHERE y_id = ?}, one blind write of the
 *       given fields (an upsert: no read first, unlike dynamo-ycsb's update, which is a get and a
 *       put); {@code BAD_REQUEST} for no field.</li>
 *   <li>{@code delete}: {@code DELETE FROM t WHERE y_id = ?}, a blind write (a tombstone):
 *       {@code OK} whether or not the row existed.</li>
 *   <li>{@code scan}: {@code SELECT ... FROM t WHERE token(y_id) >= token(?) LIMIT ?}, as the
 *       upstream YCSB Cassandra binding scans: rows in token (hash) order from the start key's
 *       token, not in key order.</li>
 * </ul>
 * Statements are not marked idempotent (the driver's default), so the driver does not retry a
 * write that timed out, and retries no statement on another node after a server error or a lost
 * connection; its retry policy still retries a read timeout once when enough replicas answered
 * but not the data, and an unavailable error once on the next node.
 *
 * <p><b>Errors</b> become statuses, never exceptions: {@link #TIMEOUT} for the driver's
 * {@code DriverTimeoutException} (no answer within {@code cql.timeout_ms}) and the
 * coordinator's {@code ReadTimeoutException} and {@code WriteTimeoutException} (too few replicas
 * answered in time); {@code SERVICE_UNAVAILABLE} when nothing could serve the request:
 * {@code UnavailableException} (too few replicas alive), {@code OverloadedException},
 * {@code BootstrappingException}, {@code AllNodesFailedException} (every node tried failed, among
 * them {@code NoNodeAvailableException}: no node to try), {@code RequestThrottlingException} and
 * {@code BusyConnectionException}; {@code ERROR} for anything else, including a lost connection
 * and invalid queries. The first failure of each exception type is logged as a warning with its
 * message.
 */
public class CqlYcsbClient extends DB {

    private static final Logger LOG = LoggerFactory.getLogger(CqlYcsbClient.class);

    /**
     * A request that had no answer before its deadline; a write's outcome is then unknown. Named
     * as dynamo-ycsb's, so that the two bindings' reports line up.
     */
    public static final Status TIMEOUT = new Status("TIMEOUT",
            "The request timed out (a write may or may not have been applied).");

    /** Exception types already logged at warning level. */
    private static final Set<Class<?>> LOGGED = ConcurrentHashMap.newKeySet();

    private CqlSettings settings;
    private SharedSessions.Key key;
    private SharedSessions.Shared shared;

    @Override
    public void init() throws DBException {
        if (shared != null) {
            throw new DBException("cql-ycsb: init() called twice on one instance");
        }
        CqlSettings s;
        try {
            s = CqlSettings.from(getProperties());
        } catch (IllegalArgumentException e) {
            throw new DBException("cql-ycsb: " + e.getMessage(), e);
        }
        SharedSessions.Key k = SharedSessions.Key.of(s);
        SharedSessions.Shared sh;
        try {
            sh = SharedSessions.acquire(k);
        } catch (InvalidKeyspaceException e) {
            throw new DBException("cql-ycsb: keyspace " + s.keyspace() + " (" + CqlSettings.KEYSPACE
                    + ") does not exist; create it and the table with " + schemaCommand(s) + " (" + e.getMessage()
                    + ")", e);
        } catch (RuntimeException e) {
            throw new DBException("cql-ycsb: could not connect to the cluster through " + CqlSettings.HOSTS + "="
                    + getProperties().getProperty(CqlSettings.HOSTS) + " (local datacenter " + s.localDatacenter()
                    + "): " + e.getMessage(), e);
        }
        String missing;
        try {
            missing = missingTable(sh.session(), s);
        } catch (RuntimeException e) {
            missing = "could not read the schema metadata: " + e.getMessage();
        }
        if (missing != null) {
            SharedSessions.release(k);
            throw new DBException("cql-ycsb: " + missing);
        }
        this.settings = s;
        this.key = k;
        this.shared = sh;
    }

    /** Why the table cannot be used, or null if it is there (or the driver has no schema metadata to tell). */
    private static String missingTable(CqlSession session, CqlSettings s) {
        if (!session.isSchemaMetadataEnabled()) {
            return null;
        }
        Optional<KeyspaceMetadata> keyspace = session.getMetadata()
                .getKeyspace(CqlIdentifier.fromInternal(s.keyspace()));
        if (keyspace.isEmpty() || keyspace.get().getTable(CqlIdentifier.fromInternal(s.table())).isPresent()) {
            return null;
        }
        return "table " + s.table() + " (YCSB's " + CqlSettings.TABLE + " property) does not exist in keyspace "
                + s.keyspace() + "; create it with " + schemaCommand(s);
    }

    /** The {@link CqlSchema} command for what these settings use (the replication factor and fields: its defaults). */
    private static String schemaCommand(CqlSettings s) {
        return CqlSchema.class.getName() + " --hosts " + CqlSettings.format(s.hosts()) + " --keyspace " + s.keyspace()
                + " --table " + s.table() + " --datacenter " + s.localDatacenter();
    }

    @Override
    public void cleanup() throws DBException {
        if (shared != null) {
            shared = null;
            SharedSessions.release(key);
        }
    }

    /**
     * The shared session and statements this instance uses (null before {@link #init()} and after
     * {@link #cleanup()}); for tests.
     */
    SharedSessions.Shared shared() {
        return shared;
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        try {
            Row row = execute(CqlStatements.Operation.READ, table, CqlStatements.fields(fields), key).one();
            if (row == null) {
                return Status.NOT_FOUND;
            }
            putFields(row, result);
            return Status.OK;
        } catch (RuntimeException e) {
            return failed("read", e);
        }
    }

    @Override
    public Status scan(String table, String startkey, int recordcount, Set<String> fields,
            Vector<HashMap<String, ByteIterator>> result) {
        if (recordcount < 1) {
            return Status.BAD_REQUEST; // CQL's LIMIT must be positive
        }
        try {
            ResultSet rows = execute(CqlStatements.Operation.SCAN, table, CqlStatements.fields(fields), startkey,
                    recordcount);
            for (Row row : rows) {
                HashMap<String, ByteIterator> record = new HashMap<>();
                putFields(row, record);
                result.add(record);
            }
            return Status.OK;
        } catch (RuntimeException e) {
            return failed("scan", e);
        }
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        try {
            List<String> fields = CqlStatements.fields(values.keySet());
            Object[] bound = new Object[fields.size() + 1];
            bound[0] = key;
            for (int i = 0; i < fields.size(); i++) {
                bound[i + 1] = values.get(fields.get(i)).toString();
            }
            execute(CqlStatements.Operation.INSERT, table, fields, bound);
            return Status.OK;
        } catch (RuntimeException e) {
            return failed("insert", e);
        }
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        if (values.isEmpty()) {
            return Status.BAD_REQUEST; // nothing to SET
        }
        try {
            List<String> fields = CqlStatements.fields(values.keySet());
            Object[] bound = new Object[fields.size() + 1];
            for (int i = 0; i < fields.size(); i++) {
                bound[i] = values.get(fields.get(i)).toString();
            }
            bound[fields.size()] = key;
            execute(CqlStatements.Operation.UPDATE, table, fields, bound);
            return Status.OK;
        } catch (RuntimeException e) {
            return failed("update", e);
        }
    }

    @Override
    public Status delete(String table, String key) {
        try {
            execute(CqlStatements.Operation.DELETE, table, null, key);
            return Status.OK;
        } catch (RuntimeException e) {
            return failed("delete", e);
        }
    }

    /**
     * Runs the operation's prepared statement (prepared now if this is its first use) with the
     * values, at the read consistency level for reads and scans, the write one otherwise.
     */
    private ResultSet execute(CqlStatements.Operation operation, String table, List<String> fields,
            Object... values) {
        SharedSessions.Shared sh = shared;
        if (sh == null) {
            throw new IllegalStateException("init() has not been called, or cleanup() has");
        }
        boolean read = operation == CqlStatements.Operation.READ || operation == CqlStatements.Operation.SCAN;
        BoundStatement statement = sh.prepared(new CqlStatements.Key(operation, table, fields))
                .boundStatementBuilder(values)
                .setConsistencyLevel(read ? settings.readConsistency() : settings.writeConsistency())
                .build();
        return sh.session().execute(statement);
    }

    /** The row's field values, by column name: every column but the key, and only those with a value. */
    private static void putFields(Row row, Map<String, ByteIterator> result) {
        ColumnDefinitions columns = row.getColumnDefinitions();
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).getName().asInternal();
            if (name.equals(CqlStatements.KEY_COLUMN)) {
                continue;
            }
            String value = row.getString(i);
            if (value != null) {
                result.put(name, new StringByteIterator(value));
            }
        }
    }

    /** The status a failure maps to (a {@code CompletionException} or {@code ExecutionException} by its cause). */
    static Status statusOf(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof DriverTimeoutException || t instanceof ReadTimeoutException
                || t instanceof WriteTimeoutException) {
            return TIMEOUT;
        }
        if (t instanceof UnavailableException || t instanceof OverloadedException
                || t instanceof BootstrappingException || t instanceof AllNodesFailedException
                || t instanceof RequestThrottlingException || t instanceof BusyConnectionException) {
            return Status.SERVICE_UNAVAILABLE;
        }
        return Status.ERROR; // a lost connection (outcome unknown), an invalid query and anything else
    }

    private static Status failed(String operation, RuntimeException e) {
        Status status = statusOf(e);
        if (LOGGED.add(e.getClass())) {
            LOG.warn("cql-ycsb: {} failed with {} ({}): {} (further failures of this type are logged at debug level)",
                    operation, e.getClass().getSimpleName(), status.getName(), e.getMessage());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("cql-ycsb: {} failed with {}: {}", operation, e.getClass().getSimpleName(), e.getMessage());
        }
        return status;
    }
}

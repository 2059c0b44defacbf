package io.dynamo.ycsb;

import io.dynamo.client.CallOptions;
import io.dynamo.client.Context;
import io.dynamo.client.DynamoClient;
import io.dynamo.client.GetResult;
import io.dynamo.client.InsufficientReplicasException;
import io.dynamo.client.InvalidContextException;
import io.dynamo.client.InvalidRequestException;
import io.dynamo.client.OverloadedException;
import io.dynamo.client.RequestTimeoutException;
import io.dynamo.client.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * A YCSB binding for Dynamo over the Java client ({@code -db io.dynamo.ycsb.DynamoYcsbClient}).
 *
 * <p><b>Properties</b> (see {@link BindingSettings}): {@code dynamo.seeds} (required),
 * {@code dynamo.namespace} (default: YCSB's table name, {@code usertable} unless the workload sets
 * {@code table}), {@code dynamo.r}, {@code dynamo.w}, {@code dynamo.routing} ({@code client} or
 * {@code server}) and {@code dynamo.timeout_ms}. Every YCSB thread has its own instance; all share
 * one {@link DynamoClient} per JVM (see {@link SharedClients}), closed by the last
 * {@link #cleanup()}.
 *
 * <p><b>Records.</b> A YCSB record (field name to bytes) is one value, encoded by
 * {@link RecordCodec}, under the key's UTF-8 bytes.
 *
 * <p><b>Operations.</b>
 * <ul>
 *   <li>{@code read}: one get; {@code NOT_FOUND} when the key has no value. Siblings are merged by
 *       {@link SiblingMerge} (nothing is written back); {@code fields} selects from the result.</li>
 *   <li>{@code insert}: one put with the empty context (a blind write; on a key that already has a
 *       value it becomes a sibling, which reads and updates then merge).</li>
 *   <li>{@code update}: YCSB updates some of a record's fields. A get, the merge of its siblings,
 *       the new fields put over that record, and one put with the get's context, which covers
 *       every sibling read, so the write supersedes them all; never a blind overwrite. Timed by
 *       YCSB as one update. A key with no value gets a record of just the new fields (an
 *       upsert, as in Cassandra). A failed put is reported, not retried.</li>
 *   <li>{@code delete}: a get for the key's context, then a delete with it; {@code NOT_FOUND}
 *       when the key has no value.</li>
 *   <li>{@code scan}: {@code NOT_IMPLEMENTED}. Dynamo places keys by hash: there is no key order
 *       to scan in (YCSB's workload e needs one).</li>
 * </ul>
 *
 * <p><b>Errors</b> become statuses, never exceptions: {@code SERVICE_UNAVAILABLE} when nothing
 * could serve the request or too few replicas answered ({@code UnavailableException},
 * {@code InsufficientReplicasException}, {@code OverloadedException}); {@link #TIMEOUT} for
 * {@code RequestTimeoutException}; {@code BAD_REQUEST} for an invalid request or context (such
 * as {@code dynamo.w} above the namespace's N); {@code UNEXPECTED_STATE} when a key holds bytes
 * that are not a record; {@code ERROR} for anything else, including a lost connection. The first
 * failure of each exception type is logged as a warning with its message.
 */
public class DynamoYcsbClient extends DB {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoYcsbClient.class);

    /** A request that had no answer before its deadline; a write's outcome is then unknown. */
    public static final Status TIMEOUT = new Status("TIMEOUT",
            "The request timed out (a write may or may not have been applied).");

    /** The content type of the values the binding writes. */
    public static final String CONTENT_TYPE = "application/x-ycsb-record";

    /** Exception types already logged at warning level. */
    private static final Set<Class<?>> LOGGED = ConcurrentHashMap.newKeySet();

    private BindingSettings settings;
    private SharedClients.Key key;
    private DynamoClient client;
    private CallOptions readOptions;
    private CallOptions writeOptions;

    @Override
    public void init() throws DBException {
        if (client != null) {
            throw new DBException("dynamo-ycsb: init() called twice on one instance");
        }
        BindingSettings s;
        try {
            s = BindingSettings.from(getProperties());
        } catch (IllegalArgumentException e) {
            throw new DBException("dynamo-ycsb: " + e.getMessage(), e);
        }
        SharedClients.Key k = SharedClients.Key.of(s);
        DynamoClient c;
        try {
            c = SharedClients.acquire(k);
        } catch (RuntimeException e) {
            throw new DBException("dynamo-ycsb: could not connect to the cluster through " + BindingSettings.SEEDS + "="
                    + getProperties().getProperty(BindingSettings.SEEDS) + ": " + e.getMessage(), e);
        }
        CallOptions read = CallOptions.defaults();
        CallOptions write = CallOptions.defaults();
        if (s.r().isPresent()) {
            read = read.r(s.r().getAsInt());
        }
        if (s.w().isPresent()) {
            write = write.w(s.w().getAsInt());
        }
        this.settings = s;
        this.key = k;
        this.client = c;
        this.readOptions = read;
        this.writeOptions = write;
    }

    @Override
    public void cleanup() throws DBException {
        if (client != null) {
            client = null;
            SharedClients.release(key);
        }
    }

    /** The shared client this instance uses (null before {@link #init()} and after {@link #cleanup()}); for tests. */
    DynamoClient client() {
        return client;
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        try {
            GetResult read = client.get(settings.namespaceFor(table), bytes(key), readOptions);
            if (!read.isFound()) {
                return Status.NOT_FOUND;
            }
            for (Map.Entry<String, byte[]> field : SiblingMerge.merge(read.siblings()).entrySet()) {
                if (fields == null || fields.contains(field.getKey())) {
                    result.put(field.getKey(), new ByteArrayByteIterator(field.getValue()));
                }
            }
            return Status.OK;
        } catch (RuntimeException e) {
            return failed("read", e);
        }
    }

    @Override
    public Status scan(String table, String startkey, int recordcount, Set<String> fields,
            Vector<HashMap<String, ByteIterator>> result) {
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        try {
            byte[] record = RecordCodec.encode(toBytes(values));
            client.put(settings.namespaceFor(table), bytes(key), record, CONTENT_TYPE, Context.EMPTY, writeOptions);
            return Status.OK;
        } catch (RuntimeException e) {
            return failed("insert", e);
        }
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        try {
            // Take the values first: they are iterators, and a failure below must not leave them half read.
            Map<String, byte[]> changes = toBytes(values);
            String namespace = settings.namespaceFor(table);
            byte[] k = bytes(key);
            GetResult read = client.get(namespace, k, readOptions);
            Map<String, byte[]> record = read.isFound() ? SiblingMerge.merge(read.siblings()) : new HashMap<>();
            record.putAll(changes);
            client.put(namespace, k, RecordCodec.encode(record), CONTENT_TYPE, read.context(), writeOptions);
            return Status.OK;
        } catch (RuntimeException e) {
            return failed("update", e);
        }
    }

    @Override
    public Status delete(String table, String key) {
        try {
            String namespace = settings.namespaceFor(table);
            byte[] k = bytes(key);
            GetResult read = client.get(namespace, k, readOptions);
            if (!read.isFound()) {
                return Status.NOT_FOUND;
            }
            client.delete(namespace, k, read.context(), writeOptions);
            return Status.OK;
        } catch (RuntimeException e) {
            return failed("delete", e);
        }
    }

    /** The status a failure maps to. */
    static Status statusOf(Throwable e) {
        if (e instanceof UnavailableException || e instanceof InsufficientReplicasException
                || e instanceof OverloadedException) {
            return Status.SERVICE_UNAVAILABLE;
        }
        if (e instanceof RequestTimeoutException) {
            return TIMEOUT;
        }
        if (e instanceof InvalidRequestException || e instanceof InvalidContextException) {
            return Status.BAD_REQUEST;
        }
        if (e instanceof RecordFormatException) {
            return Status.UNEXPECTED_STATE;
        }
        return Status.ERROR; // ConnectionLostException (outcome unknown) and anything else
    }

    private static Status failed(String operation, RuntimeException e) {
        Status status = statusOf(e);
        if (LOGGED.add(e.getClass())) {
            LOG.warn("dynamo-ycsb: {} failed with {} ({}): {} (further failures of this type are logged at debug level)",
                    operation, e.getClass().getSimpleName(), status.getName(), e.getMessage());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("dynamo-ycsb: {} failed with {}: {}", operation, e.getClass().getSimpleName(), e.getMessage());
        }
        return status;
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> toBytes(Map<String, ByteIterator> values) {
        Map<String, byte[]> out = new HashMap<>(Math.max(4, values.size() * 2));
        for (Map.Entry<String, ByteIterator> v : values.entrySet()) {
            out.put(v.getKey(), v.getValue().toArray());
        }
        return out;
    }
}

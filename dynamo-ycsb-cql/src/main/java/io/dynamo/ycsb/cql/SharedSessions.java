package io.dynamo.ycsb.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link CqlSession}s of this JVM, one per distinct connection setting, reference counted:
 * YCSB makes one {@code DB} per thread and calls {@code init} and {@code cleanup} on each, and
 * they all share one session (its connection pools, metadata and I/O threads) and its prepared
 * statements. The first {@link #acquire} opens it, the last {@link #release} closes it.
 */
final class SharedSessions {

    /** What makes two bindings able to share a session (the consistency levels are per statement). */
    record Key(List<InetSocketAddress> hosts, String keyspace, String localDatacenter, Duration timeout,
            OptionalInt connectionsPerHost) {

        static Key of(CqlSettings s) {
            return new Key(s.hosts(), s.keyspace(), s.localDatacenter(), s.timeout(), s.connectionsPerHost());
        }
    }

    /** A session and the statements prepared on it. */
    static final class Shared {

        private final CqlSession session;
        private final ConcurrentMap<CqlStatements.Key, PreparedStatement> prepared = new ConcurrentHashMap<>();
        private int references;

        Shared(CqlSession session) {
            this.session = session;
        }

        CqlSession session() {
            return session;
        }

        /**
         * The statement prepared (on every node, the driver's default) the first time it is asked
         * for; two threads asking at once may both prepare it, which is harmless. A statement
         * that fails to prepare (such as one naming a column the table does not have) is not
         * cached, and fails again on the next call. The cache holds one entry per operation and
         * field set the workload uses: with YCSB's CoreWorkload, at most a few per field.
         *
         * @throws com.datastax.oss.driver.api.core.DriverException if the statement cannot be prepared
         */
        PreparedStatement prepared(CqlStatements.Key key) {
            PreparedStatement statement = prepared.get(key);
            if (statement == null) {
                statement = session.prepare(key.cql());
                PreparedStatement raced = prepared.putIfAbsent(key, statement);
                if (raced != null) {
                    statement = raced;
                }
            }
            return statement;
        }

        /** How many statements are prepared; for tests. */
        int preparedCount() {
            return prepared.size();
        }
    }

    private static final Map<Key, Shared> SESSIONS = new HashMap<>();

    private SharedSessions() {
    }

    /**
     * The session for these settings, opened if none is; every call must be matched by one
     * {@link #release}. Opening happens under this class's lock, so YCSB's other threads wait for
     * it rather than open sessions of their own.
     *
     * @throws com.datastax.oss.driver.api.core.DriverException if the session cannot open (no
     *         contact point answers, or the keyspace does not exist)
     */
    static synchronized Shared acquire(Key key) {
        Shared shared = SESSIONS.get(key);
        if (shared == null) {
            CqlSession session = Sessions.open(key.hosts(), key.localDatacenter(), key.keyspace(),
                    Sessions.config(key.timeout(), key.connectionsPerHost(), null));
            shared = new Shared(session);
            SESSIONS.put(key, shared);
        }
        shared.references++;
        return shared;
    }

    /** Gives back one reference; the last one closes the session. */
    static void release(Key key) {
        CqlSession toClose = null;
        synchronized (SharedSessions.class) {
            Shared shared = SESSIONS.get(key);
            if (shared == null) {
                return;
            }
            if (--shared.references == 0) {
                SESSIONS.remove(key);
                toClose = shared.session;
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    /** How many bindings hold the session of these settings (0 when it is closed); for tests. */
    static synchronized int references(Key key) {
        Shared shared = SESSIONS.get(key);
        return shared == null ? 0 : shared.references;
    }
}

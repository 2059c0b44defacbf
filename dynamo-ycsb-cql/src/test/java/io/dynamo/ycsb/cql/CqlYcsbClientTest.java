package io.dynamo.ycsb.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.BootstrappingException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/** The binding without a cluster: its status mapping, its errors from init(), and that operations never throw. */
class CqlYcsbClientTest {

    private static final Node NODE = Fakes.of(Node.class, Map.of("getDatacenter", "datacenter1"));
    private static final DefaultConsistencyLevel QUORUM = DefaultConsistencyLevel.QUORUM;

    @Test
    void timeouts() {
        assertThat(CqlYcsbClient.statusOf(new DriverTimeoutException("Query timed out after PT2S")))
                .isEqualTo(CqlYcsbClient.TIMEOUT);
        assertThat(CqlYcsbClient.statusOf(new ReadTimeoutException(NODE, QUORUM, 1, 2, false)))
                .isEqualTo(CqlYcsbClient.TIMEOUT);
        assertThat(CqlYcsbClient.statusOf(new WriteTimeoutException(NODE, QUORUM, 1, 2, WriteType.SIMPLE)))
                .isEqualTo(CqlYcsbClient.TIMEOUT);
        assertThat(CqlYcsbClient.TIMEOUT.getName()).isEqualTo("TIMEOUT");
        assertThat(CqlYcsbClient.TIMEOUT.isOk()).isFalse();
    }

    @Test
    void nothingCouldServeTheRequest() {
        assertThat(CqlYcsbClient.statusOf(new UnavailableException(NODE, QUORUM, 2, 1)))
                .isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(CqlYcsbClient.statusOf(new OverloadedException(NODE))).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(CqlYcsbClient.statusOf(new BootstrappingException(NODE))).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(CqlYcsbClient.statusOf(new NoNodeAvailableException())).isEqualTo(Status.SERVICE_UNAVAILABLE);
        AllNodesFailedException allFailed = AllNodesFailedException.fromErrors(List.of(Map.entry(NODE,
                new ClosedConnectionException("Lost connection to remote peer"))));
        assertThat(allFailed).isNotInstanceOf(NoNodeAvailableException.class);
        assertThat(CqlYcsbClient.statusOf(allFailed)).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(CqlYcsbClient.statusOf(new RequestThrottlingException("The session is shutting down")))
                .isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(CqlYcsbClient.statusOf(new BusyConnectionException(1024))).isEqualTo(Status.SERVICE_UNAVAILABLE);
    }

    @Test
    void anythingElseIsAnError() {
        assertThat(CqlYcsbClient.statusOf(new ClosedConnectionException("Lost connection to remote peer")))
                .isEqualTo(Status.ERROR);
        assertThat(CqlYcsbClient.statusOf(new InvalidQueryException(NODE, "unconfigured table usertable")))
                .isEqualTo(Status.ERROR);
        assertThat(CqlYcsbClient.statusOf(new ServerError(NODE, "boom"))).isEqualTo(Status.ERROR);
        assertThat(CqlYcsbClient.statusOf(new ReadFailureException(NODE, QUORUM, 1, 2, 1, false, Map.of())))
                .isEqualTo(Status.ERROR);
        assertThat(CqlYcsbClient.statusOf(new IllegalStateException("session closed"))).isEqualTo(Status.ERROR);
        assertThat(CqlYcsbClient.statusOf(new NullPointerException())).isEqualTo(Status.ERROR);
    }

    @Test
    void wrappedFailuresMapByTheirCause() {
        DriverException timeout = new DriverTimeoutException("Query timed out after PT2S");
        assertThat(CqlYcsbClient.statusOf(new CompletionException(timeout))).isEqualTo(CqlYcsbClient.TIMEOUT);
        assertThat(CqlYcsbClient.statusOf(new ExecutionException(new CompletionException(
                new OverloadedException(NODE))))).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(CqlYcsbClient.statusOf(new CompletionException(null))).isEqualTo(Status.ERROR);
    }

    private static CqlYcsbClient client(String... pairs) {
        Properties p = new Properties();
        for (String pair : pairs) {
            String[] kv = pair.split("=", 2);
            p.setProperty(kv[0], kv[1]);
        }
        CqlYcsbClient db = new CqlYcsbClient();
        db.setProperties(p);
        return db;
    }

    @Test
    void initNamesAMissingOrBadProperty() {
        assertThatThrownBy(() -> client().init()).isInstanceOf(DBException.class)
                .hasMessageStartingWith("cql-ycsb: cql.hosts is required");
        assertThatThrownBy(() -> client("cql.hosts=127.0.0.1", "cql.write_consistency=SERIAL").init())
                .isInstanceOf(DBException.class).hasMessageStartingWith("cql-ycsb: cql.write_consistency=SERIAL:");
        assertThatThrownBy(() -> client("cql.hosts=127.0.0.1", "cql.port=x").init())
                .hasMessage("cql-ycsb: cql.port=x: expected a port number from 1 to 65535");
    }

    @Test
    void initFailsClearlyWhenNoHostAnswers() throws IOException, DBException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // free once closed: nothing listens there
        }
        String hosts = "127.0.0.1:" + port;
        CqlYcsbClient db = client("cql.hosts=" + hosts);
        assertThatThrownBy(db::init).isInstanceOf(DBException.class)
                .hasMessageStartingWith("cql-ycsb: could not connect to the cluster through cql.hosts=" + hosts
                        + " (local datacenter datacenter1): ")
                .hasCauseInstanceOf(AllNodesFailedException.class);
        assertThat(db.shared()).isNull();
        assertThat(SharedSessions.references(SharedSessions.Key.of(CqlSettings.from(db.getProperties())))).isZero();
        db.cleanup(); // harmless after a failed init
    }

    @Test
    void operationsNeverThrow() throws DBException {
        // Not initialised: every operation fails, as a status.
        CqlYcsbClient db = client("cql.hosts=127.0.0.1");
        Map<String, ByteIterator> values = StringByteIterator.getByteIteratorMap(Map.of("field0", "a"));
        assertThat(db.read("usertable", "user1", null, new HashMap<>())).isEqualTo(Status.ERROR);
        assertThat(db.read("usertable", "user1", Set.of("field0"), new HashMap<>())).isEqualTo(Status.ERROR);
        assertThat(db.scan("usertable", "user1", 10, null, new Vector<>())).isEqualTo(Status.ERROR);
        assertThat(db.insert("usertable", "user1", values)).isEqualTo(Status.ERROR);
        assertThat(db.update("usertable", "user1", values)).isEqualTo(Status.ERROR);
        assertThat(db.delete("usertable", "user1")).isEqualTo(Status.ERROR);
        db.cleanup();
    }

    @Test
    void requestsThatCannotBeExpressed() {
        CqlYcsbClient db = client("cql.hosts=127.0.0.1");
        assertThat(db.update("usertable", "user1", Map.of())).isEqualTo(Status.BAD_REQUEST);
        assertThat(db.scan("usertable", "user1", 0, null, new Vector<>())).isEqualTo(Status.BAD_REQUEST);
    }
}

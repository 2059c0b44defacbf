package io.dynamo.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.client.Context;
import io.dynamo.client.DynamoClient;
import io.dynamo.client.GetResult;
import io.dynamo.client.ConnectionLostException;
import io.dynamo.client.InsufficientReplicasException;
import io.dynamo.client.InvalidContextException;
import io.dynamo.client.InvalidRequestException;
import io.dynamo.client.OverloadedException;
import io.dynamo.client.RequestTimeoutException;
import io.dynamo.client.UnavailableException;
import io.dynamo.net.testing.InProcessCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/** The binding driven directly (as YCSB's threads drive it) against a real 3-node cluster in this JVM (N=3, R=2, W=2). */
class DynamoYcsbClientTest {

    private static final String TABLE = "usertable";

    @TempDir
    static Path dataRoot;

    static InProcessCluster cluster;
    static String seeds;

    private final List<DynamoYcsbClient> opened = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = InProcessCluster.start(dataRoot, 3);
        seeds = cluster.clientAddresses().stream().map(a -> "127.0.0.1:" + a.getPort())
                .collect(Collectors.joining(","));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void cleanUp() throws DBException {
        for (DynamoYcsbClient db : opened) {
            db.cleanup();
        }
    }

    private DynamoYcsbClient open(String... pairs) throws DBException {
        Properties p = new Properties();
        p.setProperty("dynamo.seeds", seeds);
        for (String pair : pairs) {
            String[] kv = pair.split("=", 2);
            p.setProperty(kv[0], kv[1]);
        }
        DynamoYcsbClient db = new DynamoYcsbClient();
        db.setProperties(p);
        db.init();
        opened.add(db);
        return db;
    }

    /** Field names and values, alternating. */
    private static Map<String, ByteIterator> values(String... namesAndValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return StringByteIterator.getByteIteratorMap(m);
    }

    private static Map<String, String> text(Map<String, ByteIterator> result) {
        return StringByteIterator.getStringMap(result);
    }

    private static Map<String, String> read(DynamoYcsbClient db, String key, Set<String> fields) {
        Map<String, ByteIterator> result = new HashMap<>();
        assertThat(db.read(TABLE, key, fields, result)).isEqualTo(Status.OK);
        return text(result);
    }

    @Test
    void insertThenRead() throws DBException {
        DynamoYcsbClient db = open();
        assertThat(db.insert(TABLE, "user1", values("field0", "a", "field1", "b", "field2", "c")))
                .isEqualTo(Status.OK);
        assertThat(read(db, "user1", null)).isEqualTo(Map.of("field0", "a", "field1", "b", "field2", "c"));
        assertThat(read(db, "user1", Set.of("field1", "field9"))).isEqualTo(Map.of("field1", "b"));
    }

    @Test
    void aMissingKeyIsNotFound() throws DBException {
        DynamoYcsbClient db = open();
        Map<String, ByteIterator> result = new HashMap<>();
        assertThat(db.read(TABLE, "never-written", null, result)).isEqualTo(Status.NOT_FOUND);
        assertThat(result).isEmpty();
        assertThat(db.delete(TABLE, "never-written")).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void anUpdateOfOneFieldKeepsTheOthersAndLeavesOneValue() throws DBException {
        DynamoYcsbClient db = open();
        assertThat(db.insert(TABLE, "user2", values("field0", "a", "field1", "b", "field2", "c")))
                .isEqualTo(Status.OK);
        assertThat(db.update(TABLE, "user2", values("field1", "B"))).isEqualTo(Status.OK);
        assertThat(db.update(TABLE, "user2", values("field3", "new"))).isEqualTo(Status.OK);
        assertThat(read(db, "user2", null)).isEqualTo(Map.of("field0", "a", "field1", "B", "field2", "c",
                "field3", "new"));
        // Each update wrote with the read's context: one value, no siblings.
        assertThat(db.client().get(TABLE, "user2").siblings()).hasSize(1);
    }

    @Test
    void anUpdateOfAKeyWithNoValueWritesTheNewFields() throws DBException {
        DynamoYcsbClient db = open();
        assertThat(db.update(TABLE, "user3", values("field4", "x"))).isEqualTo(Status.OK);
        assertThat(read(db, "user3", null)).isEqualTo(Map.of("field4", "x"));
    }

    @Test
    void deleteThenNotFound() throws DBException {
        DynamoYcsbClient db = open();
        assertThat(db.insert(TABLE, "user4", values("field0", "a"))).isEqualTo(Status.OK);
        assertThat(db.delete(TABLE, "user4")).isEqualTo(Status.OK);
        assertThat(db.read(TABLE, "user4", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
        assertThat(db.delete(TABLE, "user4")).isEqualTo(Status.NOT_FOUND);
        // Inserted again after the delete: a value again, and only the new one.
        assertThat(db.insert(TABLE, "user4", values("field1", "b"))).isEqualTo(Status.OK);
        assertThat(read(db, "user4", null)).isEqualTo(Map.of("field1", "b"));
    }

    @Test
    void scanIsNotImplemented() throws DBException {
        DynamoYcsbClient db = open();
        assertThat(db.scan(TABLE, "user0", 10, null, new Vector<>())).isEqualTo(Status.NOT_IMPLEMENTED);
    }

    @Test
    void siblingsAreMergedOnReadAndReplacedByAnUpdate() throws DBException {
        DynamoYcsbClient db = open();
        // Two blind inserts of one key are concurrent: two siblings with different fields.
        assertThat(db.insert(TABLE, "user5", values("field0", "a", "field1", "first"))).isEqualTo(Status.OK);
        assertThat(db.insert(TABLE, "user5", values("field1", "second", "field2", "c"))).isEqualTo(Status.OK);
        DynamoClient client = db.client();
        assertThat(client.get(TABLE, "user5").siblings()).hasSize(2);
        Map<String, String> merged = read(db, "user5", null);
        assertThat(merged).containsOnlyKeys("field0", "field1", "field2");
        assertThat(merged.get("field0")).isEqualTo("a");
        assertThat(merged.get("field2")).isEqualTo("c");
        assertThat(db.update(TABLE, "user5", values("field3", "d"))).isEqualTo(Status.OK);
        GetResult after = client.get(TABLE, "user5");
        assertThat(after.siblings()).hasSize(1);
        Map<String, String> written = new HashMap<>();
        RecordCodec.decode(after.value()).forEach((k, v) -> written.put(k, new String(v, StandardCharsets.UTF_8)));
        assertThat(written).isEqualTo(Map.of("field0", "a", "field1", merged.get("field1"), "field2", "c",
                "field3", "d"));
    }

    @Test
    void aValueThatIsNotARecordIsAnUnexpectedState() throws DBException {
        DynamoYcsbClient db = open();
        db.client().put(TABLE, "plain", "just text", Context.EMPTY);
        assertThat(db.read(TABLE, "plain", null, new HashMap<>())).isEqualTo(Status.UNEXPECTED_STATE);
        assertThat(db.update(TABLE, "plain", values("field0", "a"))).isEqualTo(Status.UNEXPECTED_STATE);
    }

    @Test
    void theNamespaceIsTheTableUnlessSet() throws DBException {
        DynamoYcsbClient byTable = open();
        DynamoYcsbClient bySetting = open("dynamo.namespace=ycsb-other");
        assertThat(byTable.insert("tableA", "k", values("field0", "a"))).isEqualTo(Status.OK);
        assertThat(byTable.client().get("tableA", "k").isFound()).isTrue();
        assertThat(bySetting.insert("tableA", "k2", values("field0", "a"))).isEqualTo(Status.OK);
        assertThat(byTable.client().get("ycsb-other", "k2").isFound()).isTrue();
        assertThat(byTable.client().get("tableA", "k2").isFound()).isFalse();
    }

    @Test
    void quorumsAreSentAndABadOneIsABadRequest() throws DBException {
        DynamoYcsbClient all = open("dynamo.r=3", "dynamo.w=3", "dynamo.routing=server", "dynamo.timeout_ms=3000");
        assertThat(all.insert(TABLE, "user6", values("field0", "a"))).isEqualTo(Status.OK);
        assertThat(read(all, "user6", null)).isEqualTo(Map.of("field0", "a"));
        DynamoYcsbClient tooMany = open("dynamo.w=5");
        assertThat(tooMany.insert(TABLE, "user7", values("field0", "a"))).isEqualTo(Status.BAD_REQUEST);
    }

    @Test
    void threadsShareOneClientClosedByTheLastCleanup() throws DBException {
        DynamoYcsbClient one = open();
        DynamoYcsbClient two = open();
        SharedClients.Key key = SharedClients.Key.of(BindingSettings.from(one.getProperties()));
        assertThat(one.client()).isSameAs(two.client());
        assertThat(SharedClients.references(key)).isEqualTo(2);
        DynamoClient shared = one.client();
        one.cleanup();
        one.cleanup(); // twice is harmless
        assertThat(SharedClients.references(key)).isEqualTo(1);
        assertThat(two.read(TABLE, "never-written", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
        two.cleanup();
        assertThat(SharedClients.references(key)).isZero();
        assertThatThrownBy(() -> shared.get(TABLE, "x")).hasMessageContaining("closed");
        // After the last cleanup, a new init builds a new client.
        DynamoYcsbClient three = open();
        assertThat(three.client()).isNotSameAs(shared);
        assertThat(three.read(TABLE, "never-written", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void badSeedsGiveAClearError() throws IOException {
        assertThatThrownBy(() -> initWith(new Properties())).isInstanceOf(DBException.class)
                .hasMessageStartingWith("dynamo-ycsb: dynamo.seeds is required");
        Properties noPort = new Properties();
        noPort.setProperty("dynamo.seeds", "127.0.0.1");
        assertThatThrownBy(() -> initWith(noPort)).isInstanceOf(DBException.class)
                .hasMessageContaining("dynamo.seeds=127.0.0.1: '127.0.0.1' is not HOST:PORT");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Properties nobody = new Properties();
        nobody.setProperty("dynamo.seeds", "127.0.0.1:" + closedPort);
        assertThatThrownBy(() -> initWith(nobody)).isInstanceOf(DBException.class)
                .hasMessageStartingWith("dynamo-ycsb: could not connect to the cluster through dynamo.seeds=127.0.0.1:"
                        + closedPort);
        assertThat(SharedClients.references(SharedClients.Key.of(BindingSettings.from(nobody)))).isZero();
    }

    private static void initWith(Properties p) throws DBException {
        DynamoYcsbClient db = new DynamoYcsbClient();
        db.setProperties(p);
        db.init();
        db.cleanup();
    }

    @Test
    void failuresMapToStatuses() {
        assertThat(DynamoYcsbClient.statusOf(new UnavailableException("x"))).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(DynamoYcsbClient.statusOf(new OverloadedException(10, "x"))).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(DynamoYcsbClient.statusOf(new InsufficientReplicasException(2, 1, 0, 0, Map.of(), "x")))
                .isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(DynamoYcsbClient.statusOf(new RequestTimeoutException("x"))).isEqualTo(DynamoYcsbClient.TIMEOUT);
        assertThat(DynamoYcsbClient.statusOf(new InvalidRequestException("x"))).isEqualTo(Status.BAD_REQUEST);
        assertThat(DynamoYcsbClient.statusOf(new InvalidContextException("x"))).isEqualTo(Status.BAD_REQUEST);
        assertThat(DynamoYcsbClient.statusOf(new RecordFormatException("x"))).isEqualTo(Status.UNEXPECTED_STATE);
        assertThat(DynamoYcsbClient.statusOf(new ConnectionLostException("x"))).isEqualTo(Status.ERROR);
        assertThat(DynamoYcsbClient.statusOf(new IllegalStateException("x"))).isEqualTo(Status.ERROR);
    }

    /** Its own cluster: two of three nodes stop, and every operation returns a failure status, never throws. */
    @Test
    void aClusterThatLostItsQuorumGivesFailureStatuses(@TempDir Path own) throws IOException, DBException {
        try (InProcessCluster small = InProcessCluster.start(own, 3)) {
            InetSocketAddress first = small.clientAddresses().get(0);
            Properties p = new Properties();
            p.setProperty("dynamo.seeds", "127.0.0.1:" + first.getPort());
            p.setProperty("dynamo.timeout_ms", "1000");
            DynamoYcsbClient db = new DynamoYcsbClient();
            db.setProperties(p);
            db.init();
            try {
                assertThat(db.insert(TABLE, "k", values("field0", "a"))).isEqualTo(Status.OK);
                small.servers().get(1).close();
                small.servers().get(2).close();
                Set<Status> failures = Set.of(Status.SERVICE_UNAVAILABLE, DynamoYcsbClient.TIMEOUT, Status.ERROR);
                assertThat(db.insert(TABLE, "k2", values("field0", "a"))).isIn(failures);
                assertThat(db.update(TABLE, "k", values("field0", "b"))).isIn(failures);
                assertThat(db.read(TABLE, "k", null, new HashMap<>())).isIn(failures);
                assertThat(db.delete(TABLE, "k")).isIn(failures);
            } finally {
                db.cleanup();
            }
        }
    }
}

package io.dynamo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.testing.InProcessCluster;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real 3-node cluster in this JVM (N=3, R=2, W=2), each node with its own
 * client protocol server. The test that stops a node runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DynamoClientTest {

    private static final int NODES = 3;

    @TempDir
    static Path dataRoot;

    static InProcessCluster cluster;
    static List<DynamoServer> servers;
    static List<InetSocketAddress> clientAddresses;
    static DynamoClient client;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = InProcessCluster.start(dataRoot, NODES);
        servers = cluster.servers();
        clientAddresses = cluster.clientAddresses();
        client = DynamoClient.builder().seeds(clientAddresses).ringRefresh(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(3)).connectTimeout(Duration.ofMillis(500)).build();
    }

    @AfterAll
    static void stopCluster() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Client requests of {@code operation} each node has served, by node index. */
    private static long[] served(String operation) {
        long[] counts = new long[NODES];
        for (int i = 0; i < NODES; i++) {
            for (Timer t : servers.get(i).metrics().registry().find("dynamo.requests").tag("operation", operation)
                    .timers()) {
                counts[i] += t.count();
            }
        }
        return counts;
    }

    /** The key's owners as node 1 computes them. */
    private static List<String> serverOwners(String namespace, byte[] key) {
        return servers.get(0).onNodeThread(() -> {
            var node = servers.get(0).node().orElseThrow();
            Ring ring = node.clusterState().orElseThrow().ring();
            int partition = ring.partitionOf(namespace, key);
            return ClusterState.owners(ring, partition, 3).stream().map(NodeId::value).toList();
        });
    }

    // ------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void putGetDelete() {
        GetResult missing = client.get("basic", "k");
        assertThat(missing.isFound()).isFalse();
        assertThat(missing.value()).isNull();
        assertThat(missing.context()).isEqualTo(Context.EMPTY);

        PutResult first = client.put("basic", "k", "one", Context.EMPTY);
        assertThat(first.acknowledged()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(first.context().isEmpty()).isFalse();

        GetResult read = client.get("basic", "k");
        assertThat(read.valueAsString()).isEqualTo("one");
        assertThat(read.sibling().contentType()).isEqualTo(DynamoClient.TEXT_CONTENT_TYPE);

        client.put("basic", bytes("k"), bytes("two"), "application/x-two", read.context(),
                CallOptions.defaults().w(3).dw(1));
        GetResult again = client.get("basic", bytes("k"), CallOptions.defaults().r(3));
        assertThat(again.siblings()).hasSize(1);
        assertThat(again.valueAsString()).isEqualTo("two");
        assertThat(again.sibling().contentType()).isEqualTo("application/x-two");

        client.delete("basic", "k", again.context());
        GetResult gone = client.get("basic", "k");
        assertThat(gone.isFound()).isFalse();
        assertThat(gone.context().isEmpty()).isFalse(); // the delete's context
    }

    @Test
    @Order(2)
    void blindWritesBecomeSiblingsAndUpdateResolvesThem() {
        client.put("sib", "cart", "apple", Context.EMPTY);
        client.put("sib", "cart", "pear", Context.EMPTY);
        GetResult read = client.get("sib", "cart");
        assertThat(read.siblings()).extracting(Sibling::valueAsString).containsExactlyInAnyOrder("apple", "pear");
        assertThatThrownBy(read::value).isInstanceOf(SiblingsException.class)
                .satisfies(e -> assertThat(((SiblingsException) e).siblings()).hasSize(2));

        Resolver union = siblings -> String.join(",", siblings.stream().map(Sibling::valueAsString).sorted()
                .toList()).getBytes(StandardCharsets.UTF_8);
        client.update("sib", "cart", union, current -> (new String(current, StandardCharsets.UTF_8) + ",plum")
                .getBytes(StandardCharsets.UTF_8));
        GetResult merged = client.get("sib", "cart");
        assertThat(merged.siblings()).hasSize(1);
        assertThat(merged.valueAsString()).isEqualTo("apple,pear,plum");
        assertThat(merged.sibling().contentType()).isEqualTo(DynamoClient.TEXT_CONTENT_TYPE);
    }

    @Test
    @Order(3)
    void updateCreatesIncrementsAndDeletes() {
        Mutator increment = current -> bytes(Integer.toString(
                current == null ? 1 : Integer.parseInt(new String(current, StandardCharsets.UTF_8)) + 1));
        for (int i = 0; i < 5; i++) {
            client.update("counters", "c", Resolver.lastWriterWins(), increment);
        }
        assertThat(client.get("counters", "c").valueAsString()).isEqualTo("5");
        assertThat(client.get("counters", "c").sibling().contentType()).isEqualTo(DynamoClient.DEFAULT_CONTENT_TYPE);
        client.update("counters", "c", Resolver.lastWriterWins(), current -> null);
        assertThat(client.get("counters", "c").isFound()).isFalse();
    }

    @Test
    @Order(4)
    void clientRoutingSendsEachRequestToTheKeysFirstOwner() {
        client.refreshRing().join();
        int keys = 30;
        long[] expected = new long[NODES];
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            byte[] key = bytes("routed-" + i);
            all.add(key);
            List<String> owners = serverOwners("routing", key);
            assertThat(client.owners("routing", key)).isEqualTo(owners); // same hashing, same ring
            expected[Integer.parseInt(owners.get(0).substring(1)) - 1]++;
        }
        long[] before = served("put");
        for (byte[] key : all) {
            client.put("routing", key, bytes("v"), "text/plain", Context.EMPTY);
        }
        long[] after = served("put");
        long[] delta = new long[NODES];
        for (int i = 0; i < NODES; i++) {
            delta[i] = after[i] - before[i];
        }
        assertThat(delta).containsExactly(expected);
    }

    @Test
    @Order(5)
    void serverRoutingSpreadsRequestsOverAllNodes() {
        try (DynamoClient roundRobin = DynamoClient.builder().seeds(clientAddresses.get(1)).routing(Routing.SERVER)
                .connectionsPerNode(2).build()) {
            roundRobin.put("server-routed", "k", "v", Context.EMPTY);
            long[] before = served("get");
            for (int i = 0; i < 9; i++) {
                assertThat(roundRobin.get("server-routed", "k").valueAsString()).isEqualTo("v");
            }
            long[] after = served("get");
            for (int i = 0; i < NODES; i++) {
                assertThat(after[i] - before[i]).as("gets served by n%d", i + 1).isPositive();
            }
            assertThat(client.get("server-routed", "k").valueAsString()).isEqualTo("v");
        }
    }

    @Test
    @Order(6)
    void badInputGetsTypedExceptions() {
        assertThatThrownBy(() -> client.put("typed", bytes("k"), bytes("v"), "text/plain", Context.EMPTY,
                CallOptions.defaults().w(4))).isInstanceOf(InvalidRequestException.class).hasMessageContaining("w");
        assertThatThrownBy(() -> client.get("typed", bytes("k"), CallOptions.defaults().r(0)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> client.delete("typed", bytes("k"), Context.EMPTY, CallOptions.defaults().w(1).dw(2)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> client.get("x".repeat(300), "k")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> client.put("typed", bytes("k"), bytes("v"), "text/plain",
                Context.of(new byte[] {7, 7, 7}))).isInstanceOf(InvalidContextException.class);
        assertThatThrownBy(() -> Context.fromBase64("not base64!")).isInstanceOf(InvalidContextException.class);
        // nothing was written by any of them
        assertThat(client.get("typed", "k").isFound()).isFalse();
    }

    @Test
    @Order(7)
    void contextsInteroperateWithTheHttpHeader() throws Exception {
        client.put("interop", "k", "v", Context.EMPTY);
        GetResult read = client.get("interop", "k");
        int httpPort = servers.get(0).endpoints().http().getPort();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/buckets/interop/keys/k")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String header = response.headers().firstValue("X-Dynamo-Context").orElseThrow();
        assertThat(Context.fromBase64(header)).isEqualTo(read.context());
        assertThat(read.context().toBase64()).isEqualTo(header);
        // A context from HTTP supersedes through the client.
        client.put("interop", "k", "w", Context.fromBase64(header));
        assertThat(client.get("interop", "k").valueAsString()).isEqualTo("w");
        assertThat(Context.fromBase64("")).isEqualTo(Context.EMPTY);
    }

    @Test
    @Order(8)
    void manyAsyncRequestsArePipelined() {
        int count = 300;
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            puts.add(client.putAsync("async", bytes("k" + i), bytes("v" + i), "text/plain", Context.EMPTY));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        List<CompletableFuture<GetResult>> gets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            gets.add(client.getAsync("async", bytes("k" + i)));
        }
        for (int i = 0; i < count; i++) {
            assertThat(gets.get(i).join().valueAsString()).isEqualTo("v" + i);
        }
    }

    @Test
    @Order(100)
    void readsFailOverWhenAnOwnerStops() {
        // Keys whose first owner is n3, written to all three replicas while n3 is up.
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 5; i++) {
            byte[] key = bytes("failover-" + i);
            if (client.owners("failover", key).get(0).equals("n3")) {
                keys.add(key);
                client.put("failover", key, bytes("kept-" + i), "text/plain", Context.EMPTY,
                        CallOptions.defaults().w(3));
            }
        }
        servers.get(2).close();
        for (byte[] key : keys) {
            GetResult read = client.get("failover", key);
            assertThat(read.valueAsString()).startsWith("kept-");
        }
        // A write whose first owner is down goes to the next owner: it never reached n3.
        PutResult written = client.put("failover", keys.get(0), bytes("after"), "text/plain",
                client.get("failover", keys.get(0)).context());
        assertThat(written.acknowledged()).doesNotContain("n3");
        assertThat(client.get("failover", keys.get(0)).valueAsString()).isEqualTo("after");
    }
}

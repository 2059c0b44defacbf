package io.dynamo.cli.server;

import static io.dynamo.cli.server.CliRun.await;
import static io.dynamo.cli.server.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clusters of child JVMs on loopback, each node a {@code dynamo server} process with RocksDB
 * on disk, driven over HTTP and the CLI: the whole path a user takes.
 */
class ClusterEndToEndTest {

    private static final String FAST = """
            gossip_interval_ms: 200
            replica_timeout_ms: 500
            shutdown_grace_ms: 2000
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private LocalCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private LocalCluster start(Path dir, int nodes) {
        cluster = new LocalCluster(dir, "e2e", 32, freeBasePort(nodes + 1), nodes).withExtraConfig(FAST);
        cluster.start();
        cluster.awaitReady(Duration.ofSeconds(90));
        return cluster;
    }

    @Test
    void putGetAndDeleteThroughHttpAndTheCli(@TempDir Path dir) throws Exception {
        start(dir, 3);
        LocalCluster.Node n1 = cluster.node(1);
        LocalCluster.Node n3 = cluster.node(3);

        HttpResponse<String> put = send(n1, "PUT", "/buckets/carts/keys/alice", "milk", null);
        assertThat(put.statusCode()).isEqualTo(204);
        String context = put.headers().firstValue("X-Dynamo-Context").orElseThrow();

        for (LocalCluster.Node n : cluster.nodes()) {
            HttpResponse<String> got = send(n, "GET", "/buckets/carts/keys/alice?r=3", null, null);
            assertThat(got.statusCode()).as("GET from %s: %s", n.id(), got.body()).isEqualTo(200);
            assertThat(got.body()).isEqualTo("milk");
        }

        // Through the CLI: a read-modify-write with the context, then a delete with the new one.
        CliRun get = cli("get", "--node", "127.0.0.1:" + n3.httpPort(), "-b", "carts", "alice");
        assertThat(get.code()).isZero();
        assertThat(get.out().strip()).isEqualTo("milk");
        assertThat(get.err()).contains("context: " + context);
        CliRun put2 = cli("put", "--node", "127.0.0.1:" + n3.httpPort(), "-b", "carts", "alice", "milk,eggs",
                "--context", context);
        assertThat(put2.code()).isZero();
        String context2 = put2.out().strip().replace("context: ", "");
        HttpResponse<String> one = send(n1, "GET", "/buckets/carts/keys/alice?r=3", null, null);
        assertThat(one.statusCode()).as("no sibling: the put superseded what it read").isEqualTo(200);
        assertThat(one.body()).isEqualTo("milk,eggs");

        CliRun delete = cli("delete", "--node", "127.0.0.1:" + n1.httpPort(), "-b", "carts", "alice", "--context",
                context2);
        assertThat(delete.code()).isZero();
        assertThat(send(n3, "GET", "/buckets/carts/keys/alice?r=3", null, null).statusCode()).isEqualTo(404);
        assertThat(cli("get", "--node", "127.0.0.1:" + n3.httpPort(), "-b", "carts", "alice").code()).isEqualTo(3);

        // A delete without a context reads first and supersedes every sibling it read (a blind delete
        // would only have added a concurrent tombstone, and a later get would still see both).
        send(n1, "PUT", "/buckets/carts/keys/carol?w=3", "milk", null);
        send(n3, "PUT", "/buckets/carts/keys/carol?w=3", "bread", null);
        assertThat(send(n1, "GET", "/buckets/carts/keys/carol?r=3", null, null).statusCode()).isEqualTo(300);
        CliRun blind = cli("delete", "--node", "127.0.0.1:" + n3.httpPort(), "-b", "carts", "carol");
        assertThat(blind.code()).as(blind.err()).isZero();
        assertThat(blind.out()).contains("no --context given: read the key first; deleting the 2 versions it returned")
                .contains("deleted carol");
        HttpResponse<String> gone = send(n1, "GET", "/buckets/carts/keys/carol?r=3", null, null);
        assertThat(gone.statusCode()).as("no sibling survives the delete: %s", gone.body()).isEqualTo(404);
        CliRun nothing = cli("delete", "--node", "127.0.0.1:" + n1.httpPort(), "-b", "carts", "carol");
        assertThat(nothing.code()).isEqualTo(3);
        assertThat(nothing.err()).contains("not found: carol (nothing to delete)");
        assertThat(nothing.out()).doesNotContain("deleted");

        // 'NO' also marks a member whose status answer was late (busy JVMs): a table without one comes soon.
        await("the members table shows every member reachable", Duration.ofSeconds(20), () -> {
            CliRun members = cli("admin", "members", "--node", "127.0.0.1:" + n1.httpPort());
            return members.out().contains("n3") && !members.out().contains("NO");
        });

        CliRun leave = cli("admin", "leave", "n3", "--node", "127.0.0.1:" + n1.httpPort());
        assertThat(leave.code()).as("no terminal in the test: refused without --yes").isEqualTo(2);
        assertThat(leave.err()).contains("pass --yes to confirm");
        assertThat(json(n1, "/admin/members").path("members").toString()).doesNotContain("leaving");

        // Through the Java client, routed straight to the key's replicas.
        java.util.List<java.net.InetSocketAddress> seeds = cluster.nodes().stream()
                .map(n -> new java.net.InetSocketAddress("127.0.0.1", n.clientPort())).toList();
        try (io.dynamo.client.DynamoClient client = io.dynamo.client.DynamoClient.builder().seeds(seeds).build()) {
            var written = client.put("carts", "bob", "tea", io.dynamo.client.Context.EMPTY);
            assertThat(written.acknowledged()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(send(n3, "GET", "/buckets/carts/keys/bob?r=3", null, null).body()).isEqualTo("tea");
            var read = client.get("carts", "bob");
            assertThat(read.valueAsString()).isEqualTo("tea");
            client.put("carts", "bob", "tea,jam", read.context());
            assertThat(client.get("carts", "bob").siblings()).hasSize(1);
            client.delete("carts", "bob", client.get("carts", "bob").context());
            assertThat(client.get("carts", "bob").isFound()).isFalse();
            assertThat(send(n1, "GET", "/buckets/carts/keys/bob?r=3", null, null).statusCode()).isEqualTo(404);
        }

        // Bucket properties changed at one node reach the others by gossip.
        CliRun set = cli("admin", "buckets", "carts", "--set", "r=3", "--set", "w=3", "--node", "127.0.0.1:"
                + n1.httpPort());
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).contains("set for the whole cluster");
        await("n3 applies the setting", Duration.ofSeconds(20),
                () -> json(n3, "/admin/buckets/carts").path("props").path("w").asText().equals("3"));
        assertThat(cli("admin", "buckets", "--node", "127.0.0.1:" + n3.httpPort()).out()).contains("carts");
        assertThat(cli("admin", "buckets", "carts", "--set", "r=4", "--node", "127.0.0.1:" + n3.httpPort()).code())
                .as("r above n is refused").isEqualTo(2);
    }

    @Test
    void aKilledNodeCatchesUpByHintsAndAntiEntropy(@TempDir Path dir) throws Exception {
        start(dir, 4);
        LocalCluster.Node victim = cluster.node(4);
        List<String> acknowledged = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 40; i++) {
            writeAndRecord(cluster.node(1 + random.nextInt(4)), "k" + i, acknowledged);
        }

        victim.kill(); // SIGKILL: no goodbye
        for (int i = 40; i < 160; i++) {
            writeAndRecord(cluster.node(1 + random.nextInt(3)), "k" + i, acknowledged);
        }
        assertThat(acknowledged).as("W=2 of N=3 keeps accepting writes with one node dead").hasSizeGreaterThan(150);
        long hints = 0;
        for (int i = 1; i <= 3; i++) {
            hints += cluster.node(i).getJson("/admin/status").path("pending_hints").asLong();
        }
        assertThat(hints).as("fallbacks hold hints for the dead node").isPositive();
        // admin status speaks for the cluster: the members' hints summed, the dead node named as not counted.
        CliRun status = cli("admin", "status", "--node", "127.0.0.1:" + cluster.node(2).httpPort());
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).containsPattern("pending_hints +" + hints
                + " \\(n1 \\d+, n2 \\d+, n3 \\d+; not counted: n4 (unreachable|did not answer: .+)\\)");

        victim.start();
        cluster.awaitReady(Duration.ofSeconds(60));
        await("every hint is delivered", Duration.ofSeconds(60), () -> {
            long pending = 0;
            for (LocalCluster.Node n : cluster.nodes()) {
                pending += json(n, "/admin/status").path("pending_hints").asLong();
            }
            return pending == 0;
        });
        await("anti-entropy runs on the restarted node", Duration.ofSeconds(30),
                () -> json(victim, "/admin/anti-entropy").path("exchanges").asLong() > 0);
        for (String key : acknowledged) {
            HttpResponse<String> got = send(victim, "GET", "/buckets/e2e/keys/" + key + "?r=3", null, null);
            assertThat(got.statusCode()).as("R=N read of %s: %s", key, got.body()).isEqualTo(200);
            assertThat(got.body()).isEqualTo("v-" + key);
        }
    }

    @Test
    void aNodeJoinsThroughTheCliAndReceivesItsShare(@TempDir Path dir) throws Exception {
        start(dir, 3);
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            writeAndRecord(cluster.node(1 + i % 3), "j" + i, acknowledged);
        }
        assertThat(acknowledged).hasSize(100);

        LocalCluster.Node joiner = cluster.addNode();
        joiner.start();
        await("the new node answers", Duration.ofSeconds(30), () -> {
            return json(joiner, "/admin/status").path("state").asText().equals("waiting_to_join");
        });
        CliRun join = cli("admin", "join", "--node", "127.0.0.1:" + joiner.httpPort(),
                "n1@127.0.0.1:" + cluster.node(1).peerPort());
        assertThat(join.code()).as(join.err()).isZero();

        cluster.awaitReady(Duration.ofSeconds(120));
        String n2 = "127.0.0.1:" + cluster.node(2).httpPort();
        CliRun again = cli("admin", "invite", "127.0.0.1:" + joiner.httpPort(), "--node", n2);
        assertThat(again.code()).as("inviting a member again is refused: " + again.out()).isEqualTo(2);
        assertThat(again.err()).contains("already belongs");
        await("the members table lists the joiner, reachable", Duration.ofSeconds(20), () -> {
            CliRun table = cli("admin", "members", "--node", n2);
            return table.out().contains("uptime") && table.out().contains(joiner.id()) && !table.out().contains("NO");
        });
        CliRun where = cli("admin", "preflist", "-b", "e2e", "j1", "--node", n2);
        assertThat(where.code()).as(where.err()).isZero();
        assertThat(where.out()).contains("partition").contains("n=3");
        JsonNode members = json(joiner, "/admin/members").path("members");
        int owned = 0;
        for (JsonNode m : members) {
            if (m.path("id").asText().equals(joiner.id())) {
                owned = m.path("partitions").asInt();
            }
        }
        assertThat(owned).as("partitions the joiner owns").isGreaterThanOrEqualTo(32 / 4 - 2);
        assertThat(json(joiner, "/admin/transfers").path("this_node").path("keys_moved").asLong())
                .as("keys streamed to the joiner").isPositive();
        for (String key : acknowledged) {
            HttpResponse<String> got = send(joiner, "GET", "/buckets/e2e/keys/" + key + "?r=3", null, null);
            assertThat(got.statusCode()).as("R=N read of %s after the join: %s", key, got.body()).isEqualTo(200);
            assertThat(got.body()).isEqualTo("v-" + key);
        }
    }

    @Test
    void aPartitionHealsWithoutLosingAnAcknowledgedAdd(@TempDir Path dir) throws Exception {
        cluster = new LocalCluster(dir, "e2e", 32, freeBasePort(5), 4)
                .withExtraConfig(FAST + "fault_injection: true\n");
        cluster.start();
        cluster.awaitReady(Duration.ofSeconds(90));
        List<LocalCluster.Node> left = List.of(cluster.node(1), cluster.node(2));
        List<LocalCluster.Node> right = List.of(cluster.node(3), cluster.node(4));
        for (LocalCluster.Node n : left) {
            assertThat(send(n, "POST", "/admin/faults?isolate=n3,n4", "", null).statusCode()).isEqualTo(200);
        }
        for (LocalCluster.Node n : right) {
            assertThat(send(n, "POST", "/admin/faults?isolate=n1,n2", "", null).statusCode()).isEqualTo(200);
        }

        // Shopping-cart adds on both sides of the partition: read, add, write back with the context.
        java.util.Map<String, java.util.Set<String>> acknowledged = new java.util.TreeMap<>();
        List<String> carts = List.of("cart-a", "cart-b", "cart-c");
        for (int i = 0; i < 15; i++) {
            for (String cart : carts) {
                addToCart(left.get(i % 2), cart, "L" + i, acknowledged);
                addToCart(right.get(i % 2), cart, "R" + i, acknowledged);
            }
        }
        long leftAcks = acknowledged.values().stream().flatMap(java.util.Set::stream).filter(e -> e.startsWith("L"))
                .count();
        long rightAcks = acknowledged.values().stream().flatMap(java.util.Set::stream).filter(e -> e.startsWith("R"))
                .count();
        assertThat(leftAcks).as("adds acknowledged on the left side").isGreaterThan(20);
        assertThat(rightAcks).as("adds acknowledged on the right side").isGreaterThan(20);

        Cart leftView = readCart(left.get(0), "cart-a", 1);
        assertThat(leftView).isNotNull();
        assertThat(leftView.items()).as("the left side sees none of the right side's adds while cut off")
                .allMatch(item -> item.startsWith("L"));

        for (LocalCluster.Node n : cluster.nodes()) {
            assertThat(send(n, "DELETE", "/admin/faults", null, null).statusCode()).isEqualTo(200);
        }
        cluster.awaitReady(Duration.ofSeconds(60));
        await("every acknowledged add is in an R=N read of its cart", Duration.ofSeconds(60), () -> {
            for (String cart : carts) {
                Cart now = readCart(cluster.node(1), cart, 3);
                if (now == null || !now.items.containsAll(acknowledged.getOrDefault(cart, java.util.Set.of()))) {
                    return false;
                }
            }
            return true;
        });
    }

    // ------------------------------------------------------------------ helpers

    /** A cart read: the union of its siblings' items, and the context covering them. */
    private record Cart(java.util.Set<String> items, String context) {
    }

    private Cart readCart(LocalCluster.Node node, String cart, int r) {
        try {
            HttpResponse<String> got = send(node, "GET", "/buckets/carts/keys/" + cart + "?r=" + r, null, null);
            String context = got.headers().firstValue("X-Dynamo-Context").orElse(null);
            java.util.Set<String> items = new java.util.TreeSet<>();
            switch (got.statusCode()) {
                case 200 -> items.addAll(split(got.body()));
                case 300 -> {
                    for (JsonNode sibling : new com.fasterxml.jackson.databind.ObjectMapper().readTree(got.body())
                            .path("siblings")) {
                        items.addAll(split(new String(java.util.Base64.getDecoder().decode(
                                sibling.path("value").asText()), StandardCharsets.UTF_8)));
                    }
                }
                case 404 -> {
                }
                default -> {
                    return null;
                }
            }
            return new Cart(items, context);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static List<String> split(String value) {
        return value.isEmpty() ? List.of() : List.of(value.split(","));
    }

    private void addToCart(LocalCluster.Node node, String cart, String item,
            java.util.Map<String, java.util.Set<String>> acknowledged) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            Cart now = readCart(node, cart, 1);
            if (now == null) {
                continue;
            }
            java.util.Set<String> next = new java.util.TreeSet<>(now.items);
            next.add(item);
            HttpResponse<String> put = send(node, "PUT", "/buckets/carts/keys/" + cart + "?w=2",
                    String.join(",", next), now.context);
            if (put.statusCode() == 204) {
                acknowledged.computeIfAbsent(cart, k -> new java.util.TreeSet<>()).add(item);
                return;
            }
        }
    }

    private void writeAndRecord(LocalCluster.Node node, String key, List<String> acknowledged) throws Exception {
        HttpResponse<String> r = send(node, "PUT", "/buckets/e2e/keys/" + key + "?w=2", "v-" + key, null);
        if (r.statusCode() == 204) {
            acknowledged.add(key);
        }
    }

    private HttpResponse<String> send(LocalCluster.Node node, String method, String path, String body, String context)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(path))).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "text/plain");
        }
        if (context != null) {
            b.header("X-Dynamo-Context", context);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET {@code path} as JSON; a missing node while the node does not answer. */
    static JsonNode json(LocalCluster.Node node, String path) {
        try {
            return node.getJson(path);
        } catch (IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }




    /** A base port B such that B-1000+i, B+i and B+1000+i are free for i = 1..nodes. */
    static int freeBasePort(int nodes) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(21_000, 50_000);
            boolean free = true;
            for (int i = 1; i <= nodes && free; i++) {
                for (int port : new int[] {base - 1000 + i, base + i, base + 1000 + i}) {
                    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                        s.setReuseAddress(true);
                    } catch (IOException e) {
                        free = false;
                        break;
                    }
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range found");
    }
}

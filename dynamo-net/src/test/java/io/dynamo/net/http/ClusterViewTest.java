package io.dynamo.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.Endpoints;
import io.dynamo.net.testing.InProcessCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /admin/cluster} and {@code /admin/preflist} on three real servers in this JVM: the
 * serving node gathers every member's own view over the peer protocol, and says which member did
 * not answer once one is stopped.
 */
class ClusterViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static InProcessCluster cluster;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        cluster = InProcessCluster.start(tmp, 3);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String base(int node) {
        return "http://" + Endpoints.hostPort(cluster.servers().get(node - 1).endpoints().http());
    }

    private static HttpResponse<String> call(int node, String method, String path, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base(node) + path)).timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(int node, String path) {
        HttpResponse<String> r = call(node, "GET", path, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode member(JsonNode cluster, String id) {
        for (JsonNode m : cluster.path("members")) {
            if (m.path("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError(id + " is not listed: " + cluster);
    }

    /** Polls {@code path} on {@code node} until {@code test} holds; the last answer. */
    private static JsonNode awaitJson(int node, String path, Predicate<JsonNode> test, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = null;
        while (System.nanoTime() - deadline < 0) {
            last = json(node, path);
            if (test.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("not within 20 s: " + what + "; last answer: " + last);
    }

    @Test
    void everyMemberSendsItsOwnViewAndStoppedOnesAreNamed() {
        for (int i = 0; i < 20; i++) {
            assertThat(call(1, "PUT", "/buckets/dash/keys/k" + i, "v" + i).statusCode()).isEqualTo(204);
            assertThat(call(2, "GET", "/buckets/dash/keys/k" + i, null).statusCode()).isEqualTo(200);
        }
        JsonNode c = awaitJson(2, "/admin/cluster?since=0", body -> {
            for (JsonNode m : body.path("members")) {
                for (JsonNode s : m.path("view").path("traffic").path("samples")) {
                    if (s.path("ops").path("get").path("rate").asDouble() > 0) {
                        return true;
                    }
                }
            }
            return false;
        }, "n2's traffic samples show the gets it coordinated");
        // A few gossip rounds in, every peer has enough heartbeats behind it to be called ok.
        awaitJson(2, "/admin/cluster", body -> {
            for (JsonNode m : body.path("members")) {
                for (JsonNode p : m.path("view").path("peers")) {
                    if (!p.path("state").asText().equals("ok")) {
                        return false;
                    }
                }
            }
            return true;
        }, "every member's view of every peer is ok");
        assertThat(c.path("served_by").asText()).isEqualTo("n2");
        assertThat(c.path("members")).hasSize(3);
        int owned = 0;
        for (String id : List.of("n1", "n2", "n3")) {
            JsonNode m = member(c, id);
            assertThat(m.path("answered").asBoolean()).as(id + ": " + m.path("error")).isTrue();
            assertThat(m.path("reachable").asBoolean()).isTrue();
            JsonNode view = m.path("view");
            assertThat(view.path("node").asText()).isEqualTo(id);
            assertThat(view.path("uptime_ms").asLong()).isPositive();
            List<String> peers = new ArrayList<>();
            view.path("peers").fieldNames().forEachRemaining(peers::add);
            assertThat(peers).as("what %s's failure detection thinks of the others", id).hasSize(2).doesNotContain(id);
            view.path("peers").forEach(p -> assertThat(p.path("reachable").asBoolean()).isTrue());
            view.path("peers").forEach(p -> assertThat(p.path("state").asText()).isIn("ok", "unknown", "late"));
            owned += m.path("partitions").asInt();
        }
        assertThat(owned).isEqualTo(16);
        assertThat(c.path("ring").path("partitions").asInt()).isEqualTo(16);

        // A later poll asks only for samples newer than those it has.
        long newest = 0;
        for (JsonNode s : member(c, "n2").path("view").path("traffic").path("samples")) {
            newest = Math.max(newest, s.path("t").asLong());
        }
        long since = newest;
        JsonNode later = json(2, "/admin/cluster?since=" + since);
        member(later, "n2").path("view").path("traffic").path("samples")
                .forEach(s -> assertThat(s.path("t").asLong()).isGreaterThan(since));

        JsonNode pl = json(3, "/admin/preflist?bucket=dash&key=k1");
        assertThat(pl.path("primaries")).hasSize(3);
        assertThat(pl.path("now")).hasSize(3);
        assertThat(pl.path("uncovered")).isEmpty();

        // n3 stops: n1's next gather gets no answer from it and n1 routes around it.
        DynamoServer n3 = cluster.servers().get(2);
        n3.close();
        JsonNode after = awaitJson(1, "/admin/cluster", body -> !member(body, "n3").path("answered").asBoolean()
                && !member(body, "n3").path("reachable").asBoolean(), "n1 sees n3 gone");
        JsonNode gone = member(after, "n3");
        assertThat(gone.path("error").asText()).isNotBlank();
        assertThat(gone.path("view").isNull()).isTrue();
        assertThat(member(after, "n2").path("answered").asBoolean()).isTrue();
        assertThat(member(after, "n1").path("view").path("peers").path("n3").path("reachable").asBoolean()).isFalse();
        assertThat(member(after, "n1").path("view").path("peers").path("n3").path("state").asText())
                .isEqualTo("unreachable");

        JsonNode degraded = json(1, "/admin/preflist?bucket=dash&key=k1");
        assertThat(degraded.path("unreachable").toString()).isEqualTo("[\"n3\"]");
        assertThat(degraded.path("uncovered").toString()).as("three nodes, N=3: no fallback can stand in")
                .isEqualTo("[\"n3\"]");
        assertThat(degraded.path("now")).hasSize(2);
    }
}

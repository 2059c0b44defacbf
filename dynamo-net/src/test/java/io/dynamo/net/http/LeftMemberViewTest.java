package io.dynamo.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that left cleanly, as {@code /admin/cluster} reports it on four real servers in this
 * JVM: status {@code left}, not asked for its status, and in no member's failure-detector view
 * (so the dashboard shows it gone, not unreachable). While its partitions move, no transfer
 * progress reports a partition of -1.
 */
class LeftMemberViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path tmp;

    private static InProcessCluster cluster;

    @BeforeAll
    static void start() throws IOException {
        cluster = InProcessCluster.start(tmp, 4);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonNode call(int node, String method, String path) {
        String base = "http://" + Endpoints.hostPort(cluster.servers().get(node - 1).endpoints().http());
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode member(JsonNode body, String id) {
        for (JsonNode m : body.path("members")) {
            if (m.path("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError(id + " is not listed: " + body);
    }

    /** Every transfer progress in {@code body} (a cluster answer): its partition is a partition or null. */
    private static void assertNoMagicPartition(JsonNode body, List<String> seen) {
        for (JsonNode m : body.path("members")) {
            JsonNode t = m.path("view").path("transfers");
            if (t.isObject()) {
                JsonNode active = t.path("active_partition");
                assertThat(active.isNull() || active.isInt() && active.asInt() >= 0)
                        .as("%s's active_partition %s", m.path("id").asText(), active).isTrue();
                assertThat(t.path("phase").isNull()).as("phase %s without a partition", t.path("phase"))
                        .isEqualTo(active.isNull());
                seen.add(active.isNull() ? "none" : "partition");
            }
        }
    }

    /** Whether no member's view of its peers (in a cluster answer) includes {@code id}. */
    private static boolean noneWatches(JsonNode body, String id) {
        for (JsonNode m : body.path("members")) {
            if (m.path("view").path("peers").has(id)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aMemberThatLeftIsReportedLeftAndWatchedByNoOne() throws InterruptedException {
        call(1, "POST", "/admin/leave?node=n4");
        List<String> seen = new ArrayList<>();
        JsonNode[] last = new JsonNode[1];
        org.awaitility.Awaitility.await("n4 left, and every member learnt so").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    JsonNode b = call(1, "GET", "/admin/cluster?since=" + Long.MAX_VALUE);
                    last[0] = b;
                    assertNoMagicPartition(b, seen);
                    return member(b, "n4").path("status").asText().equals("left")
                            && b.path("ring").path("settled").asBoolean() && noneWatches(b, "n4");
                });
        JsonNode body = last[0];
        assertThat(seen).as("transfer progress was reported while n4 left").isNotEmpty();

        JsonNode gone = member(body, "n4");
        assertThat(gone.path("answered").asBoolean()).as("a member that left is not asked").isFalse();
        assertThat(gone.path("error").asText()).isEqualTo("left the cluster");
        assertThat(gone.path("view").isNull()).isTrue();
        assertThat(gone.path("partitions").asInt()).isZero();
        for (String id : List.of("n1", "n2", "n3")) {
            JsonNode m = member(body, id);
            assertThat(m.path("answered").asBoolean()).as(id + ": " + m.path("error")).isTrue();
            List<String> peers = new ArrayList<>();
            m.path("view").path("peers").fieldNames().forEachRemaining(peers::add);
            assertThat(peers).as("%s's failure detection watches the members still in the cluster", id)
                    .containsExactlyInAnyOrder(List.of("n1", "n2", "n3").stream().filter(p -> !p.equals(id))
                            .toArray(String[]::new));
        }

        // Settled: nothing is being received, and /admin/transfers says so with a null, not -1.
        JsonNode mine = call(2, "GET", "/admin/transfers").path("this_node");
        assertThat(mine.path("active_partition").isNull()).as(mine.toString()).isTrue();
        assertThat(mine.path("phase").isNull()).as(mine.toString()).isTrue();
    }
}

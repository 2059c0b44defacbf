package io.dynamo.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.dynamo.cli.Main;
import io.dynamo.cli.Prompt;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code admin status} and {@code admin leave} against a stand-in node on loopback that answers
 * the admin endpoints with fixed JSON and records what it was asked (the real cluster paths are
 * in {@link ClusterEndToEndTest}).
 */
class AdminStatusAndLeaveTest {

    private static final String STATUS = """
            {"node": "n1", "state": "up", "cluster": "dev", "pending_hints": 10, "unreachable": ["n5"],
             "transport": {"sent": 7}}""";

    private static final String CLUSTER = """
            {"members": [
              {"id": "n1", "status": "up", "reachable": true, "answered": true,
               "view": {"hints": {"pending": {"n5": 10}}}},
              {"id": "n2", "status": "up", "reachable": true, "answered": true,
               "view": {"hints": {"pending": {"n5": 7, "n4": 5}}}},
              {"id": "n3", "status": "up", "reachable": true, "answered": true,
               "view": {"hints": {"pending": {}}}},
              {"id": "n4", "status": "up", "reachable": true, "answered": false, "error": "timed out"},
              {"id": "n5", "status": "up", "reachable": false, "answered": false, "error": "unreachable"},
              {"id": "n6", "status": "left", "reachable": false, "answered": false, "error": "left the cluster"}
            ]}""";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startStandIn() throws IOException {
        Map<String, String> answers = Map.of("GET /admin/status", STATUS, "GET /admin/cluster", CLUSTER,
                "POST /admin/leave", "{\"leaving\": \"n3\"}");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String call = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String body = answers.getOrDefault(call, "{\"error\": \"not_found\", \"message\": \"no " + call + "\"}");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answers.containsKey(call) ? 200 : 404, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopStandIn() {
        server.stop(0);
    }

    private String node() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void statusSumsPendingHintsOverTheMembersAndNamesThoseNotCounted() {
        Cli status = cli(Prompt.system(), "admin", "status", "--node", node());
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).containsPattern(
                "pending_hints +22 \\(n1 10, n2 12, n3 0; not counted: n4 did not answer: timed out, n5 unreachable\\)")
                .contains("transport.sent").doesNotContain("cluster_pending_hints").doesNotContain("n6");

        Cli json = cli(Prompt.system(), "admin", "status", "--json", "--node", node());
        assertThat(json.out()).contains("\"cluster_pending_hints\"").contains("\"total\" : 22")
                .contains("\"n5\" : \"unreachable\"");
    }

    @Test
    void leaveWithoutATerminalRefusesUnlessYes() {
        Cli refused = cli(noTerminal(), "admin", "leave", "n3", "--node", node());
        assertThat(refused.code()).isEqualTo(Main.USAGE);
        assertThat(refused.err().strip()).doesNotContain("\n").contains("makes n3 leave the cluster for good")
                .contains("no terminal to ask on: pass --yes to confirm (dynamo admin leave n3 --yes)");
        assertThat(requests).as("nothing was sent").isEmpty();

        Cli confirmed = cli(noTerminal(), "admin", "leave", "n3", "--yes", "--node", node());
        assertThat(confirmed.code()).as(confirmed.err()).isZero();
        assertThat(confirmed.out()).contains("n3 is leaving");
        assertThat(requests).containsExactly("POST /admin/leave?node=n3");
    }

    @Test
    void leaveOnATerminalAsksAndOnlyYesGoesAhead() {
        List<String> asked = new ArrayList<>();
        Cli cancelled = cli(answering("n", asked), "admin", "leave", "--node", node());
        assertThat(cancelled.code()).isEqualTo(Main.FAILURE);
        assertThat(cancelled.out()).contains("cancelled: nothing changed");
        assertThat(asked).singleElement().asString().startsWith("n1 leaves cluster 'dev' for good").endsWith("[y/N] ");
        assertThat(requests).containsExactly("GET /admin/status");

        requests.clear();
        Cli done = cli(answering("yes", asked), "admin", "leave", "n3", "--node", node());
        assertThat(done.code()).as(done.err()).isZero();
        assertThat(asked.get(1)).startsWith("n3 leaves cluster 'dev' for good");
        assertThat(requests).containsExactly("GET /admin/status", "POST /admin/leave?node=n3");

        requests.clear();
        assertThat(cli(answering(null, asked), "admin", "leave", "--node", node()).code())
                .as("end of input cancels").isEqualTo(Main.FAILURE);
        assertThat(requests).doesNotContain("POST /admin/leave");
    }

    // ------------------------------------------------------------------ helpers

    private static Prompt noTerminal() {
        return new Prompt() {
            @Override
            public boolean interactive() {
                return false;
            }

            @Override
            public String ask(String question) {
                throw new AssertionError("asked without a terminal: " + question);
            }
        };
    }

    private static Prompt answering(String answer, List<String> asked) {
        return new Prompt() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public String ask(String question) {
                asked.add(question);
                return answer;
            }
        };
    }

    private record Cli(int code, String out, String err) {
    }

    private static Cli cli(Prompt prompt, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(prompt, new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString());
    }
}

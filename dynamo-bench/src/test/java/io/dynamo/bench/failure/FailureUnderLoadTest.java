package io.dynamo.bench.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamo.bench.load.RunInfo;
import io.dynamo.bench.report.Verdict;
import io.dynamo.client.DynamoClient;
import io.dynamo.net.testing.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure engine against a real 3-node cluster in this JVM: the kill is a (graceful) stop of
 * node n3. Tiny settings; shape only, no assertion on latency or on how many requests succeeded.
 */
class FailureUnderLoadTest {

    private static long seed(String test) {
        long seed = ThreadLocalRandom.current().nextLong();
        System.out.println(test + ": seed " + seed);
        return seed;
    }

    private static FailureUnderLoad.Settings.Builder tiny(long seed) {
        return FailureUnderLoad.Settings.builder(seed).records(200).peakThreads(4).peakWarmup(Duration.ofMillis(200))
                .peakDuration(Duration.ofSeconds(1)).steady(Duration.ofSeconds(1)).window(Duration.ofSeconds(2))
                .drainTimeout(Duration.ofSeconds(5));
    }

    @Test
    void killingANodeUnderAnOpenLoopGivesEveryFigure(@TempDir Path data, @TempDir Path out) throws Exception {
        long seed = seed("failure");
        try (InProcessCluster cluster = InProcessCluster.start(data, 3);
                DynamoClient client = DynamoClient.builder().seeds(cluster.clientAddresses())
                        .requestTimeout(Duration.ofSeconds(2)).build()) {
            List<String> progress = new CopyOnWriteArrayList<>();
            FailureUnderLoad.Result r = new FailureUnderLoad(client, tiny(seed).build()).run(
                    new RunInfo("./dynamo bench failure --seed " + seed, "in-process cluster"), () -> {
                        cluster.servers().get(2).close();
                        return "n3";
                    }, progress::add);
            String text = FailureFormat.text(r);
            System.out.print(text);
            progress.forEach(System.out::println);

            assertThat(r.peakOpsPerSecond()).isPositive();
            assertThat(r.targetRate()).isEqualTo(r.peakOpsPerSecond() * 0.5);
            assertThat(r.killedNode()).isEqualTo("n3");
            assertThat(r.killAtSeconds()).isGreaterThanOrEqualTo(1.0);
            assertThat(r.killSeconds()).isGreaterThanOrEqualTo(0);
            assertThat(r.requests().size()).isPositive();
            assertThat(r.before().started() + r.after().started()).isEqualTo(r.requests().size());
            for (FailureUnderLoad.Period p : List.of(r.before(), r.after())) {
                assertThat(p.started()).as(p.name()).isPositive();
                assertThat(p.okWithin() + p.okSlower() + p.failed()).isEqualTo(p.started());
                assertThat(p.errors().total()).isEqualTo(p.failed());
                assertThat(p.firstNode().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(p.started());
            }
            assertThat(r.before().latency().count()).isEqualTo(r.before().okWithin() + r.before().okSlower());
            assertThat(r.shareOkWithin()).isBetween(0.0, 1.0);
            assertThat(r.timeline()).extracting(FailureUnderLoad.Second::second).containsExactly(-1, 0, 1);
            assertThat(r.timeline().stream().mapToLong(FailureUnderLoad.Second::requests).sum())
                    .isEqualTo(r.requests().size());
            assertThat(r.routing().deadNodeSeen()).isTrue();
            assertThat(r.routing().deadNode()).startsWith("n3@127.0.0.1:");
            assertThat(r.requests().nodes()).hasSize(3);
            assertThat(r.failureSamples()).hasSizeLessThanOrEqualTo(20);
            assertThat(r.maxIssueLagMillis()).isGreaterThanOrEqualTo(0);
            assertThat(r.verdicts()).singleElement().satisfies(v -> {
                assertThat(v.status()).isNotEqualTo(Verdict.Status.NOT_JUDGED);
                assertThat(v.line()).startsWith("requests started in the 2s after the kill that succeeded within "
                        + "300ms = ").contains("(target: at least 99.99%): ");
            });
            assertThat(progress).anyMatch(l -> l.startsWith("peak")).anyMatch(l -> l.startsWith("killed n3"))
                    .anyMatch(l -> l.contains("from the kill"));

            assertThat(text).contains("Peak: closed loop, 4 threads").contains("Open loop: ").contains("Kill: n3 at ")
                    .contains("before the kill").contains("after (window)").contains("ok <= 300ms")
                    .contains("share ok <= 300ms").contains("p99.9 ms").contains("Routing: the last request routed "
                            + "to the dead node n3@").contains("Requests by first node tried").contains("Timeline")
                    .contains("to dead node").contains("Generator: ").contains("Errors after the kill: ")
                    .contains("Verdicts:").contains("Seed: " + seed).contains("Command: ./dynamo bench failure");

            JsonNode json = new ObjectMapper().readTree(FailureFormat.jsonText(r));
            for (String f : new String[] {"format", "benchmark", "command", "target", "started_at", "seed", "run_tag",
                "settings", "peak", "peak_ops_per_second", "target_rate", "kill", "before", "after", "share_ok_within",
                "routing", "timeline", "failure_samples", "generator", "stopped_early", "verdicts"}) {
                assertThat(json.has(f)).as(f).isTrue();
            }
            assertThat(json.get("peak").get("total").get("ops_per_second").asDouble()).isPositive();
            assertThat(json.get("kill").get("node").asText()).isEqualTo("n3");
            assertThat(json.get("after").get("latency").has("p99_9_us")).isTrue();
            assertThat(json.get("before").has("first_node")).isTrue();
            assertThat(json.get("timeline")).hasSize(3);
            assertThat(json.get("timeline").get(0).has("p99_ms")).isTrue();
            assertThat(json.get("routing").get("dead_node_seen").asBoolean()).isTrue();
            assertThat(json.get("routing").has("last_routed_to_dead_node_after_kill_seconds")).isTrue();
            assertThat(json.get("verdicts").get(0).get("limit").asDouble()).isEqualTo(0.9999);

            Path csv = out.resolve("requests.csv");
            r.requests().writeCsv(csv);
            List<String> lines = Files.readAllLines(csv);
            assertThat(lines).hasSize(r.requests().size() + 1);
            assertThat(lines.get(0)).isEqualTo(
                    "intended_ms,latency_ms,outcome,operation,first_node,last_node,nodes_tried,error");
            assertThat(lines.get(1)).matches("[0-9.]+,[0-9.]+,(ok|failed|pending),(read|update),.*");
        }
    }

    @Test
    void aKillThatFailsStopsTheLoadAndSaysSo(@TempDir Path data) throws Exception {
        long seed = seed("failedKill");
        try (InProcessCluster cluster = InProcessCluster.start(data, 3);
                DynamoClient client = DynamoClient.builder().seeds(cluster.clientAddresses()).build()) {
            FailureUnderLoad engine = new FailureUnderLoad(client, tiny(seed).peakDuration(Duration.ofMillis(300))
                    .steady(Duration.ofMillis(300)).window(Duration.ofMinutes(10)).build());
            assertThatThrownBy(() -> engine.run(new RunInfo("test", "t"), () -> {
                throw new java.io.IOException("no such process");
            }, line -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("killing a node failed").hasMessageContaining("no such process");
        }
    }

    @Test
    void stoppingDuringThePeakEndsTheRunWithoutAKill(@TempDir Path data) throws Exception {
        long seed = seed("stop");
        try (InProcessCluster cluster = InProcessCluster.start(data, 3);
                DynamoClient client = DynamoClient.builder().seeds(cluster.clientAddresses()).build()) {
            FailureUnderLoad engine = new FailureUnderLoad(client, tiny(seed).peakDuration(Duration.ofMinutes(10))
                    .build());
            java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
            // Stopped from the peak's first progress line: the run is under way, and no test thread sleeps.
            FailureUnderLoad.Result r = engine.run(new RunInfo("test", "t"), () -> {
                killed.set(true);
                return "n3";
            }, line -> {
                if (line.startsWith("peak [")) {
                    engine.stop();
                }
            });
            assertThat(r.stoppedEarly()).isTrue();
            assertThat(killed).isFalse();
            assertThat(r.peak().stoppedEarly()).isTrue();
            assertThat(r.after().started()).isZero();
            assertThat(FailureFormat.text(r)).contains("STOPPED EARLY");
        }
    }

    @Test
    void theKilledNodeIsFoundByIdOrClientAddress() {
        FailureUnderLoad.Nodes nodes = new FailureUnderLoad.Nodes();
        assertThat(nodes.index("n1", "127.0.0.1:9081")).isZero();
        assertThat(nodes.index(null, "127.0.0.1:9082")).isEqualTo(1);
        assertThat(nodes.index("n2", "127.0.0.1:9082")).isEqualTo(1);
        assertThat(nodes.names()).containsExactly("n1@127.0.0.1:9081", "n2@127.0.0.1:9082");
        assertThat(nodes.find("n2")).isEqualTo(1);
        assertThat(nodes.find("127.0.0.1:9081")).isZero();
        assertThat(nodes.find("localhost:9082")).isEqualTo(1);
        assertThat(nodes.find("n1@127.0.0.1:9081")).isZero();
        assertThat(nodes.find("n9")).isEqualTo(-1);
        assertThat(nodes.find("127.0.0.1:9999")).isEqualTo(-1);
    }

    @Test
    void settingsNameWhatIsWrong() {
        assertThatThrownBy(() -> FailureUnderLoad.Settings.builder(1).loadFraction(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("load fraction must be above 0");
        assertThatThrownBy(() -> FailureUnderLoad.Settings.builder(1).loadFraction(1.5).build())
                .hasMessageContaining("at most 1");
        assertThatThrownBy(() -> FailureUnderLoad.Settings.builder(1).issuers(0).build())
                .hasMessageContaining("issuers must be from 1 to 64");
        assertThatThrownBy(() -> FailureUnderLoad.Settings.builder(1).window(Duration.ofMillis(10)).build())
                .hasMessageContaining("observation window must be at least 100ms");
        assertThatThrownBy(() -> FailureUnderLoad.Settings.builder(1).steady(Duration.ZERO).build())
                .hasMessageContaining("steady period must be at least 100ms");
        assertThatThrownBy(() -> FailureUnderLoad.Settings.builder(1).okWithin(Duration.ZERO).build())
                .hasMessageContaining("ok-within latency must be at least 1ms");
        assertThatThrownBy(() -> FailureUnderLoad.Settings.builder(1).peakThreads(0).build())
                .hasMessageContaining("peak threads must be from 1");
        assertThatThrownBy(() -> FailureUnderLoad.Settings.builder(1).peakDuration(Duration.ZERO).build())
                .hasMessageContaining("peak duration must be more than 0");
        assertThatThrownBy(() -> FailureUnderLoad.Settings.builder(1).records(0).build())
                .hasMessageContaining("records must be from 1");
        assertThatThrownBy(() -> FailureUnderLoad.Settings.builder(1).drainTimeout(Duration.ofHours(1)).build())
                .hasMessageContaining("drain timeout must be from 0 to 10 minutes");
    }
}

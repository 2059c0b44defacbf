package io.dynamo.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamo.bench.baseline.LoopbackRoundTrip;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latency engine against a real 3-node cluster in this JVM, on tiny settings. Shape only, no timings. */
class UnloadedLatencyTest {

    @TempDir
    static Path dataRoot;

    static InProcessCluster cluster;
    static DynamoClient client;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = InProcessCluster.start(dataRoot, 3);
        client = DynamoClient.builder().seeds(cluster.clientAddresses()).requestTimeout(Duration.ofSeconds(5)).build();
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

    private static long seed(String test) {
        long seed = ThreadLocalRandom.current().nextLong();
        System.out.println(test + ": seed " + seed);
        return seed;
    }

    private static UnloadedLatency.Settings.Builder tiny(long seed) {
        return UnloadedLatency.Settings.builder(seed).records(50).warmup(Duration.ofMillis(200))
                .duration(Duration.ofSeconds(1)).loopback(new LoopbackRoundTrip.Settings(64, 200, 1_000,
                        Duration.ofSeconds(5)));
    }

    @Test
    void aShortRunHasEveryFigureAndBothVerdicts(@TempDir Path out) throws Exception {
        long seed = seed("latency");
        List<String> progress = new CopyOnWriteArrayList<>();
        UnloadedLatency.Result r = new UnloadedLatency(client, tiny(seed).build())
                .run(new RunInfo("./dynamo bench latency --seed " + seed, "in-process cluster"), progress::add);
        String text = LatencyFormat.text(r);
        System.out.print(text);

        assertThat(r.pairs()).isPositive();
        assertThat(r.get().count()).isEqualTo(r.pairs());
        assertThat(r.put().count()).isEqualTo(r.pairs());
        assertThat(r.getErrors().total()).isZero();
        assertThat(r.putErrors().total()).isZero();
        assertThat(r.readsWithSiblings()).isZero();
        assertThat(r.loopbackBlocks()).hasSize(3);
        assertThat(r.loopback().count()).isEqualTo(3_000);
        assertThat(r.getOverLoopback()).isPositive();
        assertThat(r.putOverLoopback()).isPositive();
        assertThat(r.durableAcks().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.pairs());
        assertThat(r.verdicts()).hasSize(2).extracting(Verdict::status).doesNotContain(Verdict.Status.NOT_JUDGED);
        assertThat(r.verdicts().get(0).line()).startsWith("GET p50 = ").contains("x loopback RTT (target: within 6x): ");
        assertThat(r.verdicts().get(1).line()).startsWith("PUT p50 = ").contains("(target: within 8x): ");
        assertThat(progress).isNotEmpty();

        assertThat(text).contains("GET R=2").contains("PUT W=2").contains("loopback RTT").contains("p50 us")
                .contains("p99.9 us").contains("max us").contains("count").contains("Seed: " + seed)
                .contains("GET p50 / loopback p50 = ").contains("GET p99.9 / p50 = ").contains("PUT p99.9 / p50 = ")
                .contains("Loopback p50 per block").contains("Verdicts:").contains("Command: ./dynamo bench latency")
                .contains("run tag " + r.runTag());

        Path file = out.resolve("latency.json");
        LatencyFormat.writeJson(r, file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        assertThat(json.get("benchmark").asText()).isEqualTo("latency");
        assertThat(json.get("seed").asLong()).isEqualTo(seed);
        for (String f : new String[] {"format", "command", "target", "started_at", "run_tag", "settings", "load_seconds",
            "warmup_seconds", "measured_seconds", "pairs", "stopped_early", "get", "put", "reads_with_siblings",
            "loopback", "ratios", "verdicts"}) {
            assertThat(json.has(f)).as(f).isTrue();
        }
        assertThat(json.get("get").get("latency").get("p50_us").asDouble()).isPositive();
        assertThat(json.get("get").get("latency").has("p99_9_us")).isTrue();
        assertThat(json.get("put").get("latency").get("max_us").asDouble()).isPositive();
        assertThat(json.get("put").has("durable_acks")).isTrue();
        assertThat(json.get("get").get("errors").get("total").asLong()).isZero();
        assertThat(json.get("loopback").get("blocks")).hasSize(3);
        assertThat(json.get("loopback").get("latency").get("p50_us").asDouble()).isPositive();
        assertThat(json.get("ratios").get("get_p50_over_loopback_p50").asDouble()).isPositive();
        assertThat(json.get("ratios").has("put_p99_9_over_p50")).isTrue();
        assertThat(json.get("verdicts")).hasSize(2);
        assertThat(json.get("verdicts").get(0).get("limit").asDouble()).isEqualTo(6.0);
        assertThat(json.get("verdicts").get(1).get("limit").asDouble()).isEqualTo(8.0);
        assertThat(json.get("settings").get("dw").isNull()).isTrue();
    }

    @Test
    void anOperationCountEndsTheRunAndDwIsPassedOn() {
        long seed = seed("latencyCount");
        UnloadedLatency.Result r = new UnloadedLatency(client, tiny(seed).duration(null).operations(31)
                .durableWrites(2).warmup(Duration.ZERO).loopbackBlocks(4).build())
                .run(new RunInfo("test", "in-process cluster"), line -> { });
        assertThat(r.pairs()).isEqualTo(31);
        assertThat(r.loopbackBlocks()).hasSize(4);
        assertThat(r.durableAcks()).containsOnlyKeys(2);
        assertThat(LatencyFormat.text(r)).contains("dw=2").contains("limit 31 pairs");
    }

    @Test
    void settingsNameWhatIsWrong() {
        assertThatThrownBy(() -> UnloadedLatency.Settings.builder(1).records(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("records must be from 1");
        assertThatThrownBy(() -> UnloadedLatency.Settings.builder(1).duration(null).operations(0).build())
                .hasMessageContaining("needs a duration, an operation count, or both");
        assertThatThrownBy(() -> UnloadedLatency.Settings.builder(1).durableWrites(3).build())
                .hasMessageContaining("dw must be from 0 to W (2)");
        assertThatThrownBy(() -> UnloadedLatency.Settings.builder(1).loopbackBlocks(1).build())
                .hasMessageContaining("loopback blocks must be from 2");
        assertThatThrownBy(() -> UnloadedLatency.Settings.builder(1).readQuorum(0).build())
                .hasMessageContaining("R must be from 1 to 16");
        assertThatThrownBy(() -> UnloadedLatency.Settings.builder(1).warmup(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("warm-up must not be negative");
        assertThatThrownBy(() -> UnloadedLatency.Settings.builder(1).namespace(" x").build())
                .hasMessageContaining("namespace must be");
    }

    @Test
    void anInstanceRunsOnce() {
        UnloadedLatency engine = new UnloadedLatency(client, tiny(1).duration(null).operations(2)
                .warmup(Duration.ZERO).records(2).build());
        engine.run(new RunInfo("test", "t"), line -> { });
        assertThatThrownBy(() -> engine.run(new RunInfo("test", "t"), line -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("runs once");
    }
}

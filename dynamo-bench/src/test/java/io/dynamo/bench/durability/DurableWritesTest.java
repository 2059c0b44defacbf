package io.dynamo.bench.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamo.bench.baseline.FsyncProbe;
import io.dynamo.bench.load.RunInfo;
import io.dynamo.bench.report.Verdict;
import io.dynamo.client.DynamoClient;
import io.dynamo.net.testing.InProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durability engine against a real 3-node cluster in this JVM, on tiny settings. Shape only, no timings. */
class DurableWritesTest {

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

    @Test
    void alternatingPhasesGiveBothModesTheFsyncAndTheVerdict() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        System.out.println("durability: seed " + seed);
        DurableWrites.Settings settings = DurableWrites.Settings.builder(seed).threads(4).valueSize(256)
                .warmup(Duration.ofMillis(200)).phase(Duration.ofMillis(400)).rounds(2)
                .fsync(FsyncProbe.Settings.defaults().withWrites(20).withDirectory(dataRoot)).build();
        List<String> progress = new CopyOnWriteArrayList<>();
        DurableWrites.Result r = new DurableWrites(client, settings)
                .run(new RunInfo("./dynamo bench durability --seed " + seed, "in-process cluster"), progress::add);
        String text = DurabilityFormat.text(r);
        System.out.print(text);

        assertThat(r.phases()).extracting(DurableWrites.PhaseResult::mode).containsExactly(DurableWrites.Mode.BUFFERED,
                DurableWrites.Mode.DURABLE, DurableWrites.Mode.BUFFERED, DurableWrites.Mode.DURABLE);
        assertThat(r.phases()).extracting(DurableWrites.PhaseResult::round).containsExactly(1, 1, 2, 2);
        assertThat(r.phases()).extracting(DurableWrites.PhaseResult::dw).containsExactly(0, 2, 0, 2);
        for (DurableWrites.PhaseResult p : r.phases()) {
            assertThat(p.puts()).as(p.mode() + " puts").isPositive();
            assertThat(p.errors().total()).as(p.mode() + " errors: " + p.errors().line()).isZero();
            assertThat(p.durableAcks().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(p.puts());
            if (p.mode() == DurableWrites.Mode.DURABLE) {
                assertThat(p.durableAcks().keySet()).allSatisfy(k -> assertThat(k).isGreaterThanOrEqualTo(2));
            } else {
                assertThat(p.durableAcks().keySet()).containsOnly(0);
            }
        }
        assertThat(r.buffered().puts() + r.durable().puts())
                .isEqualTo(r.phases().stream().mapToLong(DurableWrites.PhaseResult::puts).sum());
        assertThat(r.buffered().medianPutsPerSecond()).isPositive();
        assertThat(r.durable().medianPutsPerSecond()).isPositive();
        assertThat(r.durableOverBuffered()).isPositive();
        assertThat(r.fsync().writes()).isEqualTo(20);
        assertThat(r.fsync().directory()).isEqualTo(dataRoot);
        assertThat(r.writesPerFsyncEstimate()).isPositive();
        assertThat(r.notDurableEnough()).isZero();
        assertThat(r.verdicts()).singleElement().satisfies(v -> {
            assertThat(v.status()).isNotEqualTo(Verdict.Status.NOT_JUDGED);
            assertThat(v.line()).startsWith("durable-write throughput = ")
                    .contains("x buffered-write throughput (target: at least 0.5x): ");
        });
        assertThat(progress).hasSizeGreaterThanOrEqualTo(5);

        assertThat(text).contains("buffered: dw=0").contains("durable:  dw=2").contains("median puts/s")
                .contains("p50 ms").contains("p99 ms").contains("Fsync probe").contains(dataRoot.toString())
                .contains("Durable / buffered throughput (medians) = ").contains("Durable put p50 / fsync p50 = ")
                .contains("Durable replica writes per fsync, estimated: ").contains("Seed: " + seed)
                .contains("run tag " + r.runTag()).contains("Verdicts:").contains("Errors: none")
                .contains("Command: ./dynamo bench durability");

        JsonNode json = new ObjectMapper().readTree(DurabilityFormat.jsonText(r));
        for (String f : new String[] {"format", "benchmark", "command", "target", "started_at", "seed", "run_tag",
            "settings", "warmup_seconds", "stopped_early", "phases", "modes", "fsync", "ratios", "not_durable_enough",
            "verdicts"}) {
            assertThat(json.has(f)).as(f).isTrue();
        }
        assertThat(json.get("phases")).hasSize(4);
        assertThat(json.get("phases").get(1).get("mode").asText()).isEqualTo("durable");
        assertThat(json.get("phases").get(1).get("latency").get("p99_us").asDouble()).isPositive();
        assertThat(json.get("modes").get("buffered").get("median_puts_per_second").asDouble()).isPositive();
        assertThat(json.get("modes").get("durable").get("dw").asInt()).isEqualTo(2);
        assertThat(json.get("modes").get("durable").get("latency").get("p50_us").asDouble()).isPositive();
        assertThat(json.get("fsync").get("latency").get("p50_us").asDouble()).isPositive();
        assertThat(json.get("ratios").get("durable_over_buffered").asDouble()).isPositive();
        assertThat(json.get("ratios").has("writes_per_fsync_estimate")).isTrue();
        assertThat(json.get("settings").get("buffered_dw").asInt()).isZero();
        assertThat(json.get("verdicts").get(0).get("limit").asDouble()).isEqualTo(0.5);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(DurableWrites.median(new double[] {3, 1, 4, 2})).isEqualTo(2.5);
        assertThat(DurableWrites.median(new double[] {5, 1, 3})).isEqualTo(3);
        assertThat(DurableWrites.median(new double[0])).isNaN();
    }

    @Test
    void settingsNameWhatIsWrong() {
        assertThatThrownBy(() -> DurableWrites.Settings.builder(1).threads(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads must be from 1 to 1024");
        assertThatThrownBy(() -> DurableWrites.Settings.builder(1).phase(Duration.ofMillis(10)).build())
                .hasMessageContaining("phase must be at least 100ms");
        assertThatThrownBy(() -> DurableWrites.Settings.builder(1).rounds(0).build())
                .hasMessageContaining("rounds must be from 1 to 100");
        assertThatThrownBy(() -> DurableWrites.Settings.builder(1).bufferedDurableWrites(2).build())
                .hasMessageContaining("dw of buffered writes must be from 0 to W - 1 (1)");
        assertThatThrownBy(() -> DurableWrites.Settings.builder(1).writeQuorum(0).build())
                .hasMessageContaining("W must be from 1 to 16");
        assertThatThrownBy(() -> DurableWrites.Settings.builder(1).valueSize(0).build())
                .hasMessageContaining("value size must be from 1");
    }
}

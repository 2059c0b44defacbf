package io.dynamo.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dynamo.bench.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baselines on tiny settings: sane, non-zero summaries and complete text and JSON. No timing assertions. */
class BaselinesTest {

    @TempDir
    Path temp;

    static void assertSane(LatencySummary l, long count) {
        assertThat(l.count()).isEqualTo(count);
        assertThat(l.minMicros()).isPositive();
        assertThat(l.p50Micros()).isGreaterThanOrEqualTo(l.minMicros());
        assertThat(l.p90Micros()).isGreaterThanOrEqualTo(l.p50Micros());
        assertThat(l.p99Micros()).isGreaterThanOrEqualTo(l.p90Micros());
        assertThat(l.p999Micros()).isGreaterThanOrEqualTo(l.p99Micros());
        assertThat(l.maxMicros()).isGreaterThanOrEqualTo(l.p999Micros());
        assertThat(l.meanMicros()).isPositive();
    }

    static JsonNode parse(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void loopbackRoundTripsGiveASummary() throws Exception {
        LoopbackRoundTrip.Result r = LoopbackRoundTrip.run(LoopbackRoundTrip.Settings.defaults()
                .withWarmupRoundTrips(200).withRoundTrips(2_000).withPayloadBytes(100));
        String text = BaselineFormat.text(r);
        System.out.print(text);

        assertThat(r.roundTrips()).isEqualTo(2_000);
        assertSane(r.latency(), 2_000);
        assertThat(r.seconds()).isPositive();
        assertThat(r.histogram().getTotalCount()).isEqualTo(2_000);
        assertThat(text).contains("127.0.0.1").contains("TCP_NODELAY").contains("100-byte payload")
                .contains("2,000 round trips").contains("p50").contains("p99.9").contains("max");
        JsonNode json = parse(Json.text(BaselineFormat.json(r)));
        assertThat(json.get("baseline").asText()).isEqualTo("loopback_round_trip");
        assertThat(json.get("settings").get("payload_bytes").asInt()).isEqualTo(100);
        assertThat(json.get("round_trips").asLong()).isEqualTo(2_000);
        assertThat(json.get("latency").get("p50_us").asDouble()).isPositive();
        for (String f : new String[] {"count", "min_us", "mean_us", "p50_us", "p90_us", "p99_us", "p99_9_us", "max_us"}) {
            assertThat(json.get("latency").has(f)).as(f).isTrue();
        }
        assertThat(json.get("hdr_histogram_ns").asText()).isNotEmpty();
    }

    @Test
    void aLoopbackSessionMeasuresInBlocks() throws Exception {
        try (LoopbackRoundTrip.Session s = LoopbackRoundTrip.Session.open(64)) {
            Histogram first = s.measure(300, null);
            Histogram second = s.measure(300, Duration.ofSeconds(10));
            assertThat(first.getTotalCount()).isEqualTo(300);
            assertThat(second.getTotalCount()).isEqualTo(300);
        }
    }

    @Test
    void theLoopbackTimeLimitEndsTheMeasurementEarly() throws Exception {
        LoopbackRoundTrip.Result r = LoopbackRoundTrip.run(new LoopbackRoundTrip.Settings(64, 0, Long.MAX_VALUE,
                Duration.ofMillis(200)));
        assertThat(r.roundTrips()).isPositive().isLessThan(Long.MAX_VALUE);
    }

    @Test
    void fsyncProbeSummarizesAndDeletesItsFile() throws Exception {
        FsyncProbe.Result r = FsyncProbe.run(FsyncProbe.Settings.defaults().withDirectory(temp).withWrites(20)
                .withWarmupWrites(2));
        String text = BaselineFormat.text(r);
        System.out.print(text);

        assertSane(r.latency(), 20);
        assertThat(r.writes()).isEqualTo(20);
        assertThat(r.directory()).isEqualTo(temp);
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).as("files left behind").isEmpty();
        }
        assertThat(text).contains("force(false)").contains(temp.toAbsolutePath().toString()).contains("20 appends")
                .contains("p50").contains("p99.9");
        JsonNode json = parse(Json.text(BaselineFormat.json(r)));
        assertThat(json.get("baseline").asText()).isEqualTo("fsync_probe");
        assertThat(json.get("settings").get("block_bytes").asInt()).isEqualTo(4096);
        assertThat(json.get("writes").asLong()).isEqualTo(20);
        assertThat(json.has("file_store")).isTrue();
        assertThat(json.get("latency").get("p99_us").asDouble()).isPositive();
    }

    @Test
    void fsyncProbeInATemporaryDirectoryRemovesIt() throws Exception {
        FsyncProbe.Result r = FsyncProbe.run(FsyncProbe.Settings.defaults().withWrites(5).withWarmupWrites(0));
        assertThat(r.writes()).isEqualTo(5);
        assertThat(Files.exists(r.directory())).isFalse();
    }

    @Test
    void storageEngineProbePutsAndGets() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        System.out.println("storage probe seed " + seed);
        StorageEngineProbe.Result r = StorageEngineProbe.run(StorageEngineProbe.Settings.defaults(seed)
                .withParentDirectory(temp).withOperations(2_000).withWarmupOperations(200));
        String text = BaselineFormat.text(r);
        System.out.print(text);

        assertThat(r.puts().count()).isEqualTo(2_000);
        assertThat(r.gets().count()).isEqualTo(2_000);
        assertSane(r.puts().latency(), 2_000);
        assertSane(r.gets().latency(), 2_000);
        assertThat(r.puts().operationsPerSecond()).isPositive();
        assertThat(r.missingReads()).isZero();
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).as("directories left behind").isEmpty();
        }
        assertThat(text).contains("put").contains("get").contains("ops/s").contains("seed " + seed)
                .contains("1,024-byte values");
        JsonNode json = parse(Json.text(BaselineFormat.json(r)));
        assertThat(json.get("puts").get("count").asLong()).isEqualTo(2_000);
        assertThat(json.get("gets").get("ops_per_second").asDouble()).isPositive();
        assertThat(json.get("settings").get("seed").asLong()).isEqualTo(seed);
        assertThat(json.has("missing_reads")).isTrue();
        assertThat(json.has("wal_syncs")).isTrue();
    }

    @Test
    void settingsNameWhatIsWrong() {
        assertThatThrownBy(() -> LoopbackRoundTrip.Settings.defaults().withPayloadBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback payload");
        assertThatThrownBy(() -> LoopbackRoundTrip.Settings.defaults().withRoundTrips(0))
                .hasMessageContaining("loopback round trips must be at least 1");
        assertThatThrownBy(() -> LoopbackRoundTrip.Settings.defaults().withMaxDuration(Duration.ZERO))
                .hasMessageContaining("loopback max duration");
        assertThatThrownBy(() -> FsyncProbe.Settings.defaults().withWrites(0))
                .hasMessageContaining("fsync probe writes");
        assertThatThrownBy(() -> FsyncProbe.Settings.defaults().withBlockBytes(0))
                .hasMessageContaining("fsync probe block");
        assertThatThrownBy(() -> FsyncProbe.run(FsyncProbe.Settings.defaults().withDirectory(temp.resolve("nope"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an existing directory");
        assertThatThrownBy(() -> StorageEngineProbe.Settings.defaults(1).withValueBytes(0))
                .hasMessageContaining("storage probe value size");
        assertThatThrownBy(() -> StorageEngineProbe.Settings.defaults(1).withOperations(0))
                .hasMessageContaining("storage probe operations");
    }

    @Test
    void anEmptySummaryIsNaN() {
        LatencySummary l = LatencySummary.fromMicros(LatencySummary.microsHistogram());
        assertThat(l.count()).isZero();
        assertThat(l.p50Micros()).isNaN();
        assertThat(l.p999OverP50()).isNaN();
        assertThat(l.json().get("p50_us").isNull()).isTrue();
    }
}

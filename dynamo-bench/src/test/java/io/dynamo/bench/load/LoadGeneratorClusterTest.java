package io.dynamo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.client.DynamoClient;
import io.dynamo.client.GetResult;
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

/**
 * The generator against a real 3-node cluster in this JVM (N=3, R=2, W=2): short runs of the
 * presets and of every operation, checked for errors, for the shape of the report, and for what
 * the keys hold afterwards. Each test uses its own namespace. No assertion depends on speed.
 */
class LoadGeneratorClusterTest {

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

    private static WorkloadSpec.Builder shortRun(String namespace, String workload, long seed) {
        return WorkloadSpec.builder().namespace(namespace).records(300).mix(OperationMix.preset(workload))
                .threads(3).valueSize(64).warmup(Duration.ofMillis(200)).duration(Duration.ofMillis(1500)).seed(seed);
    }

    private static BenchReport run(WorkloadSpec spec, List<Progress> progress) {
        return new LoadGenerator(client, spec).run(new RunInfo("test", "in-process cluster"), progress::add);
    }

    private static void assertOrderedPercentiles(OperationReport o) {
        assertThat(o.count()).as(o.operation() + " count").isPositive();
        assertThat(o.p50Millis()).as(o.operation() + " p50").isGreaterThanOrEqualTo(0);
        assertThat(o.p50Millis()).as(o.operation() + " p50 <= p99").isLessThanOrEqualTo(o.p99Millis());
        assertThat(o.p99Millis()).as(o.operation() + " p99 <= p99.9").isLessThanOrEqualTo(o.p999Millis());
        assertThat(o.p999Millis()).as(o.operation() + " p99.9 <= max").isLessThanOrEqualTo(o.maxMillis());
    }

    @Test
    void workloadAReadsAndUpdatesWithoutErrors() {
        long seed = seed("workloadA");
        List<Progress> progress = new CopyOnWriteArrayList<>();
        BenchReport report = run(shortRun("bench-a", "a", seed).build(), progress);
        progress.forEach(p -> System.out.println(p.line()));
        System.out.print(ReportFormat.text(report));

        assertThat(report.total().errors()).as(ReportFormat.text(report)).isZero();
        assertThat(report.operations()).extracting(OperationReport::operation).containsExactly("read", "update");
        report.operations().forEach(LoadGeneratorClusterTest::assertOrderedPercentiles);
        assertThat(report.total().count()).isEqualTo(report.operations().stream().mapToLong(OperationReport::count).sum());
        assertThat(report.load()).isNotNull();
        assertThat(report.load().writes().count()).isEqualTo(300);
        assertThat(report.load().alreadyPresent()).isZero();
        assertThat(report.loop()).isEqualTo("closed");
        assertThat(report.measuredSeconds()).isPositive();
        for (Progress p : progress) {
            assertThat(p.intervalOperations()).isGreaterThanOrEqualTo(0);
            assertThat(p.line()).startsWith("[").contains("ops/s").contains("total");
        }
        assertThat(ReportFormat.text(report)).contains("read").contains("update").contains("Seed: " + seed);
        SiblingReads sr = report.counters().siblingReads();
        assertThat(sr.reads()).isEqualTo(report.counters().readsWithSiblings());
        assertThat(sr.merged() + sr.open()).isEqualTo(sr.reads());
        assertThat(sr.byDifferentThreads()).isBetween(0L, sr.reads());
    }

    @Test
    void siblingsOfHotKeysComeFromDifferentThreadsAndLaterUpdatesMergeThem() {
        long seed = seed("hotKeys");
        // Two keys, four threads: updates of one key with the same context happen all the time.
        BenchReport report = run(shortRun("bench-hot", "a", seed).records(2).threads(4)
                .duration(Duration.ofSeconds(2)).build(), new CopyOnWriteArrayList<>());
        String text = ReportFormat.text(report);
        System.out.print(text);
        SiblingReads sr = report.counters().siblingReads();
        assertThat(report.total().errors()).as(text).isZero();
        assertThat(sr.reads()).as(text).isPositive();
        assertThat(sr.keys()).isBetween(1L, 2L);
        assertThat(sr.byDifferentThreads()).as("siblings written by two threads").isPositive();
        assertThat(sr.merged()).as("sibling reads merged by a later update").isPositive();
        assertThat(text).contains("of reads saw siblings (").contains("were merged by a later update's context");
        for (int i = 0; i < 2; i++) {
            assertThat(SiblingTracker.writerOf(client.get("bench-hot", Keys.bytes(Keys.record(i))).siblings().get(0)
                    .value())).as("values carry their writer's number").isBetween(0, 4);
        }
    }

    @Test
    void workloadFReadsAndReadModifyWritesWithoutErrors() {
        long seed = seed("workloadF");
        BenchReport report = run(shortRun("bench-f", "f", seed).threads(2).build(), new CopyOnWriteArrayList<>());

        assertThat(report.total().errors()).as(ReportFormat.text(report)).isZero();
        assertThat(report.operations()).extracting(OperationReport::operation).containsExactly("read", "rmw");
        report.operations().forEach(LoadGeneratorClusterTest::assertOrderedPercentiles);
    }

    @Test
    void everyOperationRunsWithoutErrors() {
        long seed = seed("everyOperation");
        WorkloadSpec spec = shortRun("bench-all", "a", seed).mix(OperationMix.of(40, 25, 10, 15, 10))
                .distribution(KeyDistribution.UNIFORM).build();
        BenchReport report = run(spec, new CopyOnWriteArrayList<>());
        System.out.print(ReportFormat.text(report));

        assertThat(report.total().errors()).as(ReportFormat.text(report)).isZero();
        assertThat(report.operations()).extracting(OperationReport::operation)
                .containsExactly("read", "update", "insert", "rmw", "delete");
        report.operations().forEach(LoadGeneratorClusterTest::assertOrderedPercentiles);
        assertThat(report.counters().inserts()).isEqualTo(report.operation("insert").orElseThrow().count());
    }

    @Test
    void updatesCarryContextsSoNoKeyEndsWithSiblings() {
        long seed = seed("noSiblings");
        int records = 40;
        WorkloadSpec spec = WorkloadSpec.builder().namespace("bench-solo").records(records)
                .mix(OperationMix.preset("w")).distribution(KeyDistribution.UNIFORM).threads(1).valueSize(32)
                .warmup(Duration.ZERO).duration(Duration.ofMillis(1200)).seed(seed).build();
        BenchReport report = run(spec, new CopyOnWriteArrayList<>());

        OperationReport updates = report.operation("update").orElseThrow();
        assertThat(updates.errors()).as(ReportFormat.text(report)).isZero();
        assertThat(updates.count()).isGreaterThan(records); // keys were updated more than once each
        for (int i = 0; i < records; i++) {
            GetResult read = client.get("bench-solo", Keys.bytes(Keys.record(i)));
            assertThat(read.siblings()).as("siblings of " + Keys.record(i)).hasSize(1);
        }
    }

    @Test
    void aSecondLoadOfTheSameKeysLeavesOneValueEach() {
        long seed = seed("reload");
        WorkloadSpec spec = WorkloadSpec.builder().namespace("bench-reload").records(30)
                .mix(OperationMix.preset("c")).threads(2).valueSize(16).warmup(Duration.ZERO)
                .duration(null).operations(10).seed(seed).build();
        BenchReport first = run(spec, new CopyOnWriteArrayList<>());
        BenchReport second = run(spec, new CopyOnWriteArrayList<>());

        assertThat(first.load().alreadyPresent()).isZero();
        assertThat(second.load().alreadyPresent()).isEqualTo(30);
        assertThat(second.load().writes().errors()).isZero();
        for (int i = 0; i < 30; i++) {
            assertThat(client.get("bench-reload", Keys.bytes(Keys.record(i))).siblings()).hasSize(1);
        }
        assertThat(second.total().count() + second.total().errors()).isEqualTo(10);
    }

    @Test
    void openLoopStopsAfterTheOperationCount() {
        long seed = seed("openLoop");
        WorkloadSpec spec = WorkloadSpec.builder().namespace("bench-open").records(50).mix(OperationMix.preset("b"))
                .threads(2).valueSize(16).warmup(Duration.ZERO).duration(null).operations(60).targetRate(200)
                .seed(seed).build();
        BenchReport report = run(spec, new CopyOnWriteArrayList<>());

        assertThat(report.loop()).isEqualTo("open");
        assertThat(report.total().count() + report.total().errors()).isEqualTo(60);
        assertThat(report.total().errors()).isZero();
        assertThat(ReportFormat.text(report)).contains("Open loop at 200.0 ops/s");
    }

    @Test
    void stopEndsTheRunEarlyWithAReport() throws Exception {
        long seed = seed("stop");
        WorkloadSpec spec = shortRun("bench-stop", "c", seed).load(false).warmup(Duration.ZERO)
                .duration(Duration.ofMinutes(10)).build();
        LoadGenerator generator = new LoadGenerator(client, spec);
        // Stopped from the first progress report: the run is under way, and no test thread sleeps.
        BenchReport report = generator.run(new RunInfo("test", "in-process cluster"), p -> generator.stop());

        assertThat(report.stoppedEarly()).isTrue();
        assertThat(report.load()).isNull();
        assertThat(ReportFormat.text(report)).contains("STOPPED EARLY").contains("Load: skipped");
    }
}

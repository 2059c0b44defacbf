package io.dynamo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.bench.merkle.MerkleTreeBenchmark;
import io.dynamo.bench.ring.PreferenceListBenchmark;
import io.dynamo.bench.storage.StorageBenchmark;
import io.dynamo.bench.versioning.SiblingsBenchmark;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark once, in process and briefly, to catch broken setups and missing generated
 * code. Checks the shape of the results only: how fast anything is belongs in docs/benchmarks.md,
 * not in a test.
 */
class BenchmarksSmokeTest {

    @ParameterizedTest
    @ValueSource(classes = {PreferenceListBenchmark.class, SiblingsBenchmark.class, MerkleTreeBenchmark.class})
    void everyBenchmarkRunsAndScores(Class<?> benchmarkClass) throws RunnerException {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmarkClass.getName() + ".") + "\\w+$")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .threads(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        assertEveryBenchmarkScored(benchmarkClass, new Runner(options).run());
    }

    /**
     * The storage benchmarks on a tiny configuration: 1,000 preloaded keys, pools of 20,000 fresh
     * keys, one 100 ms iteration each, with the thread counts they declare (16 for the durable
     * ones), so the engine, raw RocksDB and group commit paths all run once.
     */
    @Test
    void storageBenchmarksRunAndScore() throws RunnerException {
        Class<?> benchmarkClass = StorageBenchmark.class;
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmarkClass.getName() + ".") + "\\w+$")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .param("preloadKeys", "1000")
                .param("keyPool", "20000")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        assertEveryBenchmarkScored(benchmarkClass, results);
        assertThat(results).filteredOn(r -> r.getParams().getBenchmark().endsWith("16"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getParams().getThreads()).isEqualTo(16));
    }

    private static void assertEveryBenchmarkScored(Class<?> benchmarkClass, Collection<RunResult> results) {
        Set<String> expected = Arrays.stream(benchmarkClass.getMethods())
                .filter(m -> m.isAnnotationPresent(Benchmark.class))
                .map(m -> benchmarkClass.getName() + "." + m.getName())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> ran = results.stream()
                .map(r -> r.getParams().getBenchmark())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(expected).isNotEmpty();
        assertThat(ran).isEqualTo(expected);
        assertThat(results).allSatisfy(r -> {
            double score = r.getPrimaryResult().getScore();
            assertThat(score).as("score of %s %s", r.getParams().getBenchmark(), r.getParams())
                    .isPositive()
                    .isFinite();
        });
    }
}

/**
 * The load generator behind {@code dynamo bench}: a {@link io.dynamo.bench.load.WorkloadSpec}
 * (YCSB-style presets or a custom mix, uniform or scrambled zipfian keys, closed or open loop),
 * the {@link io.dynamo.bench.load.LoadGenerator} that drives it through the Java client with
 * per-operation HdrHistograms, progress once a second, and the
 * {@link io.dynamo.bench.load.BenchReport} with its text and JSON forms
 * ({@link io.dynamo.bench.load.ReportFormat}). Meant to be reused by other bench commands and
 * bindings: nothing here prints or reads options.
 */
package io.dynamo.bench.load;

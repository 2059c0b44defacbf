/**
 * Physical baselines measured in the same run as the benchmarks judged against them: a raw
 * loopback TCP round trip ({@link io.dynamo.bench.baseline.LoopbackRoundTrip}), the cost of one
 * fdatasync ({@link io.dynamo.bench.baseline.FsyncProbe}), and the storage engine alone
 * ({@link io.dynamo.bench.baseline.StorageEngineProbe}); with
 * {@link io.dynamo.bench.baseline.LatencySummary}, the percentiles of an HdrHistogram, and
 * {@link io.dynamo.bench.baseline.BaselineFormat}, their text and JSON forms.
 */
package io.dynamo.bench.baseline;

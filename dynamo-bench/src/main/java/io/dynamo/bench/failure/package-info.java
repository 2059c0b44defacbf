/**
 * The engine of {@code bench failure}: {@link io.dynamo.bench.failure.FailureUnderLoad}, an open
 * loop at half the peak throughput during which a {@link io.dynamo.bench.failure.NodeKiller} kills
 * a node, with every request's fate and route in a {@link io.dynamo.bench.failure.RequestLog};
 * {@link io.dynamo.bench.failure.FailureFormat}, its text and JSON forms.
 */
package io.dynamo.bench.failure;

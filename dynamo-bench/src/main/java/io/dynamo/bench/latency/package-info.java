/**
 * The engine of {@code bench latency}: {@link io.dynamo.bench.latency.UnloadedLatency}, the
 * latency of a get and a put with no other load against the loopback round trip measured in the
 * same run, and {@link io.dynamo.bench.latency.LatencyFormat}, its text and JSON forms.
 */
package io.dynamo.bench.latency;

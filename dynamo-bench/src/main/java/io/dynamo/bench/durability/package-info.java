/**
 * The engine of {@code bench durability}: {@link io.dynamo.bench.durability.DurableWrites}, put
 * throughput with durable writes (dw = W, group commit) against buffered writes (dw = 0) through
 * the client, with an fsync probe in the same run; {@link io.dynamo.bench.durability.DurabilityFormat},
 * its text and JSON forms.
 */
package io.dynamo.bench.durability;

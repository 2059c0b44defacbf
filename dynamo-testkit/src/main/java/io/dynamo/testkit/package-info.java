/**
 * The deterministic simulation kernel (DESIGN.md section 4): a one-thread discrete-event {@link
 * io.dynamo.testkit.SimScheduler} on virtual time with per-node views and clocks, a {@link
 * io.dynamo.testkit.SimNetwork} with latency, loss, duplication, partitions and {@linkplain
 * io.dynamo.testkit.MessageFilters message filters}, an event {@link io.dynamo.testkit.Trace}, and
 * {@link io.dynamo.testkit.Simulation} tying them to one seed that replays a run exactly.
 */
package io.dynamo.testkit;

/**
 * Time, scheduling and randomness as injected services. Node logic reads time only from a
 * {@link io.dynamo.core.time.Clock}, defers work only through a {@link io.dynamo.core.time.Scheduler}
 * and draws randomness only from a seeded {@link io.dynamo.core.time.RandomSource}, so that the
 * simulator can run a whole cluster on virtual time and replay any run from its seed.
 */
package io.dynamo.core.time;

/**
 * Support for property tests in every module: {@link io.dynamo.core.testing.Theories} runs
 * QuickTheories with a seed per run that a failure names and {@code -Ddynamo.property.seed}
 * replays; {@link io.dynamo.core.testing.Gens} holds the generators the properties share. Other
 * modules get it from the {@code io.dynamo:dynamo-core:test-jar} artifact.
 */
package io.dynamo.core.testing;

/**
 * {@code dynamo bench}: the load generator of {@code io.dynamo.bench.load} as a command, against
 * a running cluster or a throwaway local one ({@link io.dynamo.cli.bench.LocalTarget}).
 */
package io.dynamo.cli.bench;

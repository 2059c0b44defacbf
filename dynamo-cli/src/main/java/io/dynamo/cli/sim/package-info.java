/**
 * {@code dynamo sim ...}: seeded experiments and simulations from {@code dynamo-sim}, run from the
 * command line. Each command prints its report and writes its figures.
 */
package io.dynamo.cli.sim;

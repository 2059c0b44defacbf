/**
 * The paper's partitioning experiment (section 6.2, Figure 8): load-balancing efficiency of the
 * three claim strategies against the size of the membership metadata, and the data each moves
 * when a node joins or leaves. Pure and seeded: {@link io.dynamo.sim.partitioning.PartitioningExperiment}
 * returns a {@link io.dynamo.sim.partitioning.PartitioningReport}, which the caller prints, and
 * {@link io.dynamo.sim.partitioning.PartitioningChart} renders it as a PNG.
 */
package io.dynamo.sim.partitioning;

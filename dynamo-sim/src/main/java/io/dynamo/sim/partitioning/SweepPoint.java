package io.dynamo.sim.partitioning;

/**
 * One strategy at one metadata size: load-balancing efficiency computed exactly and from sampled
 * keys, and the fraction of replica data moved by one join and one leave, each over the runs.
 *
 * @param parameter T (strategies 1 and 2) or Q (strategy 3)
 * @param metadataSize ring entries a node keeps, the x axis of Figure 8
 * @param ranges the ranges the ring is cut into (token ranges or equal partitions)
 */
public record SweepPoint(Strategy strategy, int parameter, int metadataSize, int ranges, Stats exact, Stats sampled,
        Stats joinMoved, Stats leaveMoved) {
}

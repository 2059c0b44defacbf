package io.dynamo.core.ring;

import io.dynamo.core.time.RandomSource;
import java.util.Collection;
import java.util.List;

/**
 * Strategy 3: Q equal partitions, each node claiming Q/S of them, rounded. The claim keeps any
 * {@code targetN} consecutive partitions on distinct nodes when that is possible, and moves only
 * what must move: a joining node takes its share from the others, and a leaving node's
 * partitions are spread over the rest (see {@link PartitionPlanner}).
 */
record EqualPartitionsClaim(int partitions, int targetN) implements ClaimStrategy {

    EqualPartitionsClaim {
        ClaimStrategy.partitionBits(partitions);
        if (targetN < 1 || targetN > 16) {
            throw new IllegalArgumentException("target N must be between 1 and 16, was " + targetN);
        }
    }

    @Override
    public Ring claim(Ring previous, Collection<Member> members, RandomSource random) {
        List<Member> sorted = ClaimStrategy.sortedDistinct(members);
        if (sorted.size() > partitions) {
            throw new IllegalArgumentException("a ring of " + partitions + " partitions cannot hold "
                    + sorted.size() + " nodes: create the cluster with more partitions");
        }
        PartitionPlanner planner = new PartitionPlanner(sorted, partitions, targetN);
        int[] claims;
        if (previous == null || previous.claims().size() != partitions) {
            claims = planner.fresh();
        } else {
            int[] prior = new int[partitions];
            List<NodeId> previousClaims = previous.claims();
            for (int p = 0; p < partitions; p++) {
                prior[p] = planner.ordinalOf(previousClaims.get(p));
            }
            claims = planner.rebalance(prior);
        }
        return Ring.ofClaims(previous == null ? 1 : previous.epoch() + 1, this, sorted,
                ClaimStrategy.partitionBits(partitions), claims);
    }

    @Override
    public String describe() {
        return "strategy 3 (" + partitions + " equal partitions, target N " + targetN + ")";
    }
}

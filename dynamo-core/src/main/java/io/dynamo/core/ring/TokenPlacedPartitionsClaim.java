package io.dynamo.core.ring;

import io.dynamo.core.time.RandomSource;
import java.util.Collection;
import java.util.List;

/** Strategy 2: T random tokens per node decide where each of Q equal partitions lives. */
record TokenPlacedPartitionsClaim(int tokensPerNode, int partitions) implements ClaimStrategy {

    TokenPlacedPartitionsClaim {
        if (tokensPerNode < 1 || tokensPerNode > 65536) {
            throw new IllegalArgumentException("tokens per node must be between 1 and 65536, was " + tokensPerNode);
        }
        ClaimStrategy.partitionBits(partitions);
    }

    @Override
    public Ring claim(Ring previous, Collection<Member> members, RandomSource random) {
        List<Member> sorted = ClaimStrategy.sortedDistinct(members);
        return Ring.ofTokenPlacedPartitions(previous == null ? 1 : previous.epoch() + 1, this, sorted,
                RandomTokensClaim.keepOrDraw(previous, sorted, tokensPerNode, random),
                ClaimStrategy.partitionBits(partitions));
    }

    @Override
    public String describe() {
        return "strategy 2 (" + tokensPerNode + " random tokens per node, " + partitions + " partitions)";
    }
}

package io.dynamo.core.ring;

import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which node owns which part of the ring (paper section 6.2). The three strategies the
 * paper compares are all here, so that the experiment of its Figure 8 can be repeated; the
 * cluster itself uses {@link #equalPartitions strategy 3}.
 *
 * <ol>
 *   <li>{@link #randomTokens}: T random tokens per node; partitions are the ranges between
 *       tokens, so their sizes vary and change with every join.</li>
 *   <li>{@link #randomTokensEqualPartitions}: T random tokens per node and Q equal partitions,
 *       each placed on the nodes met walking clockwise from its end.</li>
 *   <li>{@link #equalPartitions}: Q equal partitions, each node claiming about Q/S of them.</li>
 * </ol>
 */
public sealed interface ClaimStrategy permits RandomTokensClaim, TokenPlacedPartitionsClaim, EqualPartitionsClaim {

    /** The default partition count for a new cluster. */
    int DEFAULT_PARTITIONS = 1024;

    /**
     * The ring for {@code members}, derived from {@code previous} with as little movement as the
     * strategy allows ({@code previous} is null for a new cluster). The result's epoch is one more
     * than the previous ring's. {@code random} is used only by the token strategies.
     */
    Ring claim(Ring previous, Collection<Member> members, RandomSource random);

    /** The ring of a new cluster. */
    default Ring initial(Collection<Member> members, RandomSource random) {
        return claim(null, members, random);
    }

    /** A short human-readable name with the strategy's parameters. */
    String describe();

    /** Strategy 1: {@code tokensPerNode} random tokens per node. */
    static ClaimStrategy randomTokens(int tokensPerNode) {
        return new RandomTokensClaim(tokensPerNode);
    }

    /** Strategy 2: {@code tokensPerNode} random tokens per node, {@code partitions} equal partitions. */
    static ClaimStrategy randomTokensEqualPartitions(int tokensPerNode, int partitions) {
        return new TokenPlacedPartitionsClaim(tokensPerNode, partitions);
    }

    /**
     * Strategy 3, the default: {@code partitions} equal partitions (a power of two, fixed at cluster
     * creation), claimed so that any {@code targetN} consecutive partitions belong to distinct nodes
     * (and distinct zones where the zones allow it) whenever that is possible.
     */
    static ClaimStrategy equalPartitions(int partitions, int targetN) {
        return new EqualPartitionsClaim(partitions, targetN);
    }

    /** Members sorted by id, rejecting an empty set and duplicate ids. */
    static List<Member> sortedDistinct(Collection<Member> members) {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one member");
        }
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(null);
        Set<NodeId> seen = new HashSet<>();
        for (Member m : sorted) {
            if (!seen.add(m.id())) {
                throw new IllegalArgumentException("node " + m.id() + " is listed twice");
            }
        }
        return sorted;
    }

    /** Validates a partition count and returns its log2. */
    static int partitionBits(int partitions) {
        if (partitions < 1 || partitions > (1 << 20) || Integer.bitCount(partitions) != 1) {
            throw new IllegalArgumentException("partition count must be a power of two between 1 and 1048576, was "
                    + partitions);
        }
        return Integer.numberOfTrailingZeros(partitions);
    }
}

package io.dynamo.sim.partitioning;

import java.util.ArrayList;
import java.util.List;

/**
 * Parameters of the partitioning experiment. Strategies 1 and 2 sweep T over {@code tokensPerNode};
 * strategy 3 sweeps Q over {@code partitionCounts}. Movement is reported in detail at {@code
 * representativeTokens} and {@code representativePartitions}, which must be among the swept values.
 *
 * @param nodes S, the cluster size before a join or leave
 * @param replicas N, the number of primaries per key
 * @param seed determines every random draw of the experiment
 * @param sampledKeys uniformly random keys for the sampled efficiency
 * @param runs seeds averaged for the random strategies 1 and 2 (and leavers tried for strategy 3)
 */
public record PartitioningConfig(int nodes, int replicas, long seed, int sampledKeys, int runs,
        List<Integer> tokensPerNode, List<Integer> partitionCounts, int representativeTokens,
        int representativePartitions) {

    /** The largest cluster the experiment accepts (every range keeps a full walk of the nodes). */
    public static final int MAX_NODES = 128;
    public static final int DEFAULT_NODES = 30;
    public static final int DEFAULT_REPLICAS = 3;
    public static final long DEFAULT_SEED = 2007L;
    public static final int DEFAULT_KEYS = 200_000;
    public static final int QUICK_KEYS = 20_000;

    public PartitioningConfig {
        if (replicas < 1 || replicas > 16) {
            throw new IllegalArgumentException("replicas must be between 1 and 16, was " + replicas);
        }
        if (nodes < replicas + 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("nodes must be between replicas + 1 = " + (replicas + 1)
                    + " (so that one can leave) and " + MAX_NODES + ", was " + nodes);
        }
        if (sampledKeys < 1 || sampledKeys > 10_000_000) {
            throw new IllegalArgumentException("sampled keys must be between 1 and 10000000, was " + sampledKeys);
        }
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, was " + runs);
        }
        tokensPerNode = List.copyOf(tokensPerNode);
        partitionCounts = List.copyOf(partitionCounts);
        if (tokensPerNode.isEmpty() || partitionCounts.isEmpty()) {
            throw new IllegalArgumentException("the sweep needs at least one T and one Q");
        }
        for (int t : tokensPerNode) {
            if (t < 1 || t > 4096) {
                throw new IllegalArgumentException("tokens per node must be between 1 and 4096, was " + t);
            }
        }
        for (int q : partitionCounts) {
            if (q <= nodes || Integer.bitCount(q) != 1) {
                throw new IllegalArgumentException("partition counts must be powers of two above the node count "
                        + nodes + " (so that one more node can join), was " + q);
            }
        }
        if (!tokensPerNode.contains(representativeTokens)) {
            throw new IllegalArgumentException("representative T " + representativeTokens + " is not swept");
        }
        if (!partitionCounts.contains(representativePartitions)) {
            throw new IllegalArgumentException("representative Q " + representativePartitions + " is not swept");
        }
    }

    /**
     * The full experiment: T in 1..256 and Q in 32..8192 (powers of two; Q above S only), ten
     * runs, movement in detail at T = 64 and Q = 1024.
     */
    public static PartitioningConfig standard(int nodes, int replicas, long seed, int sampledKeys) {
        return new PartitioningConfig(nodes, replicas, seed, sampledKeys, 10,
                powersOfTwo(1, 256, 0), powersOfTwo(32, 8192, nodes), 64, 1024);
    }

    /** A small version for tests and smoke runs: three T, three Q, three runs. */
    public static PartitioningConfig quick(int nodes, int replicas, long seed, int sampledKeys) {
        List<Integer> qs = new ArrayList<>();
        for (int q : List.of(64, 256, 1024)) {
            if (q > nodes) {
                qs.add(q);
            }
        }
        return new PartitioningConfig(nodes, replicas, seed, sampledKeys, 3, List.of(1, 8, 64), qs, 64, 1024);
    }

    /** The default parameters: S = 30, N = 3, the default seed and key count. */
    public static PartitioningConfig defaults() {
        return standard(DEFAULT_NODES, DEFAULT_REPLICAS, DEFAULT_SEED, DEFAULT_KEYS);
    }

    private static List<Integer> powersOfTwo(int from, int to, int above) {
        List<Integer> out = new ArrayList<>();
        for (int v = from; v <= to; v <<= 1) {
            if (v > above) {
                out.add(v);
            }
        }
        return out;
    }
}

package io.dynamo.sim.partitioning;

import io.dynamo.core.ring.ClaimStrategy;

/**
 * The paper's three partitioning strategies (section 6.2) as the experiment sweeps them. The
 * sweep parameter is T (tokens per node) for strategies 1 and 2 and Q (partitions) for strategy 3;
 * the metadata size, the x axis of Figure 8, is the number of ring entries a node keeps
 * (see {@link #metadataSize}).
 */
public enum Strategy {

    /** T random tokens per node; the ranges between tokens are the partitions. */
    RANDOM_TOKENS(1, "T", "strategy 1: T random tokens per node, partitions by token value"),
    /** T random tokens per node place Q equal partitions (Q derived from S*T, see {@link #partitionsFor}). */
    TOKEN_PLACED_PARTITIONS(2, "T", "strategy 2: T random tokens per node, Q >= 8*S*T equal partitions"),
    /** Q equal partitions, Q/S claimed by each node. */
    EQUAL_PARTITIONS(3, "Q", "strategy 3: Q/S tokens per node, Q equal partitions");

    /** Strategy 2 never uses more partitions than this. */
    public static final int MAX_STRATEGY_2_PARTITIONS = 1 << 17;

    private final int number;
    private final String parameterName;
    private final String label;

    Strategy(int number, String parameterName, String label) {
        this.number = number;
        this.parameterName = parameterName;
        this.label = label;
    }

    /** 1, 2 or 3, as in the paper. */
    public int number() {
        return number;
    }

    /** "T" or "Q". */
    public String parameterName() {
        return parameterName;
    }

    /** A one-line description for legends and tables. */
    public String label() {
        return label;
    }

    /** Whether the claim draws randomness (and so is averaged over several seeds). */
    public boolean isRandom() {
        return this != EQUAL_PARTITIONS;
    }

    /**
     * Ring entries a node keeps for {@code parameter} in a cluster of {@code nodes}: the S*T tokens
     * for strategy 1; the S*T tokens plus the Q-entry partition map for strategy 2 (with Q much
     * larger than S*T a node cannot route without knowing where each partition lives, which is
     * why the paper finds strategy 2 the worst at equal metadata); the Q claims for strategy 3.
     */
    public int metadataSize(int nodes, int parameter) {
        return switch (this) {
            case RANDOM_TOKENS -> nodes * parameter;
            case TOKEN_PLACED_PARTITIONS -> nodes * parameter + partitionsFor(nodes, parameter);
            case EQUAL_PARTITIONS -> parameter;
        };
    }

    /**
     * Strategy 2's partition count: the smallest power of two at least 8*S*T, so that every token
     * range holds about eight partitions, capped at {@link #MAX_STRATEGY_2_PARTITIONS}.
     */
    public static int partitionsFor(int nodes, int tokensPerNode) {
        long wanted = 8L * nodes * tokensPerNode;
        int q = 1;
        while (q < wanted && q < MAX_STRATEGY_2_PARTITIONS) {
            q <<= 1;
        }
        return q;
    }

    /** The number of ranges the ring is cut into: S*T token ranges, or Q partitions. */
    public int ranges(int nodes, int parameter) {
        return switch (this) {
            case RANDOM_TOKENS -> nodes * parameter;
            case TOKEN_PLACED_PARTITIONS -> partitionsFor(nodes, parameter);
            case EQUAL_PARTITIONS -> parameter;
        };
    }

    /** The claim strategy for {@code parameter} (T or Q) and replication factor {@code n}. */
    public ClaimStrategy claim(int nodes, int parameter, int n) {
        return switch (this) {
            case RANDOM_TOKENS -> ClaimStrategy.randomTokens(parameter);
            case TOKEN_PLACED_PARTITIONS -> ClaimStrategy.randomTokensEqualPartitions(parameter,
                    partitionsFor(nodes, parameter));
            case EQUAL_PARTITIONS -> ClaimStrategy.equalPartitions(parameter, n);
        };
    }
}

package io.dynamo.core.ring;

import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Strategy 1: T random tokens per node; ranges between tokens are the partitions. */
record RandomTokensClaim(int tokensPerNode) implements ClaimStrategy {

    RandomTokensClaim {
        if (tokensPerNode < 1 || tokensPerNode > 65536) {
            throw new IllegalArgumentException("tokens per node must be between 1 and 65536, was " + tokensPerNode);
        }
    }

    @Override
    public Ring claim(Ring previous, Collection<Member> members, RandomSource random) {
        List<Member> sorted = ClaimStrategy.sortedDistinct(members);
        return Ring.ofTokenRanges(previous == null ? 1 : previous.epoch() + 1, this, sorted,
                keepOrDraw(previous, sorted, tokensPerNode, random));
    }

    /** Existing members keep their tokens; new members draw fresh random ones. */
    static SortedMap<NodeId, List<Token>> keepOrDraw(Ring previous, List<Member> sorted, int t, RandomSource random) {
        SortedMap<NodeId, List<Token>> tokens = new TreeMap<>();
        for (Member m : sorted) {
            List<Token> kept = previous == null ? null : previous.tokens().get(m.id());
            if (kept != null && !kept.isEmpty()) {
                tokens.put(m.id(), kept);
            } else {
                List<Token> drawn = new ArrayList<>(t);
                for (int i = 0; i < t; i++) {
                    drawn.add(new Token(random.nextLong(), random.nextLong()));
                }
                tokens.put(m.id(), drawn);
            }
        }
        return tokens;
    }

    @Override
    public String describe() {
        return "strategy 1 (" + tokensPerNode + " random tokens per node)";
    }
}

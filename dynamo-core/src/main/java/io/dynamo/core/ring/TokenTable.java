package io.dynamo.core.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** All members' tokens sorted clockwise, with the member ordinal owning each. */
record TokenTable(Token[] tokens, int[] owners) {

    static TokenTable of(List<Member> sortedMembers, Map<NodeId, List<Token>> tokensByNode) {
        record Entry(Token token, int owner) {
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < sortedMembers.size(); i++) {
            List<Token> own = tokensByNode.get(sortedMembers.get(i).id());
            if (own == null || own.isEmpty()) {
                throw new IllegalArgumentException("member " + sortedMembers.get(i).id() + " has no tokens");
            }
            for (Token t : own) {
                entries.add(new Entry(t, i));
            }
        }
        // Equal tokens (astronomically unlikely with 128 bits) are ordered by member, so every
        // node computes the same table.
        entries.sort(Comparator.comparing(Entry::token).thenComparingInt(Entry::owner));
        Token[] tokens = new Token[entries.size()];
        int[] owners = new int[entries.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = entries.get(i).token();
            owners[i] = entries.get(i).owner();
        }
        return new TokenTable(tokens, owners);
    }

    /** Index of the first token at or after {@code t}, wrapping to 0 past the largest. */
    int firstAtOrAfter(Token t) {
        int i = Arrays.binarySearch(tokens, t);
        if (i >= 0) {
            return i;
        }
        int insertion = -i - 1;
        return insertion == tokens.length ? 0 : insertion;
    }
}

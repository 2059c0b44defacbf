package io.dynamo.core.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of who owns what on the ring, tagged with an epoch that grows with every
 * change. The ring is cut into ranges: {@code Q} equal partitions (strategies 2 and 3), or the
 * ranges between consecutive tokens (strategy 1). Each range has a precomputed walk, its
 * distinct nodes in preference order, so a lookup is a hash, a shift or binary search, and an
 * array read.
 *
 * <p>Built only by a {@link ClaimStrategy}; safe to share between threads.
 */
public final class Ring {

    private final long epoch;
    private final ClaimStrategy strategy;
    private final List<Member> members;
    private final Map<NodeId, Integer> ordinals;
    /** log2 of the partition count for equal partitions; -1 when ranges are token ranges. */
    private final int partitionBits;
    /** Token layout only: the inclusive upper bound of each range, ascending. */
    private final Token[] upperBounds;
    /** Per range, member ordinals in preference order (zone-aware), every member once. */
    private final int[][] walks;
    /** Strategy 3: per partition, the claiming member's ordinal; otherwise null. */
    private final int[] claims;
    /** Strategies 1 and 2: each member's tokens; otherwise empty. */
    private final SortedMap<NodeId, List<Token>> tokens;

    private Ring(long epoch, ClaimStrategy strategy, List<Member> members, int partitionBits,
            Token[] upperBounds, int[][] walks, int[] claims, SortedMap<NodeId, List<Token>> tokens) {
        this.epoch = epoch;
        this.strategy = strategy;
        this.members = List.copyOf(members);
        this.ordinals = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            ordinals.put(members.get(i).id(), i);
        }
        this.partitionBits = partitionBits;
        this.upperBounds = upperBounds;
        this.walks = walks;
        this.claims = claims;
        this.tokens = tokens;
    }

    /** A ring of {@code 2^bits} equal partitions whose claimants are {@code claims[p]}. */
    static Ring ofClaims(long epoch, ClaimStrategy strategy, List<Member> sortedMembers, int bits, int[] claims) {
        int q = 1 << bits;
        int[] order = new int[q];
        for (int p = 0; p < q; p++) {
            order[p] = claims[p];
        }
        int[][] walks = Walks.compute(order, sortedMembers);
        return new Ring(epoch, strategy, sortedMembers, bits, null, walks, claims.clone(), new TreeMap<>());
    }

    /** A ring whose ranges are the gaps between the members' tokens (strategy 1). */
    static Ring ofTokenRanges(long epoch, ClaimStrategy strategy, List<Member> sortedMembers,
            SortedMap<NodeId, List<Token>> tokens) {
        TokenTable table = TokenTable.of(sortedMembers, tokens);
        int[][] walks = Walks.compute(table.owners(), sortedMembers);
        return new Ring(epoch, strategy, sortedMembers, -1, table.tokens(), walks, null, copy(tokens));
    }

    /**
     * A ring of {@code 2^bits} equal partitions, each placed on the nodes met walking the token
     * ring clockwise from the partition's end (strategy 2).
     */
    static Ring ofTokenPlacedPartitions(long epoch, ClaimStrategy strategy, List<Member> sortedMembers,
            SortedMap<NodeId, List<Token>> tokens, int bits) {
        TokenTable table = TokenTable.of(sortedMembers, tokens);
        int[][] tokenWalks = Walks.compute(table.owners(), sortedMembers);
        int q = 1 << bits;
        int[][] walks = new int[q][];
        for (int p = 0; p < q; p++) {
            Token end = Token.partitionStart((p + 1) % q, bits);
            walks[p] = tokenWalks[table.firstAtOrAfter(end)];
        }
        return new Ring(epoch, strategy, sortedMembers, bits, null, walks, null, copy(tokens));
    }

    private static SortedMap<NodeId, List<Token>> copy(SortedMap<NodeId, List<Token>> tokens) {
        SortedMap<NodeId, List<Token>> copy = new TreeMap<>();
        tokens.forEach((id, list) -> copy.put(id, List.copyOf(list)));
        return Collections.unmodifiableSortedMap(copy);
    }

    /**
     * A strategy-3 ring rebuilt from what a node persisted or received: its epoch, the strategy
     * ({@link ClaimStrategy#equalPartitions}), its members and the claimant of each partition.
     *
     * @throws IllegalArgumentException if the strategy is not strategy 3, the claims do not
     *     number its partitions, or a claimant is not a member
     */
    public static Ring restore(long epoch, ClaimStrategy strategy, List<Member> members, List<NodeId> claims) {
        if (!(strategy instanceof EqualPartitionsClaim eq)) {
            throw new IllegalArgumentException("only equal-partition rings (strategy 3) can be restored, not "
                    + strategy.describe());
        }
        if (claims.size() != eq.partitions()) {
            throw new IllegalArgumentException("a ring of " + eq.partitions() + " partitions needs as many claims, got "
                    + claims.size());
        }
        List<Member> sorted = ClaimStrategy.sortedDistinct(members);
        Map<NodeId, Integer> ordinal = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            ordinal.put(sorted.get(i).id(), i);
        }
        int[] byOrdinal = new int[claims.size()];
        for (int p = 0; p < claims.size(); p++) {
            Integer o = ordinal.get(claims.get(p));
            if (o == null) {
                throw new IllegalArgumentException("partition " + p + " is claimed by " + claims.get(p)
                        + ", which is not a member");
            }
            byOrdinal[p] = o;
        }
        return ofClaims(epoch, strategy, sorted, ClaimStrategy.partitionBits(eq.partitions()), byOrdinal);
    }

    /**
     * This ring under another epoch: for a placeholder that must lose to any real ring when
     * cluster states merge (a joining node's, at epoch 0).
     */
    public Ring withEpoch(long newEpoch) {
        return new Ring(newEpoch, strategy, members, partitionBits, upperBounds, walks, claims, tokens);
    }

    /** Grows with every change of membership or ownership; newer snapshots win. */
    public long epoch() {
        return epoch;
    }

    /** The strategy that built this ring and that builds its successors. */
    public ClaimStrategy strategy() {
        return strategy;
    }

    /** Members ordered by id. */
    public List<Member> members() {
        return members;
    }

    public boolean contains(NodeId id) {
        return ordinals.containsKey(id);
    }

    public Member member(NodeId id) {
        Integer ordinal = ordinals.get(id);
        if (ordinal == null) {
            throw new IllegalArgumentException("node " + id + " is not a member of ring epoch " + epoch);
        }
        return members.get(ordinal);
    }

    /** The number of ranges (Q for equal partitions). */
    public int partitionCount() {
        return walks.length;
    }

    /** True when the ring is cut into equal partitions (strategies 2 and 3). */
    public boolean hasEqualPartitions() {
        return partitionBits >= 0;
    }

    /** The partition (range index) holding {@code token}. */
    public int partitionOf(Token token) {
        if (partitionBits >= 0) {
            return partitionBits == 0 ? 0 : (int) (token.hi() >>> (64 - partitionBits));
        }
        int i = Arrays.binarySearch(upperBounds, token);
        if (i >= 0) {
            return i;
        }
        int insertion = -i - 1;
        return insertion == upperBounds.length ? 0 : insertion;
    }

    /** The partition holding a key of a namespace. */
    public int partitionOf(String namespace, byte[] key) {
        return partitionOf(KeyHasher.hash(namespace, key));
    }

    /** The preference list for the key at {@code token}, with {@code n} primaries. */
    public PreferenceList preferenceList(Token token, int n) {
        return preferenceList(partitionOf(token), n);
    }

    public PreferenceList preferenceList(String namespace, byte[] key, int n) {
        return preferenceList(partitionOf(namespace, key), n);
    }

    public PreferenceList preferenceList(int partition, int n) {
        Objects.checkIndex(partition, walks.length);
        if (n < 1 || n > members.size()) {
            throw new IllegalArgumentException("n must be between 1 and the member count " + members.size()
                    + ", was " + n);
        }
        return new PreferenceList(partition, n, walks[partition], members);
    }

    /** The first node of the partition's walk: its claimant under strategy 3. */
    public NodeId owner(int partition) {
        Objects.checkIndex(partition, walks.length);
        return members.get(walks[partition][0]).id();
    }

    /** The share of the 128-bit key space that falls in {@code partition}. */
    public double keySpaceFraction(int partition) {
        if (partitionBits >= 0) {
            return 1.0 / walks.length;
        }
        Token previous = upperBounds[partition == 0 ? upperBounds.length - 1 : partition - 1];
        double f = upperBounds[partition].fractionSince(previous);
        return upperBounds.length == 1 ? 1.0 : f;
    }

    /** Partitions whose first node is each member, in member order (members owning none map to 0). */
    public Map<NodeId, Integer> ownedPartitionCounts() {
        Map<NodeId, Integer> counts = new LinkedHashMap<>();
        for (Member m : members) {
            counts.put(m.id(), 0);
        }
        for (int[] walk : walks) {
            counts.merge(members.get(walk[0]).id(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Strategy 3 only: the claimant of every partition, in partition order. Empty for rings built
     * from tokens.
     */
    public List<NodeId> claims() {
        if (claims == null) {
            return List.of();
        }
        List<NodeId> out = new ArrayList<>(claims.length);
        for (int c : claims) {
            out.add(members.get(c).id());
        }
        return Collections.unmodifiableList(out);
    }

    /** Strategies 1 and 2 only: every member's tokens. */
    public SortedMap<NodeId, List<Token>> tokens() {
        return tokens;
    }

    int ordinal(NodeId id) {
        Integer ordinal = ordinals.get(id);
        return ordinal == null ? -1 : ordinal;
    }

    int partitionBits() {
        return partitionBits;
    }

    @Override
    public String toString() {
        return "Ring{epoch=" + epoch + ", strategy=" + strategy + ", members=" + members.size()
                + ", partitions=" + walks.length + "}";
    }
}

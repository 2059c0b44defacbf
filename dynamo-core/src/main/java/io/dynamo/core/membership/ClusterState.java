package io.dynamo.core.membership;

import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a node believes about the cluster: every member's entry and the ring. A mergeable value
 * (a join semilattice): nodes gossip their states and merge what they receive, in any order,
 * any number of times, and end with the same state.
 *
 * <ul>
 *   <li>Members merge entry by entry ({@link MemberEntry#merge}); a member is never removed, only
 *       marked {@link MemberStatus#LEFT}, so old gossip cannot bring it back.</li>
 *   <li>Rings merge by epoch, the higher wins; two different rings of one epoch (made by two
 *       claimants on two sides of a partition) are ordered by their claims, so every node picks
 *       the same one.</li>
 * </ul>
 *
 * <p>Ring changes are made by one node, the <em>claimant</em>: the lowest id among the members
 * that are up. It {@linkplain #rebalance rebalances} when the members that should hold partitions
 * differ from the ring's: joiners get partitions and become up, leavers lose theirs and are left.
 */
public final class ClusterState {

    private final NavigableMap<NodeId, MemberEntry> members;
    private final Ring ring;

    private ClusterState(NavigableMap<NodeId, MemberEntry> members, Ring ring) {
        this.members = Collections.unmodifiableNavigableMap(members);
        this.ring = Objects.requireNonNull(ring, "ring");
    }

    /** A state with {@code entries} and {@code ring}. */
    public static ClusterState of(List<MemberEntry> entries, Ring ring) {
        NavigableMap<NodeId, MemberEntry> map = new TreeMap<>();
        for (MemberEntry e : entries) {
            map.merge(e.id(), e, MemberEntry::merge);
        }
        return new ClusterState(map, ring);
    }

    /**
     * A new cluster of {@code members}, all up, on the ring {@code strategy} makes for them;
     * epoch 1.
     */
    public static ClusterState bootstrap(List<Member> members, ClaimStrategy strategy, RandomSource random) {
        List<MemberEntry> entries = new ArrayList<>();
        for (Member m : members) {
            entries.add(new MemberEntry(m.id(), m.zone(), m.id().value(), MemberStatus.UP, 1, 1, 0));
        }
        return of(entries, strategy.initial(members, random));
    }

    /**
     * What a node that asks to join knows before it has gossiped: itself, joining, on a
     * placeholder ring of its own at epoch 0, which loses to the cluster's ring at the first
     * merge. The claimant then gives it partitions.
     */
    public static ClusterState joining(NodeId self, String zone, String address, long generation,
            ClaimStrategy strategy) {
        MemberEntry me = new MemberEntry(self, zone, address, MemberStatus.JOINING, generation, 1, 0);
        Ring placeholder = strategy.initial(List.of(Member.of(self.value(), zone)), RandomSource.seeded(0)).withEpoch(0);
        return of(List.of(me), placeholder);
    }

    public NavigableMap<NodeId, MemberEntry> members() {
        return members;
    }

    public Optional<MemberEntry> member(NodeId id) {
        return Optional.ofNullable(members.get(id));
    }

    public Ring ring() {
        return ring;
    }

    /** The members that are not {@link MemberStatus#LEFT}. */
    public List<NodeId> live() {
        List<NodeId> out = new ArrayList<>();
        members.values().forEach(e -> {
            if (e.status() != MemberStatus.LEFT) {
                out.add(e.id());
            }
        });
        return out;
    }

    /** The join of this state and {@code other}. */
    public ClusterState merge(ClusterState other) {
        NavigableMap<NodeId, MemberEntry> merged = new TreeMap<>(members);
        other.members.forEach((id, e) -> merged.merge(id, e, MemberEntry::merge));
        return new ClusterState(merged, newer(ring, other.ring));
    }

    private static Ring newer(Ring a, Ring b) {
        if (a.epoch() != b.epoch()) {
            return a.epoch() > b.epoch() ? a : b;
        }
        if (a == b) {
            return a;
        }
        int c = describe(a).compareTo(describe(b));
        return c >= 0 ? a : b;
    }

    /** A total order on rings of one epoch: their members and claims as text. */
    private static String describe(Ring r) {
        StringBuilder b = new StringBuilder(r.strategy().describe()).append('|');
        r.members().forEach(m -> b.append(m.id().value()).append('@').append(m.zone()).append(','));
        b.append('|');
        r.claims().forEach(id -> b.append(id.value()).append(','));
        if (r.claims().isEmpty()) {
            r.tokens().forEach((id, tokens) -> b.append(id.value()).append(tokens).append(','));
        }
        return b.toString();
    }

    /** This state with {@code entry} merged in. */
    public ClusterState with(MemberEntry entry) {
        NavigableMap<NodeId, MemberEntry> merged = new TreeMap<>(members);
        merged.merge(entry.id(), entry, MemberEntry::merge);
        return new ClusterState(merged, ring);
    }

    /** This state with {@code node}'s heartbeat one higher (its own gossip round). */
    public ClusterState heartbeat(NodeId node) {
        MemberEntry e = members.get(node);
        if (e == null) {
            throw new IllegalArgumentException(node + " is not a member");
        }
        NavigableMap<NodeId, MemberEntry> next = new TreeMap<>(members);
        next.put(node, e.withHeartbeat(e.heartbeat() + 1));
        return new ClusterState(next, ring);
    }

    /** An operator's change of {@code node}'s status (leave: {@link MemberStatus#LEAVING}). */
    public ClusterState withStatus(NodeId node, MemberStatus status) {
        MemberEntry e = members.get(node);
        if (e == null) {
            throw new IllegalArgumentException(node + " is not a member");
        }
        if (status.compareTo(e.status()) < 0) {
            throw new IllegalArgumentException(node + " is " + e.status() + "; it cannot become " + status);
        }
        if (status == e.status()) {
            return this;
        }
        return with(e.withStatus(status));
    }

    /** The node that makes ring changes: the lowest id among the members that are up. */
    public Optional<NodeId> claimant() {
        return claimant(id -> true);
    }

    /** The lowest id among the up members that {@code alive} accepts. */
    public Optional<NodeId> claimant(java.util.function.Predicate<NodeId> alive) {
        for (MemberEntry e : members.values()) {
            if (e.status() == MemberStatus.UP && alive.test(e.id())) {
                return Optional.of(e.id());
            }
        }
        return Optional.empty();
    }

    /** Whether the members that should hold partitions differ from those of the ring. */
    public boolean needsRebalance() {
        List<NodeId> wanted = new ArrayList<>();
        members.values().forEach(e -> {
            if (e.status().claimsPartitions()) {
                wanted.add(e.id());
            }
        });
        List<NodeId> onRing = ring.members().stream().map(Member::id).sorted().toList();
        boolean leaversDone = members.values().stream().noneMatch(e -> e.status() == MemberStatus.LEAVING);
        boolean joinersDone = members.values().stream().noneMatch(e -> e.status() == MemberStatus.JOINING);
        return !wanted.equals(onRing) || !leaversDone || !joinersDone;
    }

    /**
     * The claimant's ring change: a new ring (next epoch) over the members that should hold
     * partitions, made by {@code strategy} from the current one; joiners become up and leavers
     * left. Deterministic: the random source is seeded from the new epoch.
     */
    public ClusterState rebalance(ClaimStrategy strategy) {
        List<Member> claimants = new ArrayList<>();
        members.values().forEach(e -> {
            if (e.status().claimsPartitions()) {
                claimants.add(Member.of(e.id().value(), e.zone()));
            }
        });
        if (claimants.isEmpty()) {
            throw new IllegalStateException("no member would hold partitions");
        }
        long epoch = ring.epoch() + 1;
        Ring next = strategy.claim(ring, claimants, RandomSource.seeded(epoch));
        NavigableMap<NodeId, MemberEntry> moved = new TreeMap<>(members);
        members.values().forEach(e -> {
            if (e.status() == MemberStatus.JOINING) {
                moved.put(e.id(), e.withStatus(MemberStatus.UP));
            } else if (e.status() == MemberStatus.LEAVING) {
                moved.put(e.id(), e.withStatus(MemberStatus.LEFT));
            }
        });
        return new ClusterState(moved, next);
    }

    /**
     * A short fingerprint of what nodes must agree on: every member's id, zone, address, status,
     * generation and version, and the ring (not heartbeats, which never stop changing).
     */
    public long digest() {
        long h = 0xcbf29ce484222325L;
        for (MemberEntry e : members.values()) {
            h = mix(h, e.id().value().hashCode());
            h = mix(h, e.zone().hashCode());
            h = mix(h, e.address().hashCode());
            h = mix(h, e.status().ordinal());
            h = mix(h, e.generation());
            h = mix(h, e.version());
        }
        return mix(mix(h, ring.epoch()), describe(ring).hashCode());
    }

    private static long mix(long h, long v) {
        long z = (h ^ v) * 0x9e3779b97f4a7c15L;
        return z ^ (z >>> 31);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterState s && members.equals(s.members) && ring.epoch() == s.ring.epoch()
                && describe(ring).equals(describe(s.ring));
    }

    @Override
    public int hashCode() {
        return Objects.hash(members, ring.epoch());
    }

    @Override
    public String toString() {
        return "ClusterState{epoch " + ring.epoch() + ", " + members.values() + "}";
    }

    /** Convenience for tests and tools: the members as a map of id to status. */
    public Map<NodeId, MemberStatus> statuses() {
        Map<NodeId, MemberStatus> out = new TreeMap<>();
        members.forEach((id, e) -> out.put(id, e.status()));
        return out;
    }
}

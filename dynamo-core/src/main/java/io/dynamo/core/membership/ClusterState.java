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
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

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
 *   <li>Operators' namespace settings merge namespace by namespace ({@link NamespaceSetting#merge}:
 *       the highest version wins).</li>
 * </ul>
 *
 * <p>Ring changes are made by one node, the <em>claimant</em>: the lowest id among the members
 * that are up, in {@linkplain #step steps} (paper section 4.9):
 *
 * <ol>
 *   <li>When the members that should hold partitions differ from the ring's, it makes a
 *       <em>plan</em>: the next ring, which the current ring stays in force beside. Writes go to
 *       the owners under both rings, reads to the current owners, and every node that becomes an
 *       owner of a partition ({@link #transfers}) streams the partition from a current owner.</li>
 *   <li>Each such node marks its transfer {@linkplain #withReceived received} once it holds
 *       everything; the marks travel by gossip with the plan.</li>
 *   <li>When every transfer is received, the claimant promotes the plan: the next ring becomes
 *       the ring, joiners become up and leavers left. Old owners then hand off what they hold
 *       and drop it.</li>
 * </ol>
 *
 * If membership changes again while a plan is under way, the claimant replaces the plan with one
 * made from the current ring (whose owners still hold everything); the old plan's marks go with
 * it.
 */
public final class ClusterState {

    private final NavigableMap<NodeId, MemberEntry> members;
    private final Ring ring;
    /** The next ring, while a ring change is under way; null otherwise. */
    private final Ring next;
    /** The transfers of the plan that are done; empty without a plan. */
    private final SortedSet<Transfer> received;
    /** Operators' replacements under way: a leaving member to the joining node that takes its place. */
    private final SortedMap<NodeId, NodeId> replacements;
    /** The cluster's name; empty while a joining node has not yet heard from the cluster it joins. */
    private final String name;
    /** Operators' settings of namespace properties, by namespace (read-only; passed on as is). */
    private final SortedMap<String, NamespaceSetting> namespaces;

    private static final SortedMap<String, NamespaceSetting> NO_NAMESPACES = Collections.emptySortedMap();

    /** The name {@link #bootstrap(List, ClaimStrategy, RandomSource)} gives a cluster. */
    public static final String DEFAULT_NAME = "dynamo";

    private ClusterState(NavigableMap<NodeId, MemberEntry> members, Ring ring, Ring next, SortedSet<Transfer> received,
            SortedMap<NodeId, NodeId> replacements, String name, SortedMap<String, NamespaceSetting> namespaces) {
        this.name = checkName(name);
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
        this.members = Collections.unmodifiableNavigableMap(members);
        SortedMap<NodeId, NodeId> pairs = new TreeMap<>();
        replacements.forEach((dead, newcomer) -> {
            MemberEntry e = members.get(dead);
            if (e != null && e.status() != MemberStatus.LEFT) {
                pairs.put(dead, newcomer); // done once the replaced member has left
            }
        });
        this.replacements = Collections.unmodifiableSortedMap(pairs);
        this.ring = Objects.requireNonNull(ring, "ring");
        if (next != null && next.epoch() <= ring.epoch()) {
            next = null; // promoted or overtaken
        }
        this.next = next;
        this.received = Collections.unmodifiableSortedSet(next == null ? new TreeSet<>() : new TreeSet<>(received));
    }

    /** A state with {@code entries} and {@code ring}. */
    public static ClusterState of(List<MemberEntry> entries, Ring ring) {
        return of(entries, ring, null, List.of());
    }

    /**
     * A state with {@code entries}, {@code ring} and a plan to move to {@code next} (null: none)
     * of which {@code received} are done.
     */
    public static ClusterState of(List<MemberEntry> entries, Ring ring, Ring next, java.util.Collection<Transfer> received) {
        return of(entries, ring, next, received, Map.of());
    }

    /** As {@link #of(List, Ring, Ring, java.util.Collection)}, with replacements under way (replaced to replacer). */
    public static ClusterState of(List<MemberEntry> entries, Ring ring, Ring next, java.util.Collection<Transfer> received,
            Map<NodeId, NodeId> replacements) {
        NavigableMap<NodeId, MemberEntry> map = new TreeMap<>();
        for (MemberEntry e : entries) {
            map.merge(e.id(), e, MemberEntry::merge);
        }
        if (next != null && !next.strategy().equals(ring.strategy())) {
            throw new IllegalArgumentException("the next ring uses " + next.strategy().describe() + ", the ring "
                    + ring.strategy().describe());
        }
        return new ClusterState(map, ring, next, new TreeSet<>(received), new TreeMap<>(replacements), "", NO_NAMESPACES);
    }

    /**
     * A new cluster of {@code members}, all up, on the ring {@code strategy} makes for them;
     * epoch 1.
     */
    public static ClusterState bootstrap(List<Member> members, ClaimStrategy strategy, RandomSource random) {
        return bootstrap(DEFAULT_NAME, members, strategy, random);
    }

    /** As {@link #bootstrap(List, ClaimStrategy, RandomSource)}, for a cluster called {@code name}. */
    public static ClusterState bootstrap(String name, List<Member> members, ClaimStrategy strategy,
            RandomSource random) {
        if (checkName(name).isEmpty()) {
            throw new IllegalArgumentException("cluster_name must not be empty for a new cluster");
        }
        List<MemberEntry> entries = new ArrayList<>();
        for (Member m : members) {
            entries.add(new MemberEntry(m.id(), m.zone(), m.id().value(), MemberStatus.UP, 1, 1, 0));
        }
        return of(entries, strategy.initial(members, random)).withName(name);
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

    /** The ring in force: reads go to its owners. */
    public Ring ring() {
        return ring;
    }

    /** The next ring, while a ring change is under way: writes go to its owners too. */
    public Optional<Ring> next() {
        return Optional.ofNullable(next);
    }

    /** The transfers of the ring change under way that are done. */
    public SortedSet<Transfer> received() {
        return received;
    }

    /**
     * The first {@code n} owners of {@code partition} under {@code r} ({@code n} capped at its
     * member count).
     */
    public static List<NodeId> owners(Ring r, int partition, int n) {
        return r.preferenceList(partition, Math.min(n, r.members().size())).primaries();
    }

    /**
     * The transfers the ring change under way needs: for every partition, each node that is among
     * its first {@code n} owners under the next ring but not under the current one, for any of the
     * replication factors {@code ns} in use. Empty without a plan.
     */
    public SortedSet<Transfer> transfers(java.util.Collection<Integer> ns) {
        SortedSet<Transfer> out = new TreeSet<>();
        if (next == null) {
            return out;
        }
        for (int p = 0; p < next.partitionCount(); p++) {
            for (int n : ns) {
                List<NodeId> before = owners(ring, p, n);
                for (NodeId node : owners(next, p, n)) {
                    if (!before.contains(node)) {
                        out.add(new Transfer(p, node));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Where {@code transfer} streams from: the current owners that hold every key it needs,
     * those among the first {@code m} owners, {@code m} the smallest replication factor of
     * {@code ns} for which the receiver becomes an owner. In preference order.
     */
    public List<NodeId> sources(Transfer transfer, java.util.Collection<Integer> ns) {
        if (next == null) {
            return List.of();
        }
        int m = Integer.MAX_VALUE;
        for (int n : ns) {
            if (owners(next, transfer.partition(), n).contains(transfer.node())
                    && !owners(ring, transfer.partition(), n).contains(transfer.node())) {
                m = Math.min(m, n);
            }
        }
        return m == Integer.MAX_VALUE ? List.of() : owners(ring, transfer.partition(), m);
    }

    /** This state with {@code transfer} of the plan under way marked done; unchanged without a plan. */
    public ClusterState withReceived(Transfer transfer) {
        if (next == null || received.contains(transfer)) {
            return this;
        }
        SortedSet<Transfer> more = new TreeSet<>(received);
        more.add(transfer);
        return new ClusterState(new TreeMap<>(members), ring, next, more, replacements, name, namespaces);
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

    /**
     * The join of this state and {@code other}.
     *
     * @throws ForeignClusterException if both are named and the names differ: two clusters never
     *     merge (a node pointed at the wrong seeds is refused, not absorbed)
     */
    public ClusterState merge(ClusterState other) {
        if (!sameCluster(other)) {
            throw new ForeignClusterException(name, other.name);
        }
        NavigableMap<NodeId, MemberEntry> merged = new TreeMap<>(members);
        other.members.forEach((id, e) -> merged.merge(id, e, MemberEntry::merge));
        Ring nextRing;
        SortedSet<Transfer> marks = new TreeSet<>();
        if (next == null || other.next == null) {
            nextRing = next == null ? other.next : next;
            marks.addAll(next == null ? other.received : received);
        } else if (same(next, other.next)) {
            nextRing = next;
            marks.addAll(received);
            marks.addAll(other.received);
        } else {
            nextRing = newer(next, other.next);
            marks.addAll(nextRing == next ? received : other.received);
        }
        SortedMap<NodeId, NodeId> pairs = new TreeMap<>(replacements);
        other.replacements.forEach((dead, newcomer) -> pairs.merge(dead, newcomer,
                (a, b) -> a.compareTo(b) <= 0 ? a : b)); // two operators, two replacers: the lower id
        return new ClusterState(merged, newer(ring, other.ring), nextRing, marks, pairs,
                name.isEmpty() ? other.name : name, mergeNamespaces(namespaces, other.namespaces));
    }

    private static boolean same(Ring a, Ring b) {
        return a == b || a.epoch() == b.epoch() && describe(a).equals(describe(b));
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

    /** The cluster's name; empty for a joining node that has not heard from its cluster yet. */
    public String name() {
        return name;
    }

    /** Whether this state and {@code other} may merge: one is unnamed, or both have one name. */
    public boolean sameCluster(ClusterState other) {
        return name.isEmpty() || other.name.isEmpty() || name.equals(other.name);
    }

    /**
     * This state named {@code newName}: a cluster's name is given once, at its creation, and a
     * joining node takes it at its first merge (or is given it, to join only that cluster).
     */
    public ClusterState withName(String newName) {
        return new ClusterState(new TreeMap<>(members), ring, next, received, replacements, newName, namespaces);
    }

    /** Operators' settings of namespace properties, by namespace; see {@link NamespaceSetting}. */
    public SortedMap<String, NamespaceSetting> namespaces() {
        return namespaces;
    }

    /**
     * This state with an operator's setting of {@code namespace}'s properties, made at
     * {@code by}: the whole property map (empty: back to each node's configuration), at the
     * version one above the one this state knows for the namespace, so that it wins over every
     * setting this node has seen.
     */
    public ClusterState withNamespace(String namespace, java.util.Map<String, String> properties, NodeId by) {
        NamespaceSetting.checkName(namespace);
        NamespaceSetting known = namespaces.get(namespace);
        NamespaceSetting setting = NamespaceSetting.of(properties, known == null ? 1 : known.version() + 1, by);
        TreeMap<String, NamespaceSetting> more = new TreeMap<>(namespaces);
        more.put(namespace, setting);
        return new ClusterState(new TreeMap<>(members), ring, next, received, replacements, name,
                Collections.unmodifiableSortedMap(more));
    }

    /** This state with exactly {@code settings} as its namespace settings (for the codec). */
    ClusterState withNamespaceSettings(SortedMap<String, NamespaceSetting> settings) {
        TreeMap<String, NamespaceSetting> all = new TreeMap<>();
        settings.forEach((ns, s) -> all.put(NamespaceSetting.checkName(ns), Objects.requireNonNull(s, ns)));
        return new ClusterState(new TreeMap<>(members), ring, next, received, replacements, name,
                all.isEmpty() ? NO_NAMESPACES : Collections.unmodifiableSortedMap(all));
    }

    private static SortedMap<String, NamespaceSetting> mergeNamespaces(SortedMap<String, NamespaceSetting> a,
            SortedMap<String, NamespaceSetting> b) {
        if (a == b || b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        TreeMap<String, NamespaceSetting> merged = new TreeMap<>(a);
        b.forEach((ns, s) -> merged.merge(ns, s, NamespaceSetting::merge));
        return merged.equals(a) ? a : merged.equals(b) ? b : Collections.unmodifiableSortedMap(merged);
    }

    /**
     * Checks a cluster name: empty (not known yet), or up to 64 letters, digits, '.', '_' or '-'.
     *
     * @throws IllegalArgumentException naming the setting and the bad value
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "cluster name");
        if (name.length() > 64 || !name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c)
                || c == '.' || c == '_' || c == '-'))) {
            throw new IllegalArgumentException("cluster_name must be 1 to 64 letters, digits, '.', '_' or '-', was '"
                    + name + "'");
        }
        return name;
    }

    /** This state with {@code entry} merged in. */
    public ClusterState with(MemberEntry entry) {
        NavigableMap<NodeId, MemberEntry> merged = new TreeMap<>(members);
        merged.merge(entry.id(), entry, MemberEntry::merge);
        return new ClusterState(merged, ring, next, received, replacements, name, namespaces);
    }

    /** This state with {@code node}'s heartbeat one higher (its own gossip round). */
    public ClusterState heartbeat(NodeId node) {
        MemberEntry e = members.get(node);
        if (e == null) {
            throw new IllegalArgumentException(node + " is not a member");
        }
        NavigableMap<NodeId, MemberEntry> next = new TreeMap<>(members);
        next.put(node, e.withHeartbeat(e.heartbeat() + 1));
        return new ClusterState(next, ring, this.next, received, replacements, name, namespaces);
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

    /** The members that should hold partitions (joining or up), in id order. */
    private List<Member> wanted() {
        List<Member> out = new ArrayList<>();
        members.values().forEach(e -> {
            if (e.status().claimsPartitions()) {
                out.add(Member.of(e.id().value(), e.zone()));
            }
        });
        return out;
    }

    private static List<NodeId> ids(List<Member> members) {
        return members.stream().map(Member::id).sorted().toList();
    }

    /**
     * Whether the ring in force does not match membership: the members that should hold
     * partitions differ from its members, or members are still joining or leaving.
     */
    public boolean needsRebalance() {
        boolean settled = members.values().stream()
                .noneMatch(e -> e.status() == MemberStatus.LEAVING || e.status() == MemberStatus.JOINING);
        return !ids(wanted()).equals(ids(ring.members())) || !settled;
    }

    /**
     * The claimant's step of a ring change (see the class comment), with the replication factors
     * {@code ns} in use; this state itself when there is nothing to do:
     *
     * <ul>
     *   <li>no plan, membership differs from the ring: a plan to the ring {@code strategy} makes
     *       from the current one (next epoch);</li>
     *   <li>a plan whose members are no longer the ones that should hold partitions: a new plan,
     *       made from the current ring, at the epoch after the plan's;</li>
     *   <li>a plan whose transfers are all received: the promotion (the next ring in force,
     *       joiners up, leavers left).</li>
     * </ul>
     *
     * Deterministic: the random source is seeded from the new epoch.
     *
     * @throws IllegalArgumentException if {@code strategy} cannot place the members (more members
     *     than partitions)
     * @throws IllegalStateException if no member would hold partitions
     */
    public ClusterState step(ClaimStrategy strategy, java.util.Collection<Integer> ns) {
        List<Member> wanted = wanted();
        if (next == null) {
            if (!needsRebalance()) {
                return this;
            }
            return plan(strategy, wanted, ring.epoch() + 1);
        }
        if (!ids(wanted).equals(ids(next.members()))) {
            return plan(strategy, wanted, next.epoch() + 1);
        }
        if (received.containsAll(transfers(ns))) {
            return promote();
        }
        return this;
    }

    private ClusterState plan(ClaimStrategy strategy, List<Member> wanted, long epoch) {
        if (wanted.isEmpty()) {
            throw new IllegalStateException("no member would hold partitions");
        }
        Ring base = substituted();
        Ring planned = ids(wanted).equals(ids(base.members())) ? base.withEpoch(epoch)
                : strategy.claim(base, wanted, RandomSource.seeded(epoch)).withEpoch(epoch);
        return new ClusterState(new TreeMap<>(members), ring, planned, Collections.emptySortedSet(), replacements,
                name, namespaces);
    }

    /**
     * The current ring with every replacement under way applied: the replacer takes the replaced
     * member's partitions, exactly (a leaving member whose replacer is joining).
     */
    private Ring substituted() {
        Map<NodeId, NodeId> apply = new TreeMap<>();
        replacements.forEach((dead, newcomer) -> {
            MemberEntry d = members.get(dead);
            MemberEntry n = members.get(newcomer);
            if (d != null && d.status() == MemberStatus.LEAVING && ring.contains(dead) && n != null
                    && n.status() == MemberStatus.JOINING && !ring.contains(newcomer)
                    && !apply.containsValue(newcomer)) {
                apply.put(dead, newcomer);
            }
        });
        if (apply.isEmpty() || ring.claims().isEmpty()) {
            return ring;
        }
        List<Member> nextMembers = new ArrayList<>();
        for (Member m : ring.members()) {
            NodeId to = apply.get(m.id());
            nextMembers.add(to == null ? m : Member.of(to.value(), members.get(to).zone()));
        }
        List<NodeId> claims = new ArrayList<>();
        for (NodeId c : ring.claims()) {
            claims.add(apply.getOrDefault(c, c));
        }
        return Ring.restore(ring.epoch(), ring.strategy(), nextMembers, claims);
    }

    /** The replacements under way: each leaving member to the joining node that takes its partitions. */
    public SortedMap<NodeId, NodeId> replacements() {
        return replacements;
    }

    /**
     * An operator's replace: {@code newcomer}, a node that has asked to join, takes
     * {@code replaced}'s partitions unchanged (a new node with an empty disk in a dead node's
     * place); {@code replaced} is marked leaving. The claimant plans the substitution; the
     * newcomer streams the partitions from the other owners.
     *
     * @throws IllegalArgumentException if {@code replaced} does not hold partitions, or
     *     {@code newcomer} is not a joining member
     */
    public ClusterState replace(NodeId replaced, NodeId newcomer) {
        MemberEntry d = members.get(replaced);
        MemberEntry n = members.get(newcomer);
        if (d == null || !ring.contains(replaced) || d.status() == MemberStatus.LEFT) {
            throw new IllegalArgumentException(replaced + " holds no partitions of the ring; nothing to replace");
        }
        if (n == null || n.status() != MemberStatus.JOINING) {
            throw new IllegalArgumentException(newcomer + " must have asked to join (start it as a joiner with "
                    + "the seeds) before it can replace " + replaced + (n == null ? "" : "; it is " + n.status()));
        }
        ClusterState leaving = d.status() == MemberStatus.LEAVING ? this : withStatus(replaced, MemberStatus.LEAVING);
        SortedMap<NodeId, NodeId> pairs = new TreeMap<>(replacements);
        pairs.put(replaced, newcomer);
        return new ClusterState(new TreeMap<>(leaving.members), ring, next, received, pairs, name, namespaces);
    }

    /** The plan in force: its ring becomes the ring; joiners on it are up, leavers left. */
    private ClusterState promote() {
        NavigableMap<NodeId, MemberEntry> moved = new TreeMap<>(members);
        members.values().forEach(e -> {
            if (e.status() == MemberStatus.JOINING && next.contains(e.id())) {
                moved.put(e.id(), e.withStatus(MemberStatus.UP));
            } else if (e.status() == MemberStatus.LEAVING && !next.contains(e.id())) {
                moved.put(e.id(), e.withStatus(MemberStatus.LEFT));
            }
        });
        return new ClusterState(moved, next, null, Collections.emptySortedSet(), replacements, name, namespaces);
    }

    /**
     * A short fingerprint of what nodes must agree on: every member's id, zone, address, status,
     * generation and version, the ring, and the namespace settings (not heartbeats, which never
     * stop changing).
     */
    public long digest() {
        long h = mix(0xcbf29ce484222325L, name.hashCode());
        for (MemberEntry e : members.values()) {
            h = mix(h, e.id().value().hashCode());
            h = mix(h, e.zone().hashCode());
            h = mix(h, e.address().hashCode());
            h = mix(h, e.status().ordinal());
            h = mix(h, e.generation());
            h = mix(h, e.version());
        }
        h = mix(mix(h, ring.epoch()), describe(ring).hashCode());
        for (var pair : replacements.entrySet()) {
            h = mix(mix(h, pair.getKey().value().hashCode()), pair.getValue().value().hashCode());
        }
        for (var ns : namespaces.entrySet()) {
            h = mix(mix(mix(h, ns.getKey().hashCode()), ns.getValue().version()), ns.getValue().hashCode());
        }
        if (next != null) {
            h = mix(mix(h, next.epoch()), describe(next).hashCode());
            for (Transfer t : received) {
                h = mix(mix(h, t.partition()), t.node().value().hashCode());
            }
        }
        return h;
    }

    private static long mix(long h, long v) {
        long z = (h ^ v) * 0x9e3779b97f4a7c15L;
        return z ^ (z >>> 31);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterState s && members.equals(s.members) && same(ring, s.ring)
                && (next == null ? s.next == null : s.next != null && same(next, s.next))
                && received.equals(s.received) && replacements.equals(s.replacements) && name.equals(s.name)
                && namespaces.equals(s.namespaces);
    }

    @Override
    public int hashCode() {
        return Objects.hash(members, ring.epoch());
    }

    @Override
    public String toString() {
        return "ClusterState{" + (name.isEmpty() ? "" : name + ", ") + "epoch " + ring.epoch() + (next == null ? "" : ", moving to epoch " + next.epoch()
                + " (" + received.size() + " transfers received)") + ", " + members.values() + "}";
    }

    /** Convenience for tests and tools: the members as a map of id to status. */
    public Map<NodeId, MemberStatus> statuses() {
        Map<NodeId, MemberStatus> out = new TreeMap<>();
        members.forEach((id, e) -> out.put(id, e.status()));
        return out;
    }
}

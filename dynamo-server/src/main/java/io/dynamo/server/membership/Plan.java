package io.dynamo.server.membership;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.membership.Transfer;
import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Staged membership changes and what they would do (Riak's {@code cluster plan}): the ring the
 * claimant would plan if the changes were made now, each member's share before and after, and the
 * partitions that would stream to each node. Pure: the claimant's own step on a copy of the
 * cluster state, so the preview is the plan the cluster would make (the claim is seeded by the
 * epoch), as long as nothing else changes first.
 */
public final class Plan {

    private Plan() {
    }

    /** One staged change. */
    public sealed interface Change {
        /** An operator's leave of a member. */
        record Leave(NodeId node) implements Change {
        }

        /** A newcomer (not yet a member) taking a member's partitions unchanged. */
        record Replace(NodeId replaced, MemberEntry newcomer) implements Change {
        }

        /** A newcomer joining (as {@code dynamo admin invite} would make it). */
        record Join(MemberEntry newcomer) implements Change {
        }
    }

    /**
     * What the changes would do.
     *
     * @param epoch the epoch of the ring in force the plan was made on (a commit checks it)
     * @param before each member's partitions now
     * @param after each member's partitions under the planned ring
     * @param transfers per receiving node, the partitions it would stream
     * @param moves partitions whose first owner changes
     */
    public record Preview(long epoch, SortedMap<NodeId, Integer> before, SortedMap<NodeId, Integer> after,
            SortedMap<NodeId, List<Integer>> transfers, int moves) {
    }

    /**
     * The preview of {@code changes} on {@code state}.
     *
     * @throws IllegalArgumentException if a change does not apply (not a member, already leaving,
     *     a newcomer that is a member already, no member would be left), naming it
     * @throws IllegalStateException while a ring change is under way
     */
    public static Preview preview(ClusterState state, List<Change> changes, ClaimStrategy strategy,
            Collection<Integer> replicationFactors) {
        Objects.requireNonNull(state, "state");
        if (state.next().isPresent()) {
            throw new IllegalStateException("a ring change is under way (epoch " + state.ring().epoch() + " -> "
                    + state.next().get().epoch() + "); plan once it is complete");
        }
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("nothing is staged: stage a join, leave or replace first");
        }
        ClusterState s = apply(state, changes);
        ClusterState planned;
        try {
            planned = s.step(strategy, replicationFactors);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("the staged changes leave no member to hold partitions");
        }
        Ring after = planned.next().orElse(planned.ring());
        SortedMap<NodeId, List<Integer>> transfers = new TreeMap<>();
        for (Transfer t : planned.transfers(replicationFactors)) {
            transfers.computeIfAbsent(t.node(), n -> new ArrayList<>()).add(t.partition());
        }
        int moves = 0;
        for (int p = 0; p < after.partitionCount(); p++) {
            if (!after.owner(p).equals(state.ring().owner(p))) {
                moves++;
            }
        }
        return new Preview(state.ring().epoch(), new TreeMap<>(state.ring().ownedPartitionCounts()),
                new TreeMap<>(after.ownedPartitionCounts()), transfers, moves);
    }

    /** {@code state} with {@code changes} made, in order, as the operator's commands would make them. */
    static ClusterState apply(ClusterState state, List<Change> changes) {
        ClusterState s = state;
        for (Change c : changes) {
            switch (c) {
                case Change.Leave l -> {
                    MemberEntry e = member(s, l.node());
                    if (e.status() != MemberStatus.UP && e.status() != MemberStatus.JOINING) {
                        throw new IllegalArgumentException(l.node() + " is " + lower(e.status())
                                + "; only a member that is up can leave");
                    }
                    s = s.withStatus(l.node(), MemberStatus.LEAVING);
                }
                case Change.Replace r -> {
                    member(s, r.replaced());
                    // The newcomer has usually asked to join already (as the direct replace needs).
                    ClusterState with = s.member(r.newcomer().id()).isPresent() ? s : s.with(newcomer(s, r.newcomer()));
                    s = with.replace(r.replaced(), r.newcomer().id());
                }
                case Change.Join j -> s = s.with(newcomer(s, j.newcomer()));
            }
        }
        return s;
    }

    private static MemberEntry member(ClusterState s, NodeId id) {
        return s.member(id).orElseThrow(() -> new IllegalArgumentException(id + " is not a member of cluster '"
                + s.name() + "' (members: " + s.members().keySet() + ")"));
    }

    private static MemberEntry newcomer(ClusterState s, MemberEntry e) {
        if (s.member(e.id()).isPresent()) {
            throw new IllegalArgumentException(e.id() + " is a member already; a newcomer needs a new node id");
        }
        return new MemberEntry(e.id(), e.zone(), e.address(), MemberStatus.JOINING, e.generation(), e.version(),
                e.heartbeat());
    }

    private static String lower(MemberStatus status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The changes as an operator reads them, e.g. {@code leave n3}. */
    public static String describe(Change c) {
        return switch (c) {
            case Change.Leave l -> "leave " + l.node();
            case Change.Replace r -> "replace " + r.replaced() + " with " + r.newcomer().id();
            case Change.Join j -> "join " + j.newcomer().id() + " (zone " + j.newcomer().zone() + ")";
        };
    }
}

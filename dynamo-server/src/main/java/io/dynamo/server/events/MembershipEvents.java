package io.dynamo.server.events;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.membership.Transfer;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Tells the membership and ring events between two cluster states this node held one after the
 * other: members added and their status changes, replacements, ring changes planned and taking
 * effect, transfers marked received. Pure: the same two states always tell the same events.
 */
public final class MembershipEvents {

    private MembershipEvents() {
    }

    /** Reports to {@code sink} what changed from {@code before} to {@code after}. */
    public static void report(ClusterState before, ClusterState after, ClusterEvents sink) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(sink, "sink");
        if (before == null) {
            return;
        }
        for (MemberEntry now : after.members().values()) {
            Optional<MemberEntry> was = before.member(now.id());
            if (was.isEmpty()) {
                sink.event(ClusterEvents.Kind.MEMBERSHIP, now.id() + " " + describe(now.status()) + " (zone "
                        + now.zone() + ", " + (now.address().isEmpty() ? "no address yet" : "at " + now.address()) + ")");
            } else if (was.get().status() != now.status()) {
                sink.event(ClusterEvents.Kind.MEMBERSHIP, now.id() + " " + describe(now.status()) + " (was "
                        + was.get().status().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
        SortedMap<NodeId, NodeId> replacing = after.replacements();
        SortedMap<NodeId, NodeId> replaced = before.replacements();
        for (Map.Entry<NodeId, NodeId> r : replacing.entrySet()) {
            if (!r.getValue().equals(replaced.get(r.getKey()))) {
                sink.event(ClusterEvents.Kind.MEMBERSHIP, r.getValue() + " replaces " + r.getKey()
                        + ": it takes over its partitions unchanged");
            }
        }
        ringEvents(before, after, sink);
    }

    private static void ringEvents(ClusterState before, ClusterState after, ClusterEvents sink) {
        Optional<Ring> nextBefore = before.next();
        Optional<Ring> nextAfter = after.next();
        if (nextAfter.isPresent() && (nextBefore.isEmpty() || nextBefore.get().epoch() != nextAfter.get().epoch())) {
            Ring next = nextAfter.get();
            int moving = 0;
            for (int p = 0; p < next.partitionCount(); p++) {
                if (p < after.ring().partitionCount() && !next.owner(p).equals(after.ring().owner(p))) {
                    moving++;
                }
            }
            sink.event(ClusterEvents.Kind.RING, "ring change planned: epoch " + after.ring().epoch() + " -> "
                    + next.epoch() + ", " + moving + " of " + next.partitionCount()
                    + " partitions change first owner; new shares " + next.ownedPartitionCounts());
        }
        if (after.ring().epoch() != before.ring().epoch()) {
            sink.event(ClusterEvents.Kind.RING, "ring epoch " + after.ring().epoch() + " in force (was "
                    + before.ring().epoch() + "); shares " + after.ring().ownedPartitionCounts());
        }
        if (nextAfter.isPresent() && nextBefore.isPresent() && nextAfter.get().epoch() == nextBefore.get().epoch()) {
            for (Transfer t : after.received()) {
                if (!before.received().contains(t)) {
                    sink.event(ClusterEvents.Kind.RING, "partition " + t.partition() + " received by " + t.node()
                            + " (" + after.received().size() + " transfers done for epoch " + nextAfter.get().epoch()
                            + ")");
                }
            }
        }
    }

    private static String describe(MemberStatus status) {
        return switch (status) {
            case JOINING -> "asks to join";
            case UP -> "is up";
            case LEAVING -> "is leaving: its partitions move to the others";
            case LEFT -> "has left the cluster";
        };
    }
}

package io.dynamo.core.ring;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The nodes responsible for a key (paper section 4.3): the first {@code n} distinct physical
 * nodes met walking clockwise from the key's position (the primaries, spread over distinct zones
 * when the zones are of about equal size), followed by every other node in the same order (the fallbacks, the
 * "extended" list that a sloppy quorum draws on when primaries are unreachable, section 4.6).
 */
public final class PreferenceList {

    private final int partition;
    private final int n;
    private final int[] walk;
    private final List<Member> members;

    PreferenceList(int partition, int n, int[] walk, List<Member> members) {
        this.partition = partition;
        this.n = n;
        this.walk = walk;
        this.members = members;
    }

    /** The partition the key falls in. */
    public int partition() {
        return partition;
    }

    /** The replication factor this list was built for. */
    public int n() {
        return n;
    }

    /** The {@code n} nodes that should hold the key, in preference order. */
    public List<NodeId> primaries() {
        return new Slice(0, n);
    }

    /** The other nodes, in the order a sloppy quorum should try them. */
    public List<NodeId> fallbacks() {
        return new Slice(n, walk.length);
    }

    /** Primaries then fallbacks. */
    public List<NodeId> extended() {
        return new Slice(0, walk.length);
    }

    /** The zone of {@code node}, which must be on this list. */
    public String zoneOf(NodeId node) {
        for (int ordinal : walk) {
            if (members.get(ordinal).id().equals(node)) {
                return members.get(ordinal).zone();
            }
        }
        throw new IllegalArgumentException(node + " is not on this preference list");
    }

    /**
     * The sloppy quorum (section 4.6): the first {@code n} reachable nodes of the extended list.
     * A reachable primary stands for itself; each unreachable primary is stood in for, in order,
     * by the next reachable fallback, which will hold the write with a hint naming that primary.
     * Fewer than {@code n} targets come back when fewer than {@code n} nodes are reachable.
     */
    public List<Target> sloppyTargets(Predicate<NodeId> reachable) {
        List<Target> targets = new ArrayList<>(n);
        List<NodeId> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NodeId node = members.get(walk[i]).id();
            if (reachable.test(node)) {
                targets.add(new Target(node, null));
            } else {
                missing.add(node);
            }
        }
        int next = 0;
        for (int i = n; i < walk.length && next < missing.size(); i++) {
            NodeId node = members.get(walk[i]).id();
            if (reachable.test(node)) {
                targets.add(new Target(node, missing.get(next++)));
            }
        }
        return List.copyOf(targets);
    }

    /**
     * One replica of a sloppy quorum: {@code node} holds the write; when it is a fallback,
     * {@code intendedFor} is the unreachable primary that its hint will be delivered to.
     */
    public record Target(NodeId node, NodeId intendedFor) {
        public boolean isFallback() {
            return intendedFor != null;
        }
    }

    @Override
    public String toString() {
        return "PreferenceList{partition=" + partition + ", primaries=" + primaries() + ", fallbacks="
                + fallbacks() + "}";
    }

    private final class Slice extends AbstractList<NodeId> {
        private final int from;
        private final int to;

        Slice(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public NodeId get(int index) {
            if (index < 0 || index >= to - from) {
                throw new IndexOutOfBoundsException(index);
            }
            return members.get(walk[from + index]).id();
        }

        @Override
        public int size() {
            return to - from;
        }
    }
}

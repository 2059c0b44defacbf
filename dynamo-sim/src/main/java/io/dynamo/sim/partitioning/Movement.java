package io.dynamo.sim.partitioning;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.ring.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The share of replica data that a ring change moves: the key-space fraction of every piece of
 * the ring times the number of its new primaries that were not primaries before, over N. A node
 * joining S nodes ideally receives 1/(S+1) of the replica data and nothing else moves; a node
 * leaving S nodes ideally hands over its 1/S.
 */
public final class Movement {

    private Movement() {
    }

    /** The fraction (0 to 1) of replica data that must be copied to go from {@code before} to {@code after}. */
    public static double movedFraction(Ring before, Ring after, int n) {
        if (before.hasEqualPartitions() && after.hasEqualPartitions()
                && before.partitionCount() == after.partitionCount()) {
            double moved = 0;
            for (int p = 0; p < before.partitionCount(); p++) {
                moved += before.keySpaceFraction(p) * newPrimaries(before, after, p, p, n);
            }
            return moved / n;
        }
        if (before.hasEqualPartitions() || after.hasEqualPartitions()) {
            throw new IllegalArgumentException("can only compare rings of the same equal partitions, or two token rings");
        }
        // Token rings: cut the ring at every token of either snapshot. Ranges run (previous, token],
        // so each piece (t[i-1], t[i]] lies inside the range holding t[i] in both rings.
        TreeSet<Token> cuts = new TreeSet<>();
        before.tokens().values().forEach(cuts::addAll);
        after.tokens().values().forEach(cuts::addAll);
        List<Token> sorted = new ArrayList<>(cuts);
        double moved = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Token upper = sorted.get(i);
            Token lower = sorted.get(i == 0 ? sorted.size() - 1 : i - 1);
            double fraction = sorted.size() == 1 ? 1.0 : upper.fractionSince(lower);
            moved += fraction * newPrimaries(before, after, before.partitionOf(upper), after.partitionOf(upper), n);
        }
        return moved / n;
    }

    private static int newPrimaries(Ring before, Ring after, int beforeRange, int afterRange, int n) {
        Set<NodeId> old = new HashSet<>(before.preferenceList(beforeRange, n).primaries());
        int fresh = 0;
        for (NodeId node : after.preferenceList(afterRange, n).primaries()) {
            if (!old.contains(node)) {
                fresh++;
            }
        }
        return fresh;
    }
}

package io.dynamo.sim.partitioning;

import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.ring.Token;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Load-balancing efficiency (paper section 6.2): the mean load over the maximum load, where a
 * node's load is the share of uniformly random keys for which it is one of the N primaries. 1 is
 * perfect balance; 1/S means one node holds everything.
 */
public final class LoadBalance {

    private LoadBalance() {
    }

    /** Each node's exact load: the key-space fraction of every range it is a primary of, summed. */
    public static double[] exactLoads(Ring ring, int n) {
        Map<NodeId, Integer> index = index(ring);
        double[] loads = new double[index.size()];
        for (int p = 0; p < ring.partitionCount(); p++) {
            double fraction = ring.keySpaceFraction(p);
            for (NodeId node : ring.preferenceList(p, n).primaries()) {
                loads[index.get(node)] += fraction;
            }
        }
        return loads;
    }

    /**
     * Each node's load measured on sampled key positions: the fraction of the keys for which it
     * is a primary. The preference list depends only on the range a key falls in, so the keys are
     * counted per range and each range's preference list is asked once.
     */
    public static double[] sampledLoads(Ring ring, int n, Token[] keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("no sampled keys");
        }
        int[] perRange = new int[ring.partitionCount()];
        for (Token key : keys) {
            perRange[ring.partitionOf(key)]++;
        }
        Map<NodeId, Integer> index = index(ring);
        double[] loads = new double[index.size()];
        for (int p = 0; p < perRange.length; p++) {
            if (perRange[p] == 0) {
                continue;
            }
            double fraction = (double) perRange[p] / keys.length;
            for (NodeId node : ring.preferenceList(p, n).primaries()) {
                loads[index.get(node)] += fraction;
            }
        }
        return loads;
    }

    public static double exactEfficiency(Ring ring, int n) {
        return efficiency(exactLoads(ring, n));
    }

    public static double sampledEfficiency(Ring ring, int n, Token[] keys) {
        return efficiency(sampledLoads(ring, n, keys));
    }

    /** Mean over maximum; 0 when every load is 0. */
    public static double efficiency(double[] loads) {
        double sum = 0;
        double max = 0;
        for (double load : loads) {
            sum += load;
            max = Math.max(max, load);
        }
        return max == 0 ? 0 : (sum / loads.length) / max;
    }

    private static Map<NodeId, Integer> index(Ring ring) {
        List<Member> members = ring.members();
        Map<NodeId, Integer> index = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            index.put(members.get(i).id(), i);
        }
        return index;
    }
}

package io.dynamo.core.ring;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Computes, for every range of a ring, its distinct nodes in clockwise preference order. */
final class Walks {

    private Walks() {
    }

    /**
     * {@code owners[i]} is the member ordinal at range i. The walk of range i lists every member
     * once, ordered by its first range at or after i (clockwise, wrapping). Sweeping backwards
     * and moving each range's owner to the front of a list yields every walk in O(ranges x members).
     * When members span several zones, each walk is then reordered so that the first node of
     * each zone comes first (in walk order), followed by the rest: any prefix of length up to the
     * zone count is zone-distinct.
     */
    static int[][] compute(int[] owners, List<Member> members) {
        int r = owners.length;
        int s = members.size();
        int[] order = new int[s];
        for (int i = 0; i < s; i++) {
            order[i] = i;
        }
        int[][] walks = new int[r][];
        for (int i = 2 * r - 1; i >= 0; i--) {
            moveToFront(order, owners[i % r]);
            if (i < r) {
                walks[i] = order.clone();
            }
        }
        if (zoneCount(members) > 1) {
            for (int i = 0; i < r; i++) {
                walks[i] = zoneFirst(walks[i], members);
            }
        }
        return walks;
    }

    private static void moveToFront(int[] order, int ordinal) {
        int at = 0;
        while (order[at] != ordinal) {
            at++;
        }
        System.arraycopy(order, 0, order, 1, at);
        order[0] = ordinal;
    }

    static int zoneCount(List<Member> members) {
        Set<String> zones = new HashSet<>();
        for (Member m : members) {
            zones.add(m.zone());
        }
        return zones.size();
    }

    private static int[] zoneFirst(int[] walk, List<Member> members) {
        int[] out = new int[walk.length];
        boolean[] taken = new boolean[walk.length];
        Set<String> seen = new HashSet<>();
        int k = 0;
        for (int i = 0; i < walk.length; i++) {
            if (seen.add(members.get(walk[i]).zone())) {
                out[k++] = walk[i];
                taken[i] = true;
            }
        }
        for (int i = 0; i < walk.length; i++) {
            if (!taken[i]) {
                out[k++] = walk[i];
            }
        }
        return out;
    }
}

package io.dynamo.core.ring;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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
     * When members span several zones of about equal size (each of floor or ceil of S / zones),
     * each walk is then reordered so that the first node of each zone comes first (in walk
     * order), followed by the rest: any prefix of length up to the zone count is zone-distinct.
     * With uneven zones the walk is left in ring order: lifting the lone node of a small zone to
     * the front of every walk would make it a primary of every partition, a hot spot that
     * receives the whole data set (the reason Cassandra asks for equal racks).
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
        if (zonesBalanced(members)) {
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

    /** Several zones, each holding floor(S / zones) or ceil(S / zones) members. */
    static boolean zonesBalanced(List<Member> members) {
        Map<String, Integer> sizes = new HashMap<>();
        for (Member m : members) {
            sizes.merge(m.zone(), 1, Integer::sum);
        }
        int zones = sizes.size();
        int low = members.size() / zones;
        int high = (members.size() + zones - 1) / zones;
        return zones > 1 && sizes.values().stream().allMatch(size -> size >= low && size <= high);
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

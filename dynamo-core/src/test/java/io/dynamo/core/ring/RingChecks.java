package io.dynamo.core.ring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Measurements of strategy 3 rings shared by the ring tests. */
final class RingChecks {

    private RingChecks() {
    }

    static List<Member> members(int count, int zones) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add(Member.of(String.format("n%03d", i), "z" + (i % zones)));
        }
        return members;
    }

    /** Windows of n consecutive partitions (wrapping) whose claimants are not distinct. */
    static int nodeViolations(Ring ring, int n) {
        List<NodeId> claims = ring.claims();
        int q = claims.size();
        int violations = 0;
        for (int p = 0; p < q; p++) {
            Set<NodeId> seen = new HashSet<>();
            for (int d = 0; d < n; d++) {
                seen.add(claims.get((p + d) % q));
            }
            if (seen.size() < Math.min(n, ring.members().size())) {
                violations++;
            }
        }
        return violations;
    }

    /** Windows of n consecutive partitions whose claimants' zones are not distinct. */
    static int zoneViolations(Ring ring, int n) {
        List<NodeId> claims = ring.claims();
        int q = claims.size();
        int violations = 0;
        for (int p = 0; p < q; p++) {
            Set<String> seen = new HashSet<>();
            for (int d = 0; d < n; d++) {
                seen.add(ring.member(claims.get((p + d) % q)).zone());
            }
            if (seen.size() < n) {
                violations++;
            }
        }
        return violations;
    }

    static int spread(Ring ring) {
        Map<NodeId, Integer> counts = ring.ownedPartitionCounts();
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        return max - min;
    }

    /** Partition -> (old claimant, new claimant) for every partition whose claimant changed. */
    static Map<Integer, NodeId[]> moves(Ring before, Ring after) {
        Map<Integer, NodeId[]> moves = new HashMap<>();
        for (int p = 0; p < before.partitionCount(); p++) {
            NodeId a = before.claims().get(p);
            NodeId b = after.claims().get(p);
            if (!a.equals(b)) {
                moves.put(p, new NodeId[] {a, b});
            }
        }
        return moves;
    }
}

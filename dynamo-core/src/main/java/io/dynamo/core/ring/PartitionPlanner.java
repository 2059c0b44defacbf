package io.dynamo.core.ring;

import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strategy 3's claim algorithm: assigns Q equal partitions to S members so that
 *
 * <ul>
 *   <li>shares differ by at most one partition;</li>
 *   <li>any {@code n} consecutive partitions (wrapping) have distinct claimants whenever that is
 *       possible: S &gt; n, or S = n with n dividing Q. (With S = n and n not dividing Q no
 *       assignment can do it: the windows force period n.) With zones of equal size, more of
 *       them than n (or exactly n, n dividing Q), also distinct zones; with uneven zones the
 *       claim prefers distinct zones but does not promise them;</li>
 *   <li>a change moves only what must move. A joining node takes its share from the nodes above
 *       their new share, one partition at a time, at positions that keep the spacing; a leaving
 *       node's partitions go to the nodes below their share, each to a node that keeps the
 *       spacing.</li>
 * </ul>
 *
 * When the greedy moves cannot keep the spacing (small rings, or rings that were never valid,
 * such as one growing from fewer than n nodes), a repair pass swaps claims pairwise, which keeps
 * every share, until no window repeats a node; it swaps partitions that this change moved
 * anyway before it touches any other. Every choice is deterministic: the same inputs give the same
 * ring on every node.
 */
final class PartitionPlanner {

    private static final int NODE_CONFLICT = 1024;
    private static final int ZONE_CONFLICT = 1;
    private static final int REPAIR_ROUNDS = 200;
    /** Rounds without a new best after which the repair gives up. */
    private static final int STALE_ROUNDS = 8;

    private final int s;
    private final int q;
    private final int n;
    private final int[] zoneOf;
    private final Map<NodeId, Integer> ordinals = new HashMap<>();
    private final boolean nodeSpreadPossible;
    private final boolean zoneSpread;
    private final int zoneCount;
    private final RandomSource random;

    PartitionPlanner(List<Member> sortedMembers, int partitions, int n) {
        this.s = sortedMembers.size();
        this.q = partitions;
        this.n = n;
        this.zoneOf = new int[s];
        Map<String, Integer> zoneIds = new HashMap<>();
        Map<Integer, Integer> zoneSizes = new HashMap<>();
        for (int i = 0; i < s; i++) {
            Member m = sortedMembers.get(i);
            ordinals.put(m.id(), i);
            zoneOf[i] = zoneIds.computeIfAbsent(m.zone(), z -> zoneIds.size());
            zoneSizes.merge(zoneOf[i], 1, Integer::sum);
        }
        this.nodeSpreadPossible = s > n || (s == n && q % n == 0);
        int largestZone = zoneSizes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        // Zones can be spread over every window when there are more zones than n, or exactly n
        // with n dividing Q (n zones force the zone sequence to repeat with period n), and no
        // zone holds more than 1/n of the nodes.
        int zones = zoneIds.size();
        this.zoneCount = zones;
        this.zoneSpread = n > 1 && (zones > n || (zones == n && q % n == 0)) && (long) largestZone * n <= s;
        // Tie-breaks only; fixed by the inputs so that every node computes the same ring.
        this.random = RandomSource.seeded(0x5EEDL ^ ((long) q << 32) ^ ((long) s << 8) ^ n);
    }

    int ordinalOf(NodeId id) {
        Integer ordinal = ordinals.get(id);
        return ordinal == null ? -1 : ordinal;
    }

    /**
     * The claim of a new cluster. With at least 2n-1 members: rounds of S partitions, each round
     * a different permutation of the members (zones interleaved in the same order every round),
     * its first n-1 entries swapped, within their zone where possible, so they do not repeat the
     * previous round's last n-1; the last round is cut short at Q. Because the rounds differ,
     * each member's partitions have varied neighbours, which is what later lets a leaving
     * member's partitions be spread over the others without moving anything else. With fewer
     * members the rounds cannot vary, and the layout follows one cyclic order, skipping one
     * member in some cycles so that the shares come out even. A repair pass then fixes what is left.
     */
    int[] fresh() {
        int[] owners = s >= 2 * n - 1 ? variedRounds() : cyclicWithSkips();
        repair(owners, null);
        return owners;
    }

    private int[] variedRounds() {
        int rounds = (q + s - 1) / s;
        int[] seq = new int[rounds * s];
        int filled = 0;
        while (filled < seq.length) {
            int[] round = shuffledRound();
            for (int i = 0; i < Math.min(n - 1, s); i++) {
                if (recentlyUsed(seq, filled + i, round[i])) {
                    int swapWith = -1;
                    for (int k = n - 1; k < s; k++) {
                        if (!recentlyUsed(seq, filled + i, round[k])
                                && (swapWith < 0 || zoneOf[round[k]] == zoneOf[round[i]])) {
                            swapWith = k;
                            if (zoneOf[round[k]] == zoneOf[round[i]]) {
                                break;
                            }
                        }
                    }
                    if (swapWith >= 0) {
                        int t = round[i];
                        round[i] = round[swapWith];
                        round[swapWith] = t;
                    }
                }
            }
            System.arraycopy(round, 0, seq, filled, s);
            filled += s;
        }
        if (seq.length == q) {
            return seq;
        }
        // With more zones than n, cutting the last round short breaks the zone pattern where the
        // ring wraps. Removing single entries instead, each of a different member and at least
        // n+1 apart, keeps it: n consecutive entries then come from at most n+1 consecutive
        // entries of a pattern whose period exceeds n.
        if (zoneCount > n) {
            int[] thinned = thin(seq, seq.length - q);
            if (thinned != null) {
                return thinned;
            }
        }
        return Arrays.copyOf(seq, q);
    }

    /**
     * Removes {@code removals} entries of distinct members, the k-th within a window starting at
     * (k + 1/2) x spacing and at most spacing/2 long, so that removals, including the pair that
     * straddles the wrap, stay at least n + 1 apart. Which member each window gives up is a
     * matching (distinct representatives, by augmenting paths). Null when no matching exists.
     */
    private int[] thin(int[] seq, int removals) {
        int total = seq.length;
        int spacing = total / removals;
        // Windows of width <= spacing/2 starting at k*spacing + spacing/2 end inside the sequence;
        // consecutive removals are then at least spacing - width >= n + 1 apart, and the pair that
        // straddles the wrap at least spacing/2 + 1.
        int width = Math.min(spacing - (n + 1), spacing / 2);
        if (spacing / 2 < n + 1 || width < 1) {
            return null;
        }
        int[] memberOfWindow = new int[removals];
        int[] windowOfMember = new int[s];
        Arrays.fill(memberOfWindow, -1);
        Arrays.fill(windowOfMember, -1);
        for (int k = 0; k < removals; k++) {
            if (!matchWindow(seq, k, spacing, width, memberOfWindow, windowOfMember, new boolean[s])) {
                return null;
            }
        }
        boolean[] removed = new boolean[total];
        for (int k = 0; k < removals; k++) {
            int from = k * spacing + spacing / 2;
            for (int i = from; i < from + width; i++) {
                if (seq[i] == memberOfWindow[k]) {
                    removed[i] = true;
                    break;
                }
            }
        }
        int[] out = new int[total - removals];
        int j = 0;
        for (int i = 0; i < total; i++) {
            if (!removed[i]) {
                out[j++] = seq[i];
            }
        }
        return out;
    }

    private boolean matchWindow(int[] seq, int k, int spacing, int width, int[] memberOfWindow,
            int[] windowOfMember, boolean[] visited) {
        int from = k * spacing + spacing / 2;
        for (int i = from; i < from + width; i++) {
            int member = seq[i];
            if (visited[member]) {
                continue;
            }
            visited[member] = true;
            if (windowOfMember[member] < 0
                    || matchWindow(seq, windowOfMember[member], spacing, width, memberOfWindow, windowOfMember, visited)) {
                windowOfMember[member] = k;
                memberOfWindow[k] = member;
                return true;
            }
        }
        return false;
    }

    /**
     * One cyclic order of the members, repeated; when S does not divide Q, the first S - (Q mod
     * S) cycles each skip one member (a different one each time, in increasing order), which keeps
     * every member's occurrences at least S-1 apart and the shares within one.
     */
    private int[] cyclicWithSkips() {
        int[] order = shuffledRound();
        int cycles = (q + s - 1) / s;
        int skips = cycles * s - q;
        int[] owners = new int[q];
        int filled = 0;
        for (int c = 0; c < cycles; c++) {
            for (int i = 0; i < s && filled < q; i++) {
                if (c < skips && i == c % s) {
                    continue;
                }
                owners[filled++] = order[i];
            }
        }
        return owners;
    }

    /** Whether {@code ordinal} claims any of the n-1 partitions before {@code position} (not wrapping). */
    private boolean recentlyUsed(int[] owners, int position, int ordinal) {
        for (int d = 1; d < n && position - d >= 0; d++) {
            if (owners[position - d] == ordinal) {
                return true;
            }
        }
        return false;
    }

    /** The claim after a membership change; {@code prior[p]} is -1 where the claimant left. */
    int[] rebalance(int[] prior) {
        int[] owners = prior.clone();
        boolean[] moved = new boolean[q];
        int[] counts = new int[s];
        for (int owner : owners) {
            if (owner >= 0) {
                counts[owner]++;
            }
        }
        List<Integer> orphans = new ArrayList<>();
        for (int p = 0; p < q; p++) {
            if (owners[p] < 0) {
                orphans.add(p);
                moved[p] = true;
            }
        }
        // Leavers' partitions: a matching onto members below their share that keep the spacing
        // (and zones, when possible). First every member up to Q/S rounded down; then the Q mod S
        // extra partitions, one each, to whichever members the matching can use. Augmenting
        // paths never take a partition away from a member, so the first stage's counts hold.
        int[] floor = new int[s];
        int[] ceiling = new int[s];
        for (int r = 0; r < s; r++) {
            floor[r] = Math.max(q / s, counts[r]);
            ceiling[r] = Math.max(q / s + 1, counts[r]);
        }
        for (int minScore = 2; minScore >= 1; minScore--) {
            assignOrphans(owners, counts, floor, orphans, minScore);
        }
        int extras = q % s - countAbove(counts, q / s);
        if (extras > 0) {
            for (int minScore = 2; minScore >= 1; minScore--) {
                assignOrphans(owners, counts, ceiling, orphans, minScore);
            }
        }
        int[] target = targets(counts);
        for (int p : orphans) {
            if (owners[p] < 0) {
                int receiver = bestReceiver(owners, counts, target, p);
                owners[p] = receiver;
                counts[receiver]++;
            }
        }
        takeFromDonors(owners, counts, target, moved);
        repair(owners, moved);
        if (nodeSpreadPossible && totalConflicts(owners) >= NODE_CONFLICT) {
            // The moves and swaps could not make every window distinct (small rings, or one that
            // was never valid): deal the ring anew, rotated to keep as many claims as it can.
            int[] dealt = fresh();
            if (totalConflicts(dealt) < totalConflicts(owners)) {
                return bestRotation(dealt, prior);
            }
        }
        return owners;
    }

    private int totalConflicts(int[] owners) {
        int total = 0;
        for (int p = 0; p < q; p++) {
            total += conflictsAt(owners, p);
        }
        return total / 2;
    }

    /** The rotation of {@code dealt} that agrees with {@code prior} on the most partitions. */
    private int[] bestRotation(int[] dealt, int[] prior) {
        int bestShift = 0;
        int bestAgreement = -1;
        for (int shift = 0; shift < q; shift++) {
            int agreement = 0;
            for (int p = 0; p < q; p++) {
                if (dealt[(p + shift) % q] == prior[p]) {
                    agreement++;
                }
            }
            if (agreement > bestAgreement) {
                bestAgreement = agreement;
                bestShift = shift;
            }
        }
        int[] rotated = new int[q];
        for (int p = 0; p < q; p++) {
            rotated[p] = dealt[(p + bestShift) % q];
        }
        return rotated;
    }

    private static int countAbove(int[] counts, int level) {
        int c = 0;
        for (int count : counts) {
            if (count > level) {
                c++;
            }
        }
        return c;
    }

    /** Q/S rounded down for each member, plus one for the Q mod S members holding most now. */
    private int[] targets(int[] counts) {
        int base = q / s;
        int extra = q % s;
        List<Integer> byCount = new ArrayList<>();
        for (int i = 0; i < s; i++) {
            byCount.add(i);
        }
        byCount.sort((a, b) -> counts[a] != counts[b] ? Integer.compare(counts[b], counts[a]) : Integer.compare(a, b));
        int[] target = new int[s];
        for (int k = 0; k < s; k++) {
            target[byCount.get(k)] = base + (k < extra ? 1 : 0);
        }
        return target;
    }

    /**
     * Assigns the unclaimed partitions by augmenting paths (a bipartite b-matching): partition p
     * may go to member r when r is below its share and {@link #placementScore} is at least
     * {@code minScore}. A leaving node's partitions are at least n apart in a valid ring, so
     * placing them never conflicts with one another and the matching alone decides.
     */
    private void assignOrphans(int[] owners, int[] counts, int[] target, List<Integer> orphans, int minScore) {
        for (int p : orphans) {
            if (owners[p] < 0) {
                augment(owners, counts, target, orphans, p, minScore, new boolean[s]);
            }
        }
    }

    private boolean augment(int[] owners, int[] counts, int[] target, List<Integer> orphans, int p, int minScore,
            boolean[] visited) {
        for (int r = 0; r < s; r++) {
            if (visited[r] || placementScore(owners, p, r) < minScore) {
                continue;
            }
            visited[r] = true;
            if (counts[r] < target[r]) {
                owners[p] = r;
                counts[r]++;
                return true;
            }
            // r is full: try to move one of its orphan partitions elsewhere to make room.
            for (int other : orphans) {
                if (owners[other] == r) {
                    owners[other] = -1;
                    counts[r]--;
                    if (augment(owners, counts, target, orphans, other, minScore, visited)) {
                        owners[p] = r;
                        counts[r]++;
                        return true;
                    }
                    owners[other] = r;
                    counts[r]++;
                }
            }
        }
        return false;
    }

    /** For an unclaimed partition: the member below its share that keeps the spacing best. */
    private int bestReceiver(int[] owners, int[] counts, int[] target, int p) {
        int best = -1;
        long bestScore = Long.MIN_VALUE;
        for (int r = 0; r < s; r++) {
            if (counts[r] >= target[r]) {
                continue;
            }
            long score = placementScore(owners, p, r) * 1_000_000L + (target[r] - counts[r]) * 1000L
                    + tieBreak(p, r);
            if (score > bestScore) {
                bestScore = score;
                best = r;
            }
        }
        return best;
    }

    /**
     * Moves partitions from members above their share to members below it (the joiners), one
     * at a time round-robin over the receivers, each time the donor partition where the receiver
     * keeps the spacing, preferring partitions whose window repeats a node now.
     */
    private void takeFromDonors(int[] owners, int[] counts, int[] target, boolean[] moved) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int r = 0; r < s; r++) {
                if (counts[r] >= target[r]) {
                    continue;
                }
                int best = -1;
                long bestScore = Long.MIN_VALUE;
                for (int p = 0; p < q; p++) {
                    int donor = owners[p];
                    if (donor == r || counts[donor] <= target[donor]) {
                        continue;
                    }
                    long score = placementScore(owners, p, r) * 1_000_000L
                            + (conflictsAt(owners, p) > 0 ? 1000L : 0L) + tieBreak(p, r);
                    if (score > bestScore) {
                        bestScore = score;
                        best = p;
                    }
                }
                if (best >= 0) {
                    counts[owners[best]]--;
                    owners[best] = r;
                    counts[r]++;
                    moved[best] = true;
                    progress = true;
                }
            }
        }
    }

    /** 2 when {@code r} at {@code p} repeats neither node nor zone in any window, 1 when only the zone, 0 else. */
    private int placementScore(int[] owners, int p, int r) {
        boolean zoneClash = false;
        for (int d = 1; d < n; d++) {
            int a = owners[Math.floorMod(p - d, q)];
            int b = owners[Math.floorMod(p + d, q)];
            if (a == r || b == r) {
                return 0;
            }
            if (zoneSpread && ((a >= 0 && zoneOf[a] == zoneOf[r]) || (b >= 0 && zoneOf[b] == zoneOf[r]))) {
                zoneClash = true;
            }
        }
        return zoneClash ? 1 : 2;
    }

    /** Deterministic pseudo-random tie-break in [0, 1000). */
    private static long tieBreak(int p, int r) {
        long x = (p * 0x9E3779B97F4A7C15L) ^ (r * 0xC2B2AE3D27D4EB4FL);
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        return Math.floorMod(x, 1000L);
    }

    /**
     * Swaps claims pairwise, keeping every member's share, until no window of n repeats a node
     * (or a zone, where zones allow it) or no swap helps. Swaps between partitions in {@code
     * preferred} (those this change moves anyway) are tried first.
     */
    private void repair(int[] owners, boolean[] preferred) {
        if (!nodeSpreadPossible && !zoneSpread) {
            return;
        }
        List<Integer> preferredPositions = new ArrayList<>();
        List<Integer> allPositions = new ArrayList<>();
        for (int p = 0; p < q; p++) {
            allPositions.add(p);
            if (preferred != null && preferred[p]) {
                preferredPositions.add(p);
            }
        }
        shuffle(preferredPositions);
        shuffle(allPositions);
        if (!preferredPositions.isEmpty()) {
            improve(owners, preferredPositions, true);
        }
        improve(owners, allPositions, false);
    }

    private void improve(int[] owners, List<Integer> candidates, boolean onlyCandidates) {
        boolean[] isCandidate = new boolean[q];
        for (int p : candidates) {
            isCandidate[p] = true;
        }
        int best = totalConflicts(owners);
        int stale = 0;
        for (int round = 0; round < REPAIR_ROUNDS && stale < STALE_ROUNDS; round++) {
            boolean anyConflict = false;
            boolean improved = false;
            for (int p = 0; p < q; p++) {
                if (conflictsAt(owners, p) == 0 || (onlyCandidates && !isCandidate[p])) {
                    continue;
                }
                anyConflict = true;
                for (int j : candidates) {
                    if (owners[j] != owners[p] && swapDelta(owners, p, j) < 0) {
                        swap(owners, p, j);
                        improved = true;
                        break;
                    }
                }
            }
            if (!anyConflict) {
                return;
            }
            int now = totalConflicts(owners);
            if (now < best) {
                best = now;
                stale = 0;
            } else {
                stale++;
            }
            if (!improved) {
                // A plateau: take one sideways swap at random to move off it, then go on.
                if (!sidestep(owners, candidates, isCandidate, onlyCandidates)) {
                    return;
                }
            }
        }
    }

    private boolean sidestep(int[] owners, List<Integer> candidates, boolean[] isCandidate, boolean onlyCandidates) {
        List<Integer> bad = new ArrayList<>();
        for (int p = 0; p < q; p++) {
            if (conflictsAt(owners, p) > 0 && (!onlyCandidates || isCandidate[p])) {
                bad.add(p);
            }
        }
        for (int attempt = 0; attempt < 4 * q && !bad.isEmpty(); attempt++) {
            int p = bad.get(random.nextInt(bad.size()));
            int j = candidates.get(random.nextInt(candidates.size()));
            if (owners[j] != owners[p] && swapDelta(owners, p, j) == 0) {
                swap(owners, p, j);
                return true;
            }
        }
        return false;
    }

    /** The weight of pairs within distance n-1 of {@code p} that repeat its node or zone. */
    int conflictsAt(int[] owners, int p) {
        int total = 0;
        for (int d = 1; d < n; d++) {
            total += weight(owners, p, Math.floorMod(p - d, q)) + weight(owners, p, Math.floorMod(p + d, q));
        }
        return total;
    }

    private int weight(int[] owners, int a, int b) {
        if (a == b) {
            return 0;
        }
        int x = owners[a];
        int y = owners[b];
        if (x < 0 || y < 0) {
            return 0;
        }
        if (x == y) {
            return NODE_CONFLICT;
        }
        return zoneSpread && zoneOf[x] == zoneOf[y] ? ZONE_CONFLICT : 0;
    }

    private int swapDelta(int[] owners, int p, int j) {
        int before = conflictsAt(owners, p) + conflictsAt(owners, j);
        swap(owners, p, j);
        int after = conflictsAt(owners, p) + conflictsAt(owners, j);
        swap(owners, p, j);
        return after - before;
    }

    private static void swap(int[] owners, int a, int b) {
        int t = owners[a];
        owners[a] = owners[b];
        owners[b] = t;
    }

    private void shuffle(List<Integer> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            Integer t = list.get(i);
            list.set(i, list.get(k));
            list.set(k, t);
        }
    }

    /**
     * A random permutation of the members in which zones interleave as evenly as their sizes
     * allow: member j of a zone of m members (in shuffled order) sits at (j + 0.5) / m, ties
     * broken by zone. The zone pattern is the same in every round; only the members vary.
     */
    private int[] shuffledRound() {
        Map<Integer, List<Integer>> byZone = new TreeMap<>();
        for (int i = 0; i < s; i++) {
            byZone.computeIfAbsent(zoneOf[i], z -> new ArrayList<>()).add(i);
        }
        List<double[]> keyed = new ArrayList<>();
        for (List<Integer> zone : byZone.values()) {
            shuffle(zone);
            for (int j = 0; j < zone.size(); j++) {
                int ordinal = zone.get(j);
                keyed.add(new double[] {(j + 0.5) / zone.size(), zoneOf[ordinal], ordinal});
            }
        }
        keyed.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        int[] order = new int[s];
        for (int i = 0; i < s; i++) {
            order[i] = (int) keyed.get(i)[2];
        }
        return order;
    }
}

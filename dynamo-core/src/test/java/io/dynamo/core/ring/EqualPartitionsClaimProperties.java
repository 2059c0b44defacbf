package io.dynamo.core.ring;

import static io.dynamo.core.ring.RingChecks.members;
import static io.dynamo.core.ring.RingChecks.moves;
import static io.dynamo.core.ring.RingChecks.nodeViolations;
import static io.dynamo.core.ring.RingChecks.spread;
import static io.dynamo.core.ring.RingChecks.zoneViolations;
import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.LongRange;

/** The guarantees of strategy 3 (see {@link PartitionPlanner}), over random clusters and changes. */
class EqualPartitionsClaimProperties {

    @Property
    void newRingIsBalancedAndSpreadsEveryWindowOverDistinctNodes(
            @ForAll @IntRange(min = 6, max = 10) int bits,
            @ForAll @IntRange(min = 1, max = 64) int nodes,
            @ForAll @IntRange(min = 1, max = 5) int n) {
        Ring ring = ClaimStrategy.equalPartitions(1 << bits, n).initial(members(nodes, 1), RandomSource.seeded(1));

        assertThat(spread(ring)).isLessThanOrEqualTo(1);
        if (nodes > n || (nodes == n && (1 << bits) % n == 0)) {
            assertThat(nodeViolations(ring, n)).isZero();
        }
    }

    @Property
    void newRingSpreadsWindowsOverDistinctZonesWhenZonesAllowIt(
            @ForAll @IntRange(min = 6, max = 10) int bits,
            @ForAll @IntRange(min = 2, max = 4) int n,
            @ForAll @IntRange(min = 0, max = 2) int extraZones,
            @ForAll @IntRange(min = 2, max = 6) int nodesPerZone) {
        int zones = n + extraZones;
        // With exactly n zones every window must hold each zone once, which forces a period of n:
        // possible only when n divides Q.
        Assume.that(zones > n || (1 << bits) % n == 0);
        Ring ring = ClaimStrategy.equalPartitions(1 << bits, n)
                .initial(members(zones * nodesPerZone, zones), RandomSource.seeded(1));

        assertThat(spread(ring)).isLessThanOrEqualTo(1);
        assertThat(nodeViolations(ring, n)).isZero();
        assertThat(zoneViolations(ring, n)).isZero();
    }

    @Property
    void unevenZonesNeitherBreakTheClaimNorMakeHotSpots(
            @ForAll @IntRange(min = 6, max = 10) int bits,
            @ForAll @IntRange(min = 1, max = 4) int n,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 7) Integer> zoneSizes) {
        List<Member> members = new ArrayList<>();
        for (int z = 0; z < zoneSizes.size(); z++) {
            for (int i = 0; i < zoneSizes.get(z); i++) {
                members.add(Member.of(String.format("z%d-n%d", z, i), "z" + z));
            }
        }
        int nodes = members.size();
        int q = 1 << bits;
        Assume.that(nodes <= q && n <= nodes);

        Ring ring = ClaimStrategy.equalPartitions(q, n).initial(members, RandomSource.seeded(1));

        assertThat(spread(ring)).isLessThanOrEqualTo(1);
        if (nodes > n) {
            assertThat(nodeViolations(ring, n)).isZero();
        }
        if (!Walks.zonesBalanced(members) && nodes > n) {
            // Walks follow the ring: a node is a primary of exactly the n partitions up to each of
            // its claims, never of partitions far away (no zone hot spot).
            Map<NodeId, Integer> primaryOf = new java.util.HashMap<>();
            for (int p = 0; p < q; p++) {
                ring.preferenceList(p, n).primaries().forEach(id -> primaryOf.merge(id, 1, Integer::sum));
            }
            ring.ownedPartitionCounts().forEach((id, owned) ->
                    assertThat(primaryOf.getOrDefault(id, 0)).as(id.toString()).isEqualTo(n * owned));
        }
    }

    @Property
    void joiningNodeTakesItsShareOnlyFromOldNodes(
            @ForAll @IntRange(min = 6, max = 10) int bits,
            @ForAll @IntRange(min = 2, max = 4) int n,
            @ForAll @IntRange(min = 0, max = 40) int extraNodes) {
        int nodes = n + 1 + extraNodes;
        int q = 1 << bits;
        List<Member> members = members(nodes + 1, 1);
        ClaimStrategy strategy = ClaimStrategy.equalPartitions(q, n);
        Ring before = strategy.initial(members.subList(0, nodes), RandomSource.seeded(1));
        Member joiner = members.get(nodes);

        Ring after = strategy.claim(before, members, RandomSource.seeded(1));

        Map<Integer, NodeId[]> moves = moves(before, after);
        assertThat(moves.values()).allSatisfy(m -> assertThat(m[1]).isEqualTo(joiner.id()));
        assertThat(moves.size()).isBetween(q / (nodes + 1), q / (nodes + 1) + 1);
        assertThat(spread(after)).isLessThanOrEqualTo(1);
        assertThat(nodeViolations(after, n)).isZero();
        assertThat(after.epoch()).isEqualTo(before.epoch() + 1);
    }

    /**
     * Holds when at least 2n+2 members remain and each has at least 8 partitions; on tighter rings
     * a leaver's partition can have every remaining member within n-1 of it, and the repair pass
     * moves a few more (see the next property).
     */
    @Property
    void onlyTheLeavingNodesPartitionsMove(
            @ForAll @IntRange(min = 6, max = 10) int bits,
            @ForAll @IntRange(min = 2, max = 4) int n,
            @ForAll @IntRange(min = 0, max = 40) int extraNodes,
            @ForAll @IntRange(min = 0, max = 1000) int leaverPick) {
        int nodes = 2 * n + 3 + extraNodes;
        int q = 1 << bits;
        Assume.that(q / nodes >= 8);
        List<Member> members = members(nodes, 1);
        ClaimStrategy strategy = ClaimStrategy.equalPartitions(q, n);
        Ring before = strategy.initial(members, RandomSource.seeded(1));
        Member leaver = members.get(leaverPick % nodes);
        List<Member> remaining = new ArrayList<>(members);
        remaining.remove(leaver);

        Ring after = strategy.claim(before, remaining, RandomSource.seeded(1));

        assertThat(moves(before, after).values()).allSatisfy(m -> assertThat(m[0]).isEqualTo(leaver.id()));
        assertThat(spread(after)).isLessThanOrEqualTo(1);
        assertThat(nodeViolations(after, n)).isZero();
    }

    @Property
    void onTightRingsALeaveStillKeepsTheRingValidAndMovesLittleElse(
            @ForAll @IntRange(min = 6, max = 8) int bits,
            @ForAll @IntRange(min = 2, max = 4) int n,
            @ForAll @IntRange(min = 0, max = 3) int extraNodes,
            @ForAll @IntRange(min = 0, max = 1000) int leaverPick) {
        int nodes = 2 * n + extraNodes;
        int q = 1 << bits;
        List<Member> members = members(nodes, 1);
        ClaimStrategy strategy = ClaimStrategy.equalPartitions(q, n);
        Ring before = strategy.initial(members, RandomSource.seeded(1));
        Member leaver = members.get(leaverPick % nodes);
        List<Member> remaining = new ArrayList<>(members);
        remaining.remove(leaver);

        Ring after = strategy.claim(before, remaining, RandomSource.seeded(1));

        long others = moves(before, after).values().stream().filter(m -> !m[0].equals(leaver.id())).count();
        int leaverShare = before.ownedPartitionCounts().get(leaver.id());
        assertThat(others).isLessThanOrEqualTo(leaverShare);
        assertThat(spread(after)).isLessThanOrEqualTo(1);
        assertThat(nodeViolations(after, n)).isZero();
    }

    @Property
    void anySequenceOfJoinsAndLeavesKeepsTheRingBalancedAndValid(
            @ForAll @IntRange(min = 6, max = 9) int bits,
            @ForAll @IntRange(min = 2, max = 4) int n,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
        RandomSource random = RandomSource.seeded(seed);
        ClaimStrategy strategy = ClaimStrategy.equalPartitions(1 << bits, n);
        List<Member> current = new ArrayList<>(members(1, 1));
        int nextId = 1;
        Ring ring = strategy.initial(current, random);
        for (int step = 0; step < 12; step++) {
            boolean join = current.size() < 2 || random.nextInt(3) > 0;
            if (join) {
                current.add(Member.of(String.format("n%03d", nextId++)));
            } else {
                current.remove(random.nextInt(current.size()));
            }
            ring = strategy.claim(ring, current, random);

            assertThat(spread(ring)).as("step %d, %d nodes", step, current.size()).isLessThanOrEqualTo(1);
            if (current.size() > n) {
                assertThat(nodeViolations(ring, n)).as("step %d, %d nodes", step, current.size()).isZero();
            }
        }
    }
}

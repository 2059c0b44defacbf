package io.dynamo.core.ring;

import static io.dynamo.core.ring.RingChecks.members;
import static io.dynamo.core.ring.RingChecks.moves;
import static io.dynamo.core.ring.RingChecks.nodeViolations;
import static io.dynamo.core.ring.RingChecks.spread;
import static io.dynamo.core.ring.RingChecks.zoneViolations;
import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * The guarantees of strategy 3 (see {@link PartitionPlanner}), over random clusters and changes.
 * Where all the combinations of the parameters are fewer than a thousand, every one is checked.
 */
class EqualPartitionsClaimProperties {

    /** One combination of parameters in an exhaustive check. */
    private record Case(String description, Runnable check) {
    }

    /** Runs every case, failing with the first case that fails named in the message. */
    private static void checkEvery(List<Case> cases) {
        assertThat(cases).isNotEmpty();
        for (Case c : cases) {
            try {
                c.check().run();
            } catch (AssertionError e) {
                throw new AssertionError(c.description() + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void newRingIsBalancedAndSpreadsEveryWindowOverDistinctNodes() {
        qt(1000).forAll(Generate.range(6, 10), Generate.range(1, 64), Generate.range(1, 5))
                .checkAssert((bits, nodes, n) -> {
                    Ring ring = ClaimStrategy.equalPartitions(1 << bits, n)
                            .initial(members(nodes, 1), RandomSource.seeded(1));

                    assertThat(spread(ring)).isLessThanOrEqualTo(1);
                    if (nodes > n || (nodes == n && (1 << bits) % n == 0)) {
                        assertThat(nodeViolations(ring, n)).isZero();
                    }
                });
    }

    /** All 225 combinations (fewer those the assumption rules out). */
    @Test
    void newRingSpreadsWindowsOverDistinctZonesWhenZonesAllowIt() {
        List<Case> cases = new ArrayList<>();
        for (int bits = 6; bits <= 10; bits++) {
            for (int n = 2; n <= 4; n++) {
                for (int extraZones = 0; extraZones <= 2; extraZones++) {
                    for (int nodesPerZone = 2; nodesPerZone <= 6; nodesPerZone++) {
                        int zones = n + extraZones;
                        // With exactly n zones every window must hold each zone once, which forces
                        // a period of n: possible only when n divides Q.
                        if (zones > n || (1 << bits) % n == 0) {
                            int q = 1 << bits;
                            int windows = n;
                            int size = zones * nodesPerZone;
                            cases.add(new Case(String.format("bits=%d n=%d extraZones=%d nodesPerZone=%d", bits, n,
                                    extraZones, nodesPerZone), () -> {
                                Ring ring = ClaimStrategy.equalPartitions(q, windows)
                                        .initial(members(size, zones), RandomSource.seeded(1));

                                assertThat(spread(ring)).isLessThanOrEqualTo(1);
                                assertThat(nodeViolations(ring, windows)).isZero();
                                assertThat(zoneViolations(ring, windows)).isZero();
                            }));
                        }
                    }
                }
            }
        }
        checkEvery(cases);
    }

    @Test
    void unevenZonesNeitherBreakTheClaimNorMakeHotSpots() {
        // At most 6 zones of 7 nodes: never more nodes than the 64 partitions of the smallest ring.
        qt(1000).forAll(Generate.range(6, 10), Generate.range(1, 4),
                        lists().of(Generate.range(1, 7)).ofSizeBetween(1, 6))
                .assuming((bits, n, zoneSizes) -> n <= zoneSizes.stream().mapToInt(Integer::intValue).sum())
                .checkAssert((bits, n, zoneSizes) -> {
                    List<Member> members = new ArrayList<>();
                    for (int z = 0; z < zoneSizes.size(); z++) {
                        for (int i = 0; i < zoneSizes.get(z); i++) {
                            members.add(Member.of(String.format("z%d-n%d", z, i), "z" + z));
                        }
                    }
                    int nodes = members.size();
                    int q = 1 << bits;

                    Ring ring = ClaimStrategy.equalPartitions(q, n).initial(members, RandomSource.seeded(1));

                    assertThat(spread(ring)).isLessThanOrEqualTo(1);
                    if (nodes > n) {
                        assertThat(nodeViolations(ring, n)).isZero();
                    }
                    if (!Walks.zonesBalanced(members) && nodes > n) {
                        // Walks follow the ring: a node is a primary of exactly the n partitions up to
                        // each of its claims, never of partitions far away (no zone hot spot).
                        Map<NodeId, Integer> primaryOf = new java.util.HashMap<>();
                        for (int p = 0; p < q; p++) {
                            ring.preferenceList(p, n).primaries().forEach(id -> primaryOf.merge(id, 1, Integer::sum));
                        }
                        ring.ownedPartitionCounts().forEach((id, owned) ->
                                assertThat(primaryOf.getOrDefault(id, 0)).as(id.toString()).isEqualTo(n * owned));
                    }
                });
    }

    /** All 615 combinations. */
    @Test
    void joiningNodeTakesItsShareOnlyFromOldNodes() {
        List<Case> cases = new ArrayList<>();
        for (int bits = 6; bits <= 10; bits++) {
            for (int n = 2; n <= 4; n++) {
                for (int extraNodes = 0; extraNodes <= 40; extraNodes++) {
                    int q = 1 << bits;
                    int windows = n;
                    int nodes = n + 1 + extraNodes;
                    cases.add(new Case(String.format("bits=%d n=%d extraNodes=%d", bits, n, extraNodes), () -> {
                        List<Member> members = members(nodes + 1, 1);
                        ClaimStrategy strategy = ClaimStrategy.equalPartitions(q, windows);
                        Ring before = strategy.initial(members.subList(0, nodes), RandomSource.seeded(1));
                        Member joiner = members.get(nodes);

                        Ring after = strategy.claim(before, members, RandomSource.seeded(1));

                        Map<Integer, NodeId[]> moves = moves(before, after);
                        assertThat(moves.values()).allSatisfy(m -> assertThat(m[1]).isEqualTo(joiner.id()));
                        assertThat(moves.size()).isBetween(q / (nodes + 1), q / (nodes + 1) + 1);
                        assertThat(spread(after)).isLessThanOrEqualTo(1);
                        assertThat(nodeViolations(after, windows)).isZero();
                        assertThat(after.epoch()).isEqualTo(before.epoch() + 1);
                    }));
                }
            }
        }
        checkEvery(cases);
    }

    /**
     * Holds when at least 2n+2 members remain and each has at least 8 partitions; on tighter rings
     * a leaver's partition can have every remaining member within n-1 of it, and the repair pass
     * moves a few more (see the next property).
     */
    @Test
    void onlyTheLeavingNodesPartitionsMove() {
        // The (bits, n, extraNodes) combinations with q / nodes >= 8, drawn uniformly.
        List<int[]> shapes = new ArrayList<>();
        for (int bits = 6; bits <= 10; bits++) {
            for (int n = 2; n <= 4; n++) {
                for (int extraNodes = 0; extraNodes <= 40; extraNodes++) {
                    if ((1 << bits) / (2 * n + 3 + extraNodes) >= 8) {
                        shapes.add(new int[] {bits, n, extraNodes});
                    }
                }
            }
        }
        qt(1000).forAll(Generate.pick(shapes).describedAs(java.util.Arrays::toString), Generate.range(0, 1000))
                .checkAssert((shape, leaverPick) -> {
                    int n = shape[1];
                    int nodes = 2 * n + 3 + shape[2];
                    int q = 1 << shape[0];
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
                });
    }

    @Test
    void onTightRingsALeaveStillKeepsTheRingValidAndMovesLittleElse() {
        qt(1000).forAll(Generate.range(6, 8), Generate.range(2, 4), Generate.range(0, 3), Generate.range(0, 1000))
                .checkAssert((bits, n, extraNodes, leaverPick) -> {
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
                });
    }

    @Test
    void anySequenceOfJoinsAndLeavesKeepsTheRingBalancedAndValid() {
        qt(1000).forAll(Generate.range(6, 9), Generate.range(2, 4), SourceDSL.longs().between(0, Long.MAX_VALUE))
                .checkAssert((bits, n, seed) -> {
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
                });
    }
}

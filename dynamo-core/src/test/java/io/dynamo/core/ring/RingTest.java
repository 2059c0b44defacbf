package io.dynamo.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.time.RandomSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingTest {

    private static final ClaimStrategy STRATEGY_3 = ClaimStrategy.equalPartitions(64, 3);

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyNodeComputesTheSameRingFromTheSameMembers() {
        List<Member> members = RingChecks.members(7, 2);
        Ring a = STRATEGY_3.initial(members, RandomSource.seeded(1));
        Ring b = STRATEGY_3.initial(List.copyOf(members).reversed(), RandomSource.seeded(99));

        assertThat(a.claims()).isEqualTo(b.claims());
        Ring joinedA = STRATEGY_3.claim(a, RingChecks.members(8, 2), RandomSource.seeded(1));
        Ring joinedB = STRATEGY_3.claim(b, RingChecks.members(8, 2), RandomSource.seeded(2));
        assertThat(joinedA.claims()).isEqualTo(joinedB.claims());
    }

    @Test
    void aKeysPreferenceListIsItsPartitionsWalkAndIsStableAcrossLookups() {
        Ring ring = STRATEGY_3.initial(RingChecks.members(5, 1), RandomSource.seeded(1));

        PreferenceList list = ring.preferenceList("carts", key("alice"), 3);

        assertThat(list.partition()).isEqualTo(ring.partitionOf("carts", key("alice")));
        assertThat(list.primaries().getFirst()).isEqualTo(ring.owner(list.partition()));
        assertThat(list.primaries()).hasSize(3).doesNotHaveDuplicates();
        assertThat(list.fallbacks()).hasSize(2);
        assertThat(ring.preferenceList("carts", key("alice"), 3).primaries()).isEqualTo(list.primaries());
    }

    @Test
    void theSameKeyInAnotherNamespaceLandsIndependently() {
        assertThat(KeyHasher.hash("a", key("bc"))).isNotEqualTo(KeyHasher.hash("ab", key("c")));
        assertThatThrownBy(() -> KeyHasher.hash("x".repeat(256), key("k")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bytes");
    }

    @Test
    void whenTwoPrimariesAreDownTheNextReachableNodesStandInWithHintsForThem() {
        Ring ring = STRATEGY_3.initial(RingChecks.members(6, 1), RandomSource.seeded(1));
        PreferenceList list = ring.preferenceList("carts", key("bob"), 3);
        NodeId second = list.primaries().get(1);
        NodeId third = list.primaries().get(2);

        List<PreferenceList.Target> targets = list.sloppyTargets(id -> !id.equals(second) && !id.equals(third));

        assertThat(targets).containsExactly(
                new PreferenceList.Target(list.primaries().get(0), null),
                new PreferenceList.Target(list.fallbacks().get(0), second),
                new PreferenceList.Target(list.fallbacks().get(1), third));
    }

    @Test
    void aLoneNodeInANewZoneIsNotLiftedOntoEveryPreferenceList() {
        ClaimStrategy strategy = ClaimStrategy.equalPartitions(1024, 3);
        List<Member> six = List.of(Member.of("a1", "z0"), Member.of("a2", "z0"), Member.of("a3", "z0"),
                Member.of("b1", "z1"), Member.of("b2", "z1"), Member.of("b3", "z1"));
        Ring before = strategy.initial(six, RandomSource.seeded(1));
        List<Member> seven = new java.util.ArrayList<>(six);
        seven.add(Member.of("c1", "z2"));

        Ring after = strategy.claim(before, seven, RandomSource.seeded(1));

        int primaryOf = 0;
        for (int p = 0; p < after.partitionCount(); p++) {
            if (after.preferenceList(p, 3).primaries().contains(NodeId.of("c1"))) {
                primaryOf++;
            }
        }
        int claimed = after.ownedPartitionCounts().get(NodeId.of("c1"));
        assertThat(claimed).isBetween(1024 / 7, 1024 / 7 + 1);
        assertThat(primaryOf).isEqualTo(3 * claimed);
    }

    @Test
    void tokensCompareAsUnsigned128BitNumbers() {
        Token small = new Token(0, 1);
        Token highBitSet = new Token(Long.MIN_VALUE, 0);
        Token lowWordHighBit = new Token(0, -1L);

        assertThat(small).isLessThan(lowWordHighBit);
        assertThat(lowWordHighBit).isLessThan(highBitSet);
        assertThat(Token.MAX).isGreaterThan(highBitSet);
        assertThat(highBitSet.fractionSince(Token.MIN)).isEqualTo(0.5);
        assertThat(Token.MIN.fractionSince(highBitSet)).isEqualTo(0.5);
    }

    @Test
    void threeNodesAndNThreeCannotSpreadSixtyFourPartitionsButTheListsStillHoldThreeNodes() {
        // Every window of 3 distinct among 3 nodes forces period 3, and 3 does not divide 64.
        Ring ring = STRATEGY_3.initial(RingChecks.members(3, 1), RandomSource.seeded(1));

        assertThat(RingChecks.nodeViolations(ring, 3)).isPositive();
        assertThat(RingChecks.spread(ring)).isLessThanOrEqualTo(1);
        for (int p = 0; p < ring.partitionCount(); p++) {
            assertThat(ring.preferenceList(p, 3).primaries()).doesNotHaveDuplicates();
        }
    }

    @Test
    void badParametersAreRejectedWithTheValueNamed() {
        assertThatThrownBy(() -> ClaimStrategy.equalPartitions(100, 3))
                .hasMessageContaining("power of two").hasMessageContaining("100");
        assertThatThrownBy(() -> ClaimStrategy.equalPartitions(64, 0)).hasMessageContaining("target N");
        assertThatThrownBy(() -> ClaimStrategy.randomTokens(0)).hasMessageContaining("tokens per node");
        assertThatThrownBy(() -> STRATEGY_3.initial(RingChecks.members(65, 1), RandomSource.seeded(1)))
                .hasMessageContaining("64 partitions cannot hold 65 nodes");
        assertThatThrownBy(() -> STRATEGY_3.initial(List.of(Member.of("a"), Member.of("a")), RandomSource.seeded(1)))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> NodeId.of("has space")).hasMessageContaining("invalid node id 'has space'");
        assertThatThrownBy(() -> Member.of("a", "")).hasMessageContaining("invalid zone");
        Ring ring = STRATEGY_3.initial(RingChecks.members(4, 1), RandomSource.seeded(1));
        assertThatThrownBy(() -> ring.preferenceList(0, 5)).hasMessageContaining("between 1 and the member count 4");
    }

    @Test
    void tokenRingsFindTheRangeByBinarySearchAndWrapPastTheLastToken() {
        Ring ring = ClaimStrategy.randomTokens(4).initial(RingChecks.members(3, 1), RandomSource.seeded(7));
        Token last = ring.tokens().values().stream().flatMap(List::stream).max(Token::compareTo).orElseThrow();
        Token first = ring.tokens().values().stream().flatMap(List::stream).min(Token::compareTo).orElseThrow();

        assertThat(ring.partitionOf(Token.MAX)).isEqualTo(ring.partitionOf(first));
        assertThat(ring.partitionOf(last)).isEqualTo(ring.partitionCount() - 1);
        assertThat(ring.partitionCount()).isEqualTo(12);
    }
}

package io.dynamo.core.ring;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.testing.Gens;
import io.dynamo.core.time.RandomSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Laws every ring obeys, whatever strategy built it. */
class PreferenceListProperties {

    record Setup(Ring ring, int n) {
    }

    static Gen<Setup> rings() {
        return Generate.range(1, 3).zip(Generate.range(1, 40), Generate.range(1, 4), Generate.range(1, 5),
                Gens.longs(), (kind, s, z, nn, sd) -> {
                    ClaimStrategy strategy = switch (kind) {
                        case 1 -> ClaimStrategy.randomTokens(8);
                        case 2 -> ClaimStrategy.randomTokensEqualPartitions(8, 256);
                        default -> ClaimStrategy.equalPartitions(Math.max(64, Integer.highestOneBit(s) * 2), 3);
                    };
                    Ring ring = strategy.initial(RingChecks.members(s, z), RandomSource.seeded(sd));
                    return new Setup(ring, Math.min(nn, s));
                });
    }

    /** Keys of up to 40 bytes. */
    static Gen<byte[]> keys() {
        return Gens.byteArrays(0, 40);
    }

    @Test
    void everyKeyGetsNDistinctNodesAndTheExtendedListHoldsEveryMemberOnce() {
        qt(1000).forAll(rings(), keys()).checkAssert((setup, key) -> {
            PreferenceList list = setup.ring().preferenceList("bucket", key, setup.n());

            assertThat(list.primaries()).hasSize(setup.n()).doesNotHaveDuplicates();
            assertThat(list.extended()).hasSize(setup.ring().members().size()).doesNotHaveDuplicates()
                    .startsWith(list.primaries().toArray(NodeId[]::new));
            assertThat(list.fallbacks()).doesNotContainAnyElementsOf(list.primaries());
        });
    }

    @Test
    void primariesSpanDistinctZonesWhenThereAreEnoughZones() {
        qt(1000).forAll(rings(), keys()).checkAssert((setup, key) -> {
            Ring ring = setup.ring();
            PreferenceList list = ring.preferenceList("bucket", key, setup.n());
            Set<String> zones = new HashSet<>();
            ring.members().forEach(m -> zones.add(m.zone()));
            Set<String> primaryZones = new HashSet<>();
            list.primaries().forEach(id -> primaryZones.add(ring.member(id).zone()));

            assertThat(primaryZones).hasSize(Math.min(setup.n(), zones.size()));
        });
    }

    @Test
    void keySpaceFractionsSumToOne() {
        qt(1000).forAll(rings()).checkAssert(setup -> {
            Ring ring = setup.ring();
            double sum = 0;
            for (int p = 0; p < ring.partitionCount(); p++) {
                sum += ring.keySpaceFraction(p);
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        });
    }

    @Test
    void sloppyQuorumTakesTheFirstNReachableNodesAndHintsEachMissingPrimaryOnce() {
        qt(1000).forAll(rings(), keys(), Gens.intsBetween(0, Integer.MAX_VALUE)).checkAssert((setup, key, downMask) -> {
            Ring ring = setup.ring();
            Set<NodeId> down = new HashSet<>();
            for (int i = 0; i < ring.members().size() && i < 31; i++) {
                if ((downMask >>> i & 1) == 1) {
                    down.add(ring.members().get(i).id());
                }
            }
            PreferenceList list = ring.preferenceList("bucket", key, setup.n());

            List<PreferenceList.Target> targets = list.sloppyTargets(id -> !down.contains(id));

            List<NodeId> reachableInOrder = list.extended().stream().filter(id -> !down.contains(id)).toList();
            List<NodeId> expected = reachableInOrder.subList(0, Math.min(setup.n(), reachableInOrder.size()));
            assertThat(targets).extracting(PreferenceList.Target::node).containsExactlyInAnyOrderElementsOf(expected);
            List<NodeId> missingPrimaries = list.primaries().stream().filter(down::contains).toList();
            List<NodeId> hinted = targets.stream().filter(PreferenceList.Target::isFallback)
                    .map(PreferenceList.Target::intendedFor).toList();
            assertThat(hinted).doesNotHaveDuplicates();
            assertThat(missingPrimaries).containsAll(hinted);
            assertThat(targets.stream().filter(t -> !t.isFallback()).map(PreferenceList.Target::node))
                    .allMatch(list.primaries()::contains);
        });
    }

    @Test
    void aKeyFallsInThePartitionWhoseRangeHoldsItsToken() {
        qt(1000).forAll(rings(), Gens.byteArrays(0, 255)).checkAssert((setup, key) -> {
            Ring ring = setup.ring();
            Token token = KeyHasher.hash(key);
            int p = ring.partitionOf(token);
            if (ring.hasEqualPartitions()) {
                Token start = Token.partitionStart(p, Integer.numberOfTrailingZeros(ring.partitionCount()));
                assertThat(token).isGreaterThanOrEqualTo(start);
                if (p + 1 < ring.partitionCount()) {
                    assertThat(token).isLessThan(
                            Token.partitionStart(p + 1, Integer.numberOfTrailingZeros(ring.partitionCount())));
                }
            } else {
                assertThat(ring.keySpaceFraction(p)).isPositive();
            }
        });
    }
}

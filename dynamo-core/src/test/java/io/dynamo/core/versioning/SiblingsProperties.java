package io.dynamo.core.versioning;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.testing.Gens;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The lattice laws and the meaning of update, sync, compare, discard and the digest. */
class SiblingsProperties {

    static Gen<Siblings<String>> free() {
        return VersioningGens.freeStates();
    }

    static Gen<List<Siblings<Integer>>> threeFromOneHistory() {
        return VersioningGens.statesFromOneHistory(3);
    }

    // --- sync is a join: commutative, associative, idempotent -----------------------------------

    @Test
    void syncIsCommutative() {
        qt(1000).forAll(free(), free()).checkAssert((a, b) -> {
            assertThat(a.sync(b)).isEqualTo(b.sync(a));
        });
    }

    @Test
    void syncIsAssociative() {
        qt(1000).forAll(free(), free(), free()).checkAssert((a, b, c) -> {
            assertThat(a.sync(b).sync(c)).isEqualTo(a.sync(b.sync(c)));
        });
    }

    @Test
    void syncIsIdempotent() {
        qt(1000).forAll(free(), free()).checkAssert((a, b) -> {
            assertThat(a.sync(a)).isEqualTo(a);
            assertThat(a.sync(b).sync(b)).isEqualTo(a.sync(b));
        });
    }

    @Test
    void syncLawsHoldForStatesOfOneHistory() {
        qt(1000).forAll(threeFromOneHistory()).checkAssert(s -> {
            Siblings<Integer> a = s.get(0);
            Siblings<Integer> b = s.get(1);
            Siblings<Integer> c = s.get(2);
            assertThat(a.sync(b)).isEqualTo(b.sync(a));
            assertThat(a.sync(b).sync(c)).isEqualTo(a.sync(b.sync(c)));
            assertThat(a.sync(b).sync(a)).isEqualTo(a.sync(b));
        });
    }

    // --- compare is the order of that join ------------------------------------------------------

    @Test
    void compareIsAntisymmetric() {
        qt(1000).forAll(free(), free()).checkAssert((a, b) -> {
            assertThat(b.compare(a)).isEqualTo(a.compare(b).inverse());
            assertThat(a.compare(b) == Occurred.EQUAL).isEqualTo(a.equals(b));
            assertThat(a.compare(a)).isEqualTo(Occurred.EQUAL);
        });
    }

    @Test
    void compareAgreesWithSync() {
        qt(1000).forAll(free(), free()).checkAssert((a, b) -> {
            Siblings<String> join = a.sync(b);
            assertThat(a.compare(join).isBeforeOrEqual()).isTrue();
            assertThat(b.compare(join).isBeforeOrEqual()).isTrue();
            assertThat(a.compare(b).isBeforeOrEqual()).isEqualTo(join.equals(b));
        });
    }

    @Test
    void statesOfOneHistoryCompareLikeTheirContexts() {
        qt(1000).forAll(threeFromOneHistory()).checkAssert(s -> {
            Siblings<Integer> a = s.get(0);
            Siblings<Integer> b = s.get(1);
            assertThat(a.compare(b)).isEqualTo(a.context().compare(b.context()));
            assertThat(a.sync(b).compare(a).isAfterOrEqual()).isTrue();
        });
    }

    // --- update keeps what the client did not see -----------------------------------------------

    @Test
    void updateDropsExactlyTheValuesTheContextCovers() {
        qt(1000).forAll(threeFromOneHistory(), Generate.booleans()).checkAssert((s, blind) -> {
            Siblings<Integer> local = s.get(0);
            VersionVector clientContext = blind ? VersionVector.empty() : s.get(1).context();
            ActorId coordinator = new ActorId("node-1", 1001);

            Siblings<Integer> next = local.update(clientContext, -1, coordinator);

            Versioned<Integer> written = next.values().stream().filter(v -> v.value() == -1).findFirst().orElseThrow();
            Dot dot = written.dot();
            assertThat(dot.actor()).isEqualTo(coordinator);
            assertThat(local.context().covers(dot)).as("new dot is fresh locally").isFalse();
            assertThat(clientContext.covers(dot)).as("new dot is fresh to the client").isFalse();
            List<Versioned<Integer>> expected = new ArrayList<>();
            for (Versioned<Integer> v : local.values()) {
                if (!clientContext.covers(v.dot())) {
                    expected.add(v);
                }
            }
            expected.add(written);
            assertThat(next.values()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(next.context()).isEqualTo(local.context().merge(clientContext).merge(dot));
            assertThat(local.compare(next)).isEqualTo(Occurred.BEFORE);
        });
    }

    @Test
    void discardDropsExactlyTheCoveredValuesAndRemembers() {
        qt(1000).forAll(free(), VersioningGens.vectors()).checkAssert((a, obsolete) -> {
            Siblings<String> d = a.discard(obsolete);
            assertThat(d.values()).allSatisfy(v -> assertThat(obsolete.covers(v.dot())).isFalse());
            assertThat(a.values()).filteredOn(v -> !obsolete.covers(v.dot()))
                    .containsExactlyElementsOf(d.values());
            assertThat(d.context()).isEqualTo(a.context().merge(obsolete));
            assertThat(a.compare(d).isBeforeOrEqual()).isTrue();
            assertThat(d.sync(a)).as("discarded values do not come back").isEqualTo(d);
        });
    }

    // --- replicas converge ----------------------------------------------------------------------

    static Gen<Gossip> gossip() {
        Gen<List<ModelCluster.Op>> history = VersioningGens.scenarios(4, 3, true, true, 40);
        Gen<List<ModelCluster.Op.Sync>> syncs = lists().of(Generate.range(0, 3).zip(Generate.range(0, 3),
                ModelCluster.Op.Sync::new)).ofSizeBetween(0, 12);
        return history.zip(syncs, Gens.permutations(4), Gens.permutations(4), Gossip::new);
    }

    record Gossip(List<ModelCluster.Op> history, List<ModelCluster.Op.Sync> syncs,
                  List<Integer> order, List<Integer> otherOrder) {
    }

    @Test
    void replicasSyncedInAnyOrderConverge() {
        qt(1000).forAll(gossip()).checkAssert(g -> {
            ModelCluster cluster = new ModelCluster(4, 3).run(g.history());
            List<Siblings<Integer>> before = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                before.add(cluster.state(i));
            }
            Siblings<Integer> fold = Siblings.empty();
            for (int i : g.order()) {
                fold = fold.sync(before.get(i));
            }
            Siblings<Integer> otherFold = Siblings.empty();
            for (int i : g.otherOrder()) {
                otherFold = otherFold.sync(before.get(i));
            }
            assertThat(otherFold).isEqualTo(fold);

            cluster.run(g.syncs());
            List<Integer> chain = g.order();
            for (int i = 1; i < chain.size(); i++) {
                cluster.apply(new ModelCluster.Op.Sync(chain.get(i - 1), chain.get(i)));
            }
            int last = chain.get(chain.size() - 1);
            for (int i = 0; i < 4; i++) {
                cluster.apply(new ModelCluster.Op.Sync(last, i));
            }
            for (int i = 0; i < 4; i++) {
                assertThat(cluster.state(i)).isEqualTo(fold);
                assertThat(cluster.actual(i)).isEqualTo(cluster.expected(i));
            }
        });
    }

    // --- the digest -----------------------------------------------------------------------------

    @Test
    void digestIsTheSameForEqualStatesHoweverReached() {
        qt(1000).forAll(threeFromOneHistory()).checkAssert(s -> {
            Siblings<Integer> one = s.get(0).sync(s.get(1)).sync(s.get(2));
            Siblings<Integer> two = s.get(2).sync(s.get(0)).sync(s.get(1));
            List<Versioned<Integer>> shuffled = new ArrayList<>(one.values());
            Collections.reverse(shuffled);
            Siblings<Integer> three = Siblings.of(one.context(), shuffled);
            assertThat(two.versionDigest()).isEqualTo(one.versionDigest());
            assertThat(three.versionDigest()).isEqualTo(one.versionDigest());
            assertThat(three.versionDigest(v -> v * 31L)).isEqualTo(one.versionDigest(v -> v * 31L));
        });
    }

    @Test
    void digestTellsCausalStatesApart() {
        qt(1000).forAll(free(), free()).checkAssert((a, b) -> {
            if (a.compare(b) != Occurred.EQUAL) {
                assertThat(a.versionDigest()).isNotEqualTo(b.versionDigest());
            }
        });
    }

    @Test
    void digestIgnoresValueBytesUnlessAskedToHashThem() {
        qt(1000).forAll(free()).checkAssert(a -> {
            List<Versioned<String>> changed = new ArrayList<>();
            for (Versioned<String> v : a.values()) {
                changed.add(new Versioned<>(v.dot(), v.value() + "!"));
            }
            Siblings<String> b = Siblings.of(a.context(), changed);
            assertThat(b.versionDigest()).isEqualTo(a.versionDigest());
            if (!a.isEmpty()) {
                assertThat(b.versionDigest(v -> v.hashCode())).isNotEqualTo(a.versionDigest(v -> v.hashCode()));
            }
        });
    }

    @Test
    void digestsOfManyStatesDoNotCollide() {
        qt(1000).forAll(threeFromOneHistory()).checkAssert(s -> {
            Set<Long> digests = new HashSet<>();
            Set<Siblings<Integer>> distinct = new HashSet<>(s);
            for (Siblings<Integer> state : distinct) {
                digests.add(state.versionDigest());
            }
            assertThat(digests).hasSameSizeAs(distinct);
        });
    }
}

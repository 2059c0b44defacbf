package io.dynamo.core.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The lattice laws and the meaning of update, sync, compare, discard and the digest. */
class SiblingsProperties {

    @Provide
    Arbitrary<Siblings<String>> free() {
        return VersioningArbitraries.freeStates();
    }

    @Provide
    Arbitrary<List<Siblings<Integer>>> threeFromOneHistory() {
        return VersioningArbitraries.statesFromOneHistory(3);
    }

    @Provide
    Arbitrary<VersionVector> vv() {
        return VersioningArbitraries.vectors();
    }

    // --- sync is a join: commutative, associative, idempotent -----------------------------------

    @Property
    void syncIsCommutative(@ForAll("free") Siblings<String> a, @ForAll("free") Siblings<String> b) {
        assertThat(a.sync(b)).isEqualTo(b.sync(a));
    }

    @Property
    void syncIsAssociative(@ForAll("free") Siblings<String> a, @ForAll("free") Siblings<String> b,
                           @ForAll("free") Siblings<String> c) {
        assertThat(a.sync(b).sync(c)).isEqualTo(a.sync(b.sync(c)));
    }

    @Property
    void syncIsIdempotent(@ForAll("free") Siblings<String> a, @ForAll("free") Siblings<String> b) {
        assertThat(a.sync(a)).isEqualTo(a);
        assertThat(a.sync(b).sync(b)).isEqualTo(a.sync(b));
    }

    @Property
    void syncLawsHoldForStatesOfOneHistory(@ForAll("threeFromOneHistory") List<Siblings<Integer>> s) {
        Siblings<Integer> a = s.get(0);
        Siblings<Integer> b = s.get(1);
        Siblings<Integer> c = s.get(2);
        assertThat(a.sync(b)).isEqualTo(b.sync(a));
        assertThat(a.sync(b).sync(c)).isEqualTo(a.sync(b.sync(c)));
        assertThat(a.sync(b).sync(a)).isEqualTo(a.sync(b));
    }

    // --- compare is the order of that join ------------------------------------------------------

    @Property
    void compareIsAntisymmetric(@ForAll("free") Siblings<String> a, @ForAll("free") Siblings<String> b) {
        assertThat(b.compare(a)).isEqualTo(a.compare(b).inverse());
        assertThat(a.compare(b) == Occurred.EQUAL).isEqualTo(a.equals(b));
        assertThat(a.compare(a)).isEqualTo(Occurred.EQUAL);
    }

    @Property
    void compareAgreesWithSync(@ForAll("free") Siblings<String> a, @ForAll("free") Siblings<String> b) {
        Siblings<String> join = a.sync(b);
        assertThat(a.compare(join).isBeforeOrEqual()).isTrue();
        assertThat(b.compare(join).isBeforeOrEqual()).isTrue();
        assertThat(a.compare(b).isBeforeOrEqual()).isEqualTo(join.equals(b));
    }

    @Property
    void statesOfOneHistoryCompareLikeTheirContexts(@ForAll("threeFromOneHistory") List<Siblings<Integer>> s) {
        Siblings<Integer> a = s.get(0);
        Siblings<Integer> b = s.get(1);
        assertThat(a.compare(b)).isEqualTo(a.context().compare(b.context()));
        assertThat(a.sync(b).compare(a).isAfterOrEqual()).isTrue();
    }

    // --- update keeps what the client did not see -----------------------------------------------

    @Property
    void updateDropsExactlyTheValuesTheContextCovers(@ForAll("threeFromOneHistory") List<Siblings<Integer>> s,
                                                     @ForAll boolean blind) {
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
    }

    @Property
    void discardDropsExactlyTheCoveredValuesAndRemembers(@ForAll("free") Siblings<String> a,
                                                         @ForAll("vv") VersionVector obsolete) {
        Siblings<String> d = a.discard(obsolete);
        assertThat(d.values()).allSatisfy(v -> assertThat(obsolete.covers(v.dot())).isFalse());
        assertThat(a.values()).filteredOn(v -> !obsolete.covers(v.dot()))
                .containsExactlyElementsOf(d.values());
        assertThat(d.context()).isEqualTo(a.context().merge(obsolete));
        assertThat(a.compare(d).isBeforeOrEqual()).isTrue();
        assertThat(d.sync(a)).as("discarded values do not come back").isEqualTo(d);
    }

    // --- replicas converge ----------------------------------------------------------------------

    @Provide
    Arbitrary<Gossip> gossip() {
        Arbitrary<List<ModelCluster.Op>> history = VersioningArbitraries.scenarios(4, 3, true, true, 40);
        Arbitrary<List<ModelCluster.Op.Sync>> syncs = Combinators.combine(
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3))
                .as(ModelCluster.Op.Sync::new).list().ofMaxSize(12);
        return Combinators.combine(history, syncs, Arbitraries.shuffle(0, 1, 2, 3), Arbitraries.shuffle(0, 1, 2, 3))
                .as(Gossip::new);
    }

    record Gossip(List<ModelCluster.Op> history, List<ModelCluster.Op.Sync> syncs,
                  List<Integer> order, List<Integer> otherOrder) {
    }

    @Property
    void replicasSyncedInAnyOrderConverge(@ForAll("gossip") Gossip g) {
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
    }

    // --- the digest -----------------------------------------------------------------------------

    @Property
    void digestIsTheSameForEqualStatesHoweverReached(@ForAll("threeFromOneHistory") List<Siblings<Integer>> s) {
        Siblings<Integer> one = s.get(0).sync(s.get(1)).sync(s.get(2));
        Siblings<Integer> two = s.get(2).sync(s.get(0)).sync(s.get(1));
        List<Versioned<Integer>> shuffled = new ArrayList<>(one.values());
        Collections.reverse(shuffled);
        Siblings<Integer> three = Siblings.of(one.context(), shuffled);
        assertThat(two.versionDigest()).isEqualTo(one.versionDigest());
        assertThat(three.versionDigest()).isEqualTo(one.versionDigest());
        assertThat(three.versionDigest(v -> v * 31L)).isEqualTo(one.versionDigest(v -> v * 31L));
    }

    @Property
    void digestTellsCausalStatesApart(@ForAll("free") Siblings<String> a, @ForAll("free") Siblings<String> b) {
        if (a.compare(b) != Occurred.EQUAL) {
            assertThat(a.versionDigest()).isNotEqualTo(b.versionDigest());
        }
    }

    @Property
    void digestIgnoresValueBytesUnlessAskedToHashThem(@ForAll("free") Siblings<String> a) {
        List<Versioned<String>> changed = new ArrayList<>();
        for (Versioned<String> v : a.values()) {
            changed.add(new Versioned<>(v.dot(), v.value() + "!"));
        }
        Siblings<String> b = Siblings.of(a.context(), changed);
        assertThat(b.versionDigest()).isEqualTo(a.versionDigest());
        if (!a.isEmpty()) {
            assertThat(b.versionDigest(v -> v.hashCode())).isNotEqualTo(a.versionDigest(v -> v.hashCode()));
        }
    }

    @Property
    void digestsOfManyStatesDoNotCollide(@ForAll("threeFromOneHistory") List<Siblings<Integer>> s) {
        Set<Long> digests = new HashSet<>();
        Set<Siblings<Integer>> distinct = new HashSet<>(s);
        for (Siblings<Integer> state : distinct) {
            digests.add(state.versionDigest());
        }
        assertThat(digests).hasSameSizeAs(distinct);
    }
}

package io.dynamo.core.versioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators shared by the versioning properties. */
final class VersioningArbitraries {

    private VersioningArbitraries() {
    }

    static Arbitrary<ActorId> actors() {
        Arbitrary<String> nodes = Arbitraries.of("a", "b", "node-3", "ñode-δ", "\uD83D\uDE00");
        Arbitrary<Long> incarnations = Arbitraries.of(0L, 1L, 2L, -7L, Long.MIN_VALUE, Long.MAX_VALUE);
        return Combinators.combine(nodes, incarnations).as(ActorId::new);
    }

    static Arbitrary<VersionVector> vectors() {
        return Arbitraries.maps(actors(), Arbitraries.longs().between(0, 6)).ofMaxSize(5)
                .map(VersionVector::of);
    }

    /** Vectors with large counters too, for the codecs. */
    static Arbitrary<VersionVector> wideVectors() {
        Arbitrary<Long> counters = Arbitraries.oneOf(
                Arbitraries.longs().between(1, 300),
                Arbitraries.longs().between(1, Long.MAX_VALUE));
        return Arbitraries.maps(actors(), counters).ofMaxSize(8).map(VersionVector::of);
    }

    /**
     * Any well-formed state: a context and a subset of the dots it covers, each dot's value
     * derived from the dot (so a dot names one value everywhere, as in a real cluster). Not
     * necessarily reachable by updates; the lattice laws must hold for these too.
     */
    static Arbitrary<Siblings<String>> freeStates() {
        return vectors().flatMap(context -> {
            List<Dot> covered = new ArrayList<>();
            context.toMap().forEach((actor, n) -> {
                for (long c = 1; c <= n; c++) {
                    covered.add(new Dot(actor, c));
                }
            });
            if (covered.isEmpty()) {
                return Arbitraries.just(Siblings.<String>of(context, List.of()));
            }
            return Arbitraries.subsetOf(covered).ofMaxSize(4).map(dots -> {
                List<Versioned<String>> values = new ArrayList<>();
                for (Dot d : dots) {
                    values.add(new Versioned<>(d, valueOf(d)));
                }
                return Siblings.of(context, values);
            });
        });
    }

    static String valueOf(Dot dot) {
        return "v(" + dot + ")";
    }

    /** A scenario over {@code replicas} replicas and {@code clients} clients. */
    static Arbitrary<List<ModelCluster.Op>> scenarios(int replicas, int clients, boolean syncs, boolean wipes,
                                                      int maxOps) {
        Arbitrary<Integer> replica = Arbitraries.integers().between(0, replicas - 1);
        Arbitrary<Integer> client = Arbitraries.integers().between(0, clients - 1);
        List<Tuple.Tuple2<Integer, Arbitrary<ModelCluster.Op>>> choices = new ArrayList<>();
        choices.add(Tuple.of(3, Combinators.combine(client, replica).as(ModelCluster.Op.Read::new)));
        choices.add(Tuple.of(4, Combinators.combine(client, replica).as(ModelCluster.Op.Write::new)));
        if (syncs) {
            choices.add(Tuple.of(3, Combinators.combine(replica, replica).as(ModelCluster.Op.Sync::new)));
        }
        if (wipes) {
            choices.add(Tuple.of(1, replica.map(ModelCluster.Op.Wipe::new)));
        }
        return Arbitraries.frequencyOf(choices).list().ofMaxSize(maxOps);
    }

    /** States reached by a random multi-replica history, all sharing one universe of dots. */
    static Arbitrary<List<Siblings<Integer>>> historyStates() {
        return scenarios(3, 3, true, false, 30)
                .map(ops -> new ModelCluster(3, 3).run(ops).snapshots())
                .filter(states -> !states.isEmpty());
    }

    /** Picks {@code count} states from one history. */
    static Arbitrary<List<Siblings<Integer>>> statesFromOneHistory(int count) {
        return Combinators.combine(historyStates(), Arbitraries.integers().between(0, 10_000).list().ofSize(count))
                .as((states, picks) -> {
                    List<Siblings<Integer>> chosen = new ArrayList<>();
                    for (int p : picks) {
                        chosen.add(states.get(p % states.size()));
                    }
                    return chosen;
                });
    }

    static Map<ActorId, Long> counters(Object... actorCounterPairs) {
        Map<ActorId, Long> map = new TreeMap<>();
        for (int i = 0; i < actorCounterPairs.length; i += 2) {
            map.put((ActorId) actorCounterPairs[i], ((Number) actorCounterPairs[i + 1]).longValue());
        }
        return map;
    }
}

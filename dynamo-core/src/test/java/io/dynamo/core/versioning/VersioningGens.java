package io.dynamo.core.versioning;

import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.testing.Gens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/** Generators shared by the versioning properties. */
final class VersioningGens {

    private VersioningGens() {
    }

    static Gen<ActorId> actors() {
        Gen<String> nodes = Generate.pick(List.of("a", "b", "node-3", "ñode-δ", "\uD83D\uDE00"));
        Gen<Long> incarnations = Generate.pick(List.of(0L, 1L, 2L, -7L, Long.MIN_VALUE, Long.MAX_VALUE));
        return nodes.zip(incarnations, ActorId::new);
    }

    static Gen<VersionVector> vectors() {
        return Gens.maps(actors(), SourceDSL.longs().between(0, 6), 5).map(VersionVector::of);
    }

    /** Vectors with large counters too, for the codecs. */
    static Gen<VersionVector> wideVectors() {
        Gen<Long> counters = Generate.oneOf(
                SourceDSL.longs().between(1, 300),
                SourceDSL.longs().between(1, Long.MAX_VALUE));
        return Gens.maps(actors(), counters, 8).map(VersionVector::of);
    }

    /**
     * Any well-formed state: a context and a subset of the dots it covers, each dot's value
     * derived from the dot (so a dot names one value everywhere, as in a real cluster). Not
     * necessarily reachable by updates; the lattice laws must hold for these too.
     */
    static Gen<Siblings<String>> freeStates() {
        return vectors().flatMap(context -> {
            List<Dot> covered = new ArrayList<>();
            context.toMap().forEach((actor, n) -> {
                for (long c = 1; c <= n; c++) {
                    covered.add(new Dot(actor, c));
                }
            });
            return Gens.subsets(covered, 4).map(dots -> {
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

    /** A scenario of up to {@code maxOps} ops over {@code replicas} replicas and {@code clients} clients. */
    static Gen<List<ModelCluster.Op>> scenarios(int replicas, int clients, boolean syncs, boolean wipes,
                                                int maxOps) {
        return lists().of(ops(replicas, clients, syncs, wipes)).ofSizeBetween(0, maxOps);
    }

    /** One op: reads and writes, and syncs and wipes if asked for. */
    private static Gen<ModelCluster.Op> ops(int replicas, int clients, boolean syncs, boolean wipes) {
        Gen<Integer> replica = Generate.range(0, replicas - 1);
        Gen<Integer> client = Generate.range(0, clients - 1);
        List<Pair<Integer, Gen<ModelCluster.Op>>> choices = new ArrayList<>();
        choices.add(Pair.of(3, client.zip(replica, ModelCluster.Op.Read::new)));
        choices.add(Pair.of(4, client.zip(replica, ModelCluster.Op.Write::new)));
        if (syncs) {
            choices.add(Pair.of(3, replica.zip(replica, ModelCluster.Op.Sync::new)));
        }
        if (wipes) {
            choices.add(Pair.of(1, replica.map(ModelCluster.Op.Wipe::new)));
        }
        return Generate.frequency(choices);
    }

    /** States reached by a random multi-replica history of 1 to 30 ops, all sharing one universe of dots. */
    static Gen<List<Siblings<Integer>>> historyStates() {
        return lists().of(ops(3, 3, true, false)).ofSizeBetween(1, 30)
                .map(ops -> new ModelCluster(3, 3).run(ops).snapshots());
    }

    /** Picks {@code count} states from one history. */
    static Gen<List<Siblings<Integer>>> statesFromOneHistory(int count) {
        return historyStates().zip(lists().of(Generate.range(0, 10_000)).ofSize(count), (states, picks) -> {
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

package io.dynamo.core.versioning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A few replicas of one key, each holding a {@link Siblings} set, driven by client reads and
 * writes, replica syncs and data loss, next to an independent ground-truth model of causality.
 *
 * <p>The model knows nothing about dots or vectors. Each write {@code w} has a causal history
 * {@code hist(w)}: itself plus the histories of the values its client saw in the read whose
 * context it used. Each replica knows a set of writes, closed under history. The values a replica
 * should hold are exactly the maximal writes it knows: those in no other known write's history.
 * Anything else is a false sibling (an extra value) or a lost write (a missing one).
 */
final class ModelCluster {

    /** One step of a scenario. */
    sealed interface Op {
        /** {@code client} reads from {@code replica} and keeps the values and context. */
        record Read(int client, int replica) implements Op {
        }

        /** {@code client} writes a new value through {@code replica}, with its last read's context. */
        record Write(int client, int replica) implements Op {
        }

        /** {@code to} learns {@code from}'s state (anti-entropy, read repair or replication). */
        record Sync(int from, int to) implements Op {
        }

        /** {@code replica} loses its data directory and restarts. */
        record Wipe(int replica) implements Op {
        }
    }

    private static final class Client {
        VersionVector context = VersionVector.empty();
        Set<Integer> seen = Set.of();
    }

    private final List<Siblings<Integer>> replicas = new ArrayList<>();
    private final ActorId[] actors;
    private final List<Set<Integer>> known = new ArrayList<>();
    private final Client[] clients;
    private final Map<Integer, Set<Integer>> history = new HashMap<>();
    private final boolean newIncarnationOnWipe;
    private final List<Siblings<Integer>> snapshots = new ArrayList<>();
    private int nextWrite = 1;

    ModelCluster(int replicaCount, int clientCount, boolean newIncarnationOnWipe) {
        this.actors = new ActorId[replicaCount];
        for (int i = 0; i < replicaCount; i++) {
            replicas.add(Siblings.empty());
            actors[i] = new ActorId("node-" + i, 1000L * i + 1);
            known.add(new HashSet<>());
        }
        this.clients = new Client[clientCount];
        for (int i = 0; i < clientCount; i++) {
            clients[i] = new Client();
        }
        this.newIncarnationOnWipe = newIncarnationOnWipe;
    }

    ModelCluster(int replicaCount, int clientCount) {
        this(replicaCount, clientCount, true);
    }

    void apply(Op op) {
        switch (op) {
            case Op.Read read -> {
                Client c = clients[read.client()];
                c.context = replicas.get(read.replica()).context();
                c.seen = expected(read.replica());
            }
            case Op.Write write -> write(write.client(), write.replica());
            case Op.Sync sync -> {
                replicas.set(sync.to(), replicas.get(sync.to()).sync(replicas.get(sync.from())));
                known.get(sync.to()).addAll(known.get(sync.from()));
            }
            case Op.Wipe wipe -> {
                int x = wipe.replica();
                replicas.set(x, Siblings.empty());
                known.get(x).clear();
                if (newIncarnationOnWipe) {
                    actors[x] = new ActorId(actors[x].node(), actors[x].incarnation() + 1);
                }
            }
        }
        snapshots.addAll(replicas);
    }

    /** Applies every op; returns this for chaining. */
    ModelCluster run(List<? extends Op> ops) {
        ops.forEach(this::apply);
        return this;
    }

    /** Every replica syncs with every other, twice round a ring, so all converge. */
    ModelCluster syncAll() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < replicas.size(); i++) {
                apply(new Op.Sync(i, (i + 1) % replicas.size()));
            }
        }
        return this;
    }

    /** Returns the id of the write. */
    int write(int client, int replica) {
        Client c = clients[client];
        int id = nextWrite++;
        Set<Integer> hist = new HashSet<>();
        hist.add(id);
        for (int seen : c.seen) {
            hist.addAll(history.get(seen));
        }
        history.put(id, hist);
        replicas.set(replica, replicas.get(replica).update(c.context, id, actors[replica]));
        known.get(replica).addAll(hist);
        return id;
    }

    /** The values replica {@code x} holds. */
    Set<Integer> actual(int x) {
        Set<Integer> values = new TreeSet<>();
        for (Versioned<Integer> v : replicas.get(x).values()) {
            values.add(v.value());
        }
        return values;
    }

    /** The values replica {@code x} should hold: the maximal writes it knows. */
    Set<Integer> expected(int x) {
        Set<Integer> knownHere = known.get(x);
        Set<Integer> maximal = new TreeSet<>(knownHere);
        for (int w : knownHere) {
            for (int earlier : history.get(w)) {
                if (earlier != w) {
                    maximal.remove(earlier);
                }
            }
        }
        return maximal;
    }

    int replicaCount() {
        return replicas.size();
    }

    Siblings<Integer> state(int x) {
        return replicas.get(x);
    }

    /** Every state any replica held after any step, in order. */
    List<Siblings<Integer>> snapshots() {
        return snapshots;
    }
}

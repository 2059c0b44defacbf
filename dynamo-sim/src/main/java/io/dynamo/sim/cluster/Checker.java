package io.dynamo.sim.cluster;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.PreferenceList;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.testkit.cluster.SimCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants every run must keep, checked after healing and quiescence against the
 * {@link History}:
 *
 * <ol type="a">
 *   <li><b>No acknowledged write lost.</b> Every acknowledged write is visible to a read with
 *       R=N, or is in the causal history of a visible value (a later write read it and
 *       superseded it), or of a delete some client issued that may have been applied.</li>
 *   <li><b>No value that no client wrote</b>: every visible value is, byte for byte, a value a
 *       client wrote to that key; and no value a client deleted with an acknowledged delete is
 *       visible again.</li>
 *   <li><b>Siblings only for truly concurrent writes</b>: in every read of the run, no sibling is
 *       in the causal history of another.</li>
 *   <li><b>Replicas converge</b>: the N owners of every key hold the same state, and no other
 *       node holds data for it.</li>
 *   <li><b>Hints drain</b>: every node's hint store is empty.</li>
 * </ol>
 */
final class Checker {

    private final SimCluster cluster;
    private final History history;
    private final List<String> violations = new ArrayList<>();

    Checker(SimCluster cluster, History history) {
        this.cluster = cluster;
        this.history = history;
    }

    List<String> violations() {
        return violations;
    }

    /** (a) and (b) against the final R=N reads: key to the live siblings' write ids and values. */
    void checkFinal(Map<String, List<Versioned<Content>>> finalReads) {
        for (String key : history.keysWritten()) {
            List<Versioned<Content>> visible = finalReads.get(key);
            if (visible == null) {
                violations.add("(a) no final read of " + key + " succeeded");
                continue;
            }
            Set<Long> live = new HashSet<>();
            Set<Long> covered = new HashSet<>();
            for (Versioned<Content> v : visible) {
                long id = History.idOf(v.value().value());
                History.Write w = history.write(id);
                if (w == null || !w.key.equals(key) || !History.sameValue(w, v.value().value())) {
                    violations.add("(b) " + key + " shows a value no client wrote to it: "
                            + new String(v.value().value(), java.nio.charset.StandardCharsets.UTF_8));
                    continue;
                }
                live.add(id);
                covered.add(id);
                covered.addAll(history.ancestors(id));
            }
            for (History.Write w : history.writes()) {
                if (!w.key.equals(key)) {
                    continue;
                }
                if (w.kind == History.Kind.DELETE && !w.neverApplied) {
                    covered.add(w.id);
                    covered.addAll(history.ancestors(w.id));
                    if (w.acked) {
                        for (long id : live) {
                            if (history.ancestors(w.id).contains(id)) {
                                violations.add("(b) " + key + ": w" + id + " is visible although acknowledged delete w"
                                        + w.id + " read and removed it");
                            }
                        }
                    }
                }
            }
            for (History.Write w : history.writes()) {
                if (w.key.equals(key) && w.acked && w.kind != History.Kind.DELETE && !covered.contains(w.id)) {
                    violations.add("(a) acknowledged " + w + " is lost: final siblings " + live);
                }
            }
        }
    }

    /** (c) over every read the clients and the final check made. */
    void checkSiblings() {
        for (History.Read r : history.reads()) {
            for (long a : r.siblings()) {
                for (long b : r.siblings()) {
                    if (a != b && history.ancestors(b).contains(a)) {
                        violations.add("(c) a read of " + r.key() + " returned w" + a + " next to w" + b
                                + ", which descends from it: " + r.siblings());
                        return;
                    }
                }
            }
        }
    }

    /** (d) on the engines themselves. */
    void checkConvergence() {
        for (String key : history.keysWritten()) {
            StoredKey k = StoredKey.of(Workload.NAMESPACE, Workload.bytes(key));
            var ring = cluster.currentRing();
            int partition = ring.partitionOf(k.token());
            PreferenceList list = ring.preferenceList(k.token(), 3);
            Siblings<Content> first = null;
            for (NodeId owner : list.primaries()) {
                Siblings<Content> s = cluster.engine(owner).get(partition, k);
                if (first == null) {
                    first = s;
                } else if (!s.equals(first)) {
                    violations.add("(d) owners of " + key + " differ: " + list.primaries().get(0) + " has " + first
                            + ", " + owner + " has " + s);
                    break;
                }
            }
            for (NodeId other : cluster.ids()) {
                if (!list.primaries().contains(other) && !cluster.engine(other).get(partition, k).isEmpty()) {
                    violations.add("(d) " + other + " is not an owner of " + key + " but holds data for it");
                }
            }
        }
    }

    /** (e), and the sanity checks. */
    void checkHintsAndSanity() {
        for (NodeId id : cluster.ids()) {
            Map<NodeId, Long> hints = cluster.engine(id).hints().countsByTarget();
            if (!hints.isEmpty()) {
                violations.add("(e) " + id + " still holds hints: " + hints);
            }
            if (cluster.handlerErrors(id) != 0) {
                violations.add("(sanity) " + id + " had " + cluster.handlerErrors(id) + " handler errors");
            }
            if (cluster.isUp(id)) {
                var node = cluster.node(id);
                if (node.coordinator().inFlight() != 0) {
                    violations.add("(sanity) " + id + " still has " + node.coordinator().inFlight() + " requests in flight");
                }
            }
        }
    }
}

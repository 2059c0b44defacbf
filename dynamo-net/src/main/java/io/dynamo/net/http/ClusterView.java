package io.dynamo.net.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.membership.Transfer;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.PreferenceList;
import io.dynamo.core.ring.Ring;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.Endpoints;
import io.dynamo.net.server.NodeStatus;
import io.dynamo.server.DynamoNode;
import io.dynamo.server.coordinator.Coordinator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster as the dashboard and {@code dynamo admin} see it from one node: its cluster state
 * (members, ring, planned transfers) joined with every member's own view of itself, gathered over
 * the peer protocol; and where a key lives. Built on the node's thread.
 */
final class ClusterView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterView() {
    }

    /** The members to ask for their status: all but this node and those that left. */
    static List<NodeId> toAsk(DynamoNode node) {
        ClusterState state = node.clusterState().orElseThrow();
        return state.members().values().stream()
                .filter(e -> e.status() != MemberStatus.LEFT && !e.id().equals(node.id()))
                .map(MemberEntry::id).toList();
    }

    /** The body of {@code GET /admin/cluster}. */
    static ObjectNode cluster(DynamoServer server, DynamoNode node, ObjectNode self,
            Map<NodeId, DynamoNode.StatusAnswer> answers) {
        ClusterState state = node.clusterState().orElseThrow();
        Ring ring = state.ring();
        ObjectNode body = JSON.createObjectNode();
        body.put("served_by", node.id().value()).put("cluster", state.name()).put("time_ms", System.currentTimeMillis());

        ObjectNode r = body.putObject("ring");
        r.put("epoch", ring.epoch()).put("partitions", ring.partitionCount()).put("n", node.config().defaults().n())
                .put("settled", state.next().isEmpty());
        ObjectNode owned = r.putObject("partitions_owned");
        new TreeMap<>(ring.ownedPartitionCounts()).forEach((id, c) -> owned.put(id.value(), c));
        state.next().ifPresent(next -> {
            ObjectNode nx = r.putObject("next_partitions_owned");
            new TreeMap<>(next.ownedPartitionCounts()).forEach((id, c) -> nx.put(id.value(), c));
        });

        ArrayNode planned = body.putObject("transfers").putArray("planned");
        for (Transfer t : state.transfers(node.namespaces().view().replicationFactors())) {
            planned.addObject().put("partition", t.partition()).put("to", t.node().value())
                    .put("done", state.received().contains(t));
        }

        Map<NodeId, DynamoNode.PeerHealth> health = node.peerHealth();
        Map<NodeId, Integer> counts = ring.ownedPartitionCounts();
        ArrayNode members = body.putArray("members");
        for (MemberEntry e : state.members().values()) {
            ObjectNode m = member(members.addObject(), e);
            m.put("partitions", counts.getOrDefault(e.id(), 0)).put("generation", e.generation());
            boolean isSelf = e.id().equals(node.id());
            DynamoNode.PeerHealth h = health.get(e.id());
            m.put("reachable", isSelf || h != null && h.reachable());
            if (isSelf) {
                m.put("answered", true).putNull("error").set("view", self);
                continue;
            }
            DynamoNode.StatusAnswer a = answers.get(e.id());
            JsonNode view = a == null || a.json() == null ? null : parse(a.json());
            m.put("answered", view != null);
            if (view != null) {
                m.putNull("error").set("view", view);
            } else {
                m.put("error", e.status() == MemberStatus.LEFT ? "left the cluster"
                        : a == null ? "not asked" : a.error() != null ? a.error() : "its answer was not JSON");
                m.putNull("view");
            }
        }
        return body;
    }

    /** A member's id, zone, status and addresses (each endpoint, or the raw address when it does not parse) into {@code m}. */
    static ObjectNode member(ObjectNode m, MemberEntry e) {
        m.put("id", e.id().value()).put("zone", e.zone()).put("status", NodeStatus.status(e.status()));
        var ep = Endpoints.parse(e.address());
        if (ep.isPresent()) {
            m.put("peer", Endpoints.hostPort(ep.get().peer())).put("client", Endpoints.hostPort(ep.get().client()))
                    .put("http", Endpoints.hostPort(ep.get().http()));
        } else {
            m.put("address", e.address());
        }
        return m;
    }

    private static JsonNode parse(byte[] json) {
        try {
            JsonNode tree = JSON.readTree(json);
            return tree != null && tree.isObject() ? tree : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The body of {@code GET /admin/preflist}. */
    static ObjectNode preflist(DynamoNode node, String bucket, String key, Coordinator.Placement p) {
        ObjectNode body = JSON.createObjectNode();
        body.put("bucket", bucket).put("key", key).put("n", p.n()).put("partition", p.partition());
        ArrayNode primaries = body.putArray("primaries");
        p.primaries().forEach(id -> primaries.add(id.value()));
        ArrayNode now = body.putArray("now");
        TreeSet<NodeId> served = new TreeSet<>();
        for (PreferenceList.Target t : p.now()) {
            ObjectNode o = now.addObject().put("node", t.node().value());
            if (t.isFallback()) {
                o.put("stands_in_for", t.intendedFor().value());
            }
            served.add(t.isFallback() ? t.intendedFor() : t.node());
        }
        ArrayNode unreachable = body.putArray("unreachable");
        Map<NodeId, DynamoNode.PeerHealth> health = node.peerHealth();
        for (NodeId id : p.primaries()) {
            DynamoNode.PeerHealth h = health.get(id);
            if (h != null && !h.reachable()) {
                unreachable.add(id.value());
            }
        }
        ArrayNode uncovered = body.putArray("uncovered");
        p.primaries().stream().filter(id -> !served.contains(id)).forEach(id -> uncovered.add(id.value()));
        ArrayNode next = body.putArray("next_owners");
        p.nextOwners().forEach(id -> next.add(id.value()));
        return body;
    }
}

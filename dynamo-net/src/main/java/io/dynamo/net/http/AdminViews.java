package io.dynamo.net.http;

import static io.dynamo.net.http.Responses.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.membership.Transfer;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.net.server.Endpoints;
import io.dynamo.net.server.NodeMetrics;
import io.dynamo.net.server.NodeStatus;
import io.dynamo.server.DynamoNode;
import io.dynamo.server.coordinator.Namespaces;
import io.dynamo.wire.netty.NettyIo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The read-only admin views of {@code docs/api.md}'s Admin table, as JSON: this node's status,
 * the ring, the members, transfers, anti-entropy and bucket properties. The status, ring,
 * members, transfers and anti-entropy read node state, so are built on the node's thread; the
 * bucket views read an immutable {@link Namespaces.View}, on any thread.
 */
final class AdminViews {

    private final DynamoServer server;

    AdminViews(DynamoServer server) {
        this.server = server;
    }

    /** The default properties, and every bucket with properties of its own. */
    ObjectNode buckets(DynamoNode node) {
        Namespaces.View view = node.namespaces().view();
        ObjectNode body = JSON.createObjectNode();
        view.defaults().toMap().forEach(body.putObject("defaults")::put);
        ObjectNode buckets = body.putObject("buckets");
        view.defined().keySet().forEach(b -> buckets.set(b, bucket(view, b)));
        return body;
    }

    /** A bucket's properties as this node applies them, and where they come from. */
    ObjectNode bucket(Namespaces.View view, String bucket) {
        ObjectNode body = JSON.createObjectNode().put("bucket", bucket);
        view.properties(bucket).toMap().forEach(body.putObject("props")::put);
        var setting = view.setting(bucket);
        String source = setting.isPresent() && !setting.get().isReset() && !view.problems().containsKey(bucket)
                ? "cluster" : server.config().namespaces().containsKey(bucket) ? "config" : "defaults";
        body.put("source", source);
        setting.ifPresent(s -> body.putObject("setting").put("version", s.version()).put("by", s.by().value())
                .put("reset", s.isReset()));
        String problem = view.problems().get(bucket);
        if (problem != null) {
            body.put("problem", problem);
        }
        return body;
    }

    ObjectNode status() {
        ObjectNode s = JSON.createObjectNode();
        s.put("node", server.config().nodeId().value());
        DynamoNode node = server.node().orElse(null);
        s.put("state", server.closing() ? "stopping" : node == null ? "waiting_to_join" : "up");
        s.put("cluster", server.clusterName());
        s.put("zone", server.config().zone());
        s.put("uptime_ms", System.currentTimeMillis() - server.startedMillis());
        s.put("version", NodeStatus.version());
        s.put("io", NettyIo.flavour());
        ObjectNode ep = s.putObject("endpoints");
        ep.put("peer", Endpoints.hostPort(server.endpoints().peer()));
        ep.put("client", Endpoints.hostPort(server.endpoints().client()));
        ep.put("http", Endpoints.hostPort(server.endpoints().http()));
        if (node != null) {
            node.clusterState().ifPresent(state -> {
                s.put("ring_epoch", state.ring().epoch());
                s.put("partitions", state.ring().partitionCount());
                s.put("members", state.members().size());
                s.put("ring_settled", state.next().isEmpty());
                s.put("status", state.member(node.id()).map(e -> e.status().toString().toLowerCase(java.util.Locale.ROOT))
                        .orElse("unknown"));
            });
            ArrayNode unreachable = s.putArray("unreachable");
            new TreeMap<>(toMap(node.unreachablePeers())).keySet().forEach(unreachable::add);
            NodeMetrics.Snapshot m = NodeMetrics.of(node);
            s.put("in_flight", m.inFlight());
            s.put("pending_hints", m.pendingHints());
            s.put("transfers_pending", m.transfersPending());
            s.put("anti_entropy_exchanges", m.aeExchanges());
        }
        var t = server.transport().stats();
        ObjectNode tr = s.putObject("transport");
        tr.put("sent", t.sent()).put("received", t.received()).put("overload_drops", t.overloadDrops())
                .put("unreachable_drops", t.unreachableDrops()).put("inbound_drops", t.inboundDrops())
                .put("bad_connections", t.closedForBadInput()).put("open_outbound", t.openOutbound())
                .put("open_inbound", t.openInbound());
        return s;
    }

    private static Map<String, Boolean> toMap(Set<NodeId> ids) {
        Map<String, Boolean> m = new TreeMap<>();
        ids.forEach(id -> m.put(id.value(), true));
        return m;
    }

    ObjectNode ring(DynamoNode node) {
        ObjectNode body = JSON.createObjectNode();
        ClusterState state = node.clusterState().orElseThrow();
        Ring ring = state.ring();
        int n = node.config().defaults().n();
        body.put("epoch", ring.epoch()).put("partitions", ring.partitionCount()).put("n", n);
        ObjectNode share = body.putObject("partitions_owned");
        new TreeMap<>(ring.ownedPartitionCounts()).forEach((id, c) -> share.put(id.value(), c));
        ArrayNode owners = body.putArray("owners");
        for (int p = 0; p < ring.partitionCount(); p++) {
            ArrayNode nodes = owners.addObject().put("partition", p).putArray("nodes");
            ClusterState.owners(ring, p, n).forEach(id -> nodes.add(id.value()));
        }
        state.next().ifPresent(next -> {
            ObjectNode nx = body.putObject("next");
            nx.put("epoch", next.epoch());
            ObjectNode s = nx.putObject("partitions_owned");
            new TreeMap<>(next.ownedPartitionCounts()).forEach((id, c) -> s.put(id.value(), c));
            ArrayNode nextOwners = nx.putArray("owners");
            for (int p = 0; p < next.partitionCount(); p++) {
                ArrayNode nodes = nextOwners.addObject().put("partition", p).putArray("nodes");
                ClusterState.owners(next, p, n).forEach(id -> nodes.add(id.value()));
            }
        });
        return body;
    }

    ObjectNode members(DynamoNode node) {
        ObjectNode body = JSON.createObjectNode();
        ClusterState state = node.clusterState().orElseThrow();
        Set<NodeId> unreachable = node.unreachablePeers();
        Map<NodeId, Integer> owned = state.ring().ownedPartitionCounts();
        ArrayNode list = body.putArray("members");
        for (MemberEntry e : state.members().values()) {
            ObjectNode m = ClusterView.member(list.addObject(), e);
            m.put("reachable", e.id().equals(node.id()) || !unreachable.contains(e.id()));
            m.put("partitions", owned.getOrDefault(e.id(), 0));
            m.put("generation", e.generation());
        }
        return body;
    }

    ObjectNode transfers(DynamoNode node) {
        ObjectNode body = JSON.createObjectNode();
        ClusterState state = node.clusterState().orElseThrow();
        body.put("ring_settled", state.next().isEmpty());
        ArrayNode planned = body.putArray("planned");
        var ns = node.namespaces().view().replicationFactors();
        for (Transfer t : state.transfers(ns)) {
            planned.addObject().put("partition", t.partition()).put("to", t.node().value())
                    .put("done", state.received().contains(t));
        }
        node.transfers().ifPresent(tr -> NodeStatus.transfers(body.putObject("this_node"), tr.progress()));
        return body;
    }

    ObjectNode antiEntropy(DynamoNode node) {
        ObjectNode body = JSON.createObjectNode();
        var ae = node.antiEntropy();
        body.put("exchanges", ae.exchanges()).put("failed", ae.exchangesFailed()).put("keys_repaired",
                ae.keysRepaired()).put("keys_sent", ae.keysSent()).put("tombstones_purged", node.reaper().purged());
        ClusterState state = node.clusterState().orElseThrow();
        Ring ring = state.ring();
        int n = node.namespaces().view().largestN();
        long now = System.currentTimeMillis();
        ArrayNode parts = body.putArray("partitions");
        for (int p = 0; p < ring.partitionCount(); p++) {
            List<NodeId> owners = ClusterState.owners(ring, p, n);
            if (!owners.contains(node.id())) {
                continue;
            }
            ObjectNode entry = parts.addObject().put("partition", p);
            ObjectNode peers = entry.putObject("last_sync_ms_ago");
            for (NodeId peer : owners) {
                if (!peer.equals(node.id())) {
                    var last = ae.lastSync(p, peer);
                    if (last.isPresent()) {
                        peers.put(peer.value(), Math.max(0, now - last.get()));
                    } else {
                        peers.putNull(peer.value());
                    }
                }
            }
        }
        return body;
    }
}

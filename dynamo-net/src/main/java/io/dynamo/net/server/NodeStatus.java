package io.dynamo.net.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.server.DynamoNode;
import io.dynamo.server.transfer.Transfers;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's own view of itself, as {@code GET /admin/node} serves it and as it answers a peer's
 * status request (so the dashboard served by any node shows every node's figures): uptime, data
 * size, what its failure detection thinks of each peer, hints, transfers, anti-entropy per
 * partition, admission control and the last minutes of traffic. Built on the node's thread.
 */
public final class NodeStatus {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * At most this many partitions of anti-entropy detail (about 150 bytes each): the status
     * travels in one peer frame, and a ring of 65,536 partitions would not fit.
     */
    static final int MAX_ANTI_ENTROPY_PARTITIONS = 4096;

    private NodeStatus() {
    }

    /** The status as JSON bytes, traffic samples after {@code trafficSinceMillis} only. On the node's thread. */
    public static byte[] bytes(DynamoServer server, DynamoNode node, long trafficSinceMillis) {
        try {
            return JSON.writeValueAsBytes(of(server, node, trafficSinceMillis));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status, traffic samples after {@code trafficSinceMillis} only. On the node's thread. */
    public static ObjectNode of(DynamoServer server, DynamoNode node, long trafficSinceMillis) {
        long now = System.currentTimeMillis();
        ObjectNode s = JSON.createObjectNode();
        s.put("node", node.id().value());
        s.put("zone", server.config().zone());
        s.put("state", server.closing() ? "stopping" : "up");
        s.put("uptime_ms", now - server.startedMillis());
        s.put("version", version());
        s.put("time_ms", now);
        s.put("in_flight", node.coordinator().inFlight());
        s.putObject("data").put("bytes", node.approximateDataSize()).put("partitions", node.storedPartitions());

        ObjectNode peers = s.putObject("peers");
        node.peerHealth().forEach((id, h) -> peers.putObject(id.value()).put("state", status(h.state()))
                .put("reachable", h.reachable()).put("timed_out", h.timedOut()).put("suspected", h.suspected())
                // phi grows without bound while a peer is silent; JSON has no Infinity.
                .put("phi", Math.round(Math.min(h.phi(), 1e6) * 100) / 100.0));

        ObjectNode hints = s.putObject("hints");
        ObjectNode pending = hints.putObject("pending");
        new TreeMap<>(node.pendingHints()).forEach((id, c) -> pending.put(id.value(), c));
        hints.put("delivered", node.handoff().delivered()).put("deferred", node.handoff().deferred());

        var progress = node.transfers().map(t -> t.progress()).orElse(null);
        if (progress == null || progress.pending() == 0 && progress.active().isEmpty() && progress.done() == 0
                && progress.handedOff() == 0) {
            s.putNull("transfers");
        } else {
            transfers(s.putObject("transfers"), progress);
        }

        s.set("anti_entropy", antiEntropy(node, now));
        s.putObject("admission").put("refused", node.admission().refused());
        s.set("traffic", traffic(server.metrics().traffic(), trafficSinceMillis));
        return s;
    }

    /**
     * A node's transfer progress into {@code o}, as {@code /admin/node} and {@code /admin/transfers}
     * spell it: {@code active_partition} and {@code phase} are null while no partition is being
     * received (never a -1 or an empty phase a page would show).
     */
    public static ObjectNode transfers(ObjectNode o, Transfers.Progress p) {
        o.put("pending", p.pending());
        if (p.active().isPresent()) {
            o.put("active_partition", p.active().getAsInt()).put("phase", p.activePhase());
        } else {
            o.putNull("active_partition").putNull("phase");
        }
        return o.put("done", p.done()).put("keys_moved", p.keysMoved()).put("bytes_moved", p.bytesMoved())
                .put("bytes_per_second", Math.round(p.bytesPerSecond())).put("handed_off", p.handedOff())
                .put("keys_handed_off", p.keysHandedOff());
    }

    private static ObjectNode antiEntropy(DynamoNode node, long now) {
        var ae = node.antiEntropy();
        ObjectNode body = JSON.createObjectNode();
        body.put("exchanges", ae.exchanges()).put("failed", ae.exchangesFailed())
                .put("keys_repaired", ae.keysRepaired()).put("keys_sent", ae.keysSent())
                .put("tombstones_purged", node.reaper().purged());
        var parts = body.putArray("partitions");
        ClusterState state = node.clusterState().orElse(null);
        if (state == null) {
            return body;
        }
        Ring ring = state.ring();
        int n = Math.min(node.namespaces().view().largestN(), ring.members().size());
        for (int p = 0; p < ring.partitionCount(); p++) {
            List<NodeId> owners = ClusterState.owners(ring, p, n);
            if (!owners.contains(node.id())) {
                continue;
            }
            if (parts.size() == MAX_ANTI_ENTROPY_PARTITIONS) {
                body.put("partitions_truncated", true);
                break;
            }
            ObjectNode replicas = parts.addObject().put("partition", p).putObject("replicas");
            for (NodeId peer : owners) {
                if (peer.equals(node.id())) {
                    continue;
                }
                var last = ae.lastExchange(p, peer);
                if (last.isEmpty()) {
                    replicas.putNull(peer.value());
                } else {
                    replicas.putObject(peer.value()).put("last_sync_ms_ago", Math.max(0, now - last.get().atMillis()))
                            .put("differing_segments", last.get().differingSegments())
                            .put("keys_repaired", last.get().keysRepaired())
                            .put("keys_sent", last.get().keysSent());
                }
            }
        }
        return body;
    }

    private static ObjectNode traffic(TrafficHistory history, long since) {
        ObjectNode t = JSON.createObjectNode().put("interval_ms", 1000);
        var samples = t.putArray("samples");
        for (TrafficHistory.Sample s : history.since(since)) {
            ObjectNode o = samples.addObject().put("t", s.epochMillis());
            ObjectNode ops = o.putObject("ops");
            for (Map.Entry<String, TrafficHistory.OpSample> e : s.ops().entrySet()) {
                TrafficHistory.OpSample op = e.getValue();
                ObjectNode j = ops.putObject(e.getKey()).put("rate", round(op.rate()));
                putMillis(j, "p50_ms", op.p50Millis());
                putMillis(j, "p99_ms", op.p99Millis());
                putMillis(j, "p999_ms", op.p999Millis());
            }
            o.put("overloaded", s.overloaded()).put("admission_refused", s.admissionRefused())
                    .put("errors", s.errors()).put("gets_with_siblings", s.getsWithSiblings())
                    .put("max_siblings", s.maxSiblings());
        }
        return t;
    }

    private static void putMillis(ObjectNode o, String name, double millis) {
        if (Double.isNaN(millis)) {
            o.putNull(name);
        } else {
            o.put(name, Math.round(millis * 1000) / 1000.0);
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** The build's version, or "dev" when run from classes. */
    public static String version() {
        String v = NodeStatus.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** A member status as the admin endpoints spell it. */
    public static String status(Enum<?> status) {
        return status.toString().toLowerCase(Locale.ROOT);
    }
}

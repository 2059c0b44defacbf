package io.dynamo.testkit.cluster;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.storage.InMemoryStorageEngine;
import io.dynamo.server.DynamoNode;
import io.dynamo.server.NodeConfig;
import io.dynamo.testkit.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A whole cluster of {@link DynamoNode}s in one {@link Simulation}: one thread, virtual time, the
 * simulated network, an in-memory storage engine per node. Nodes crash (their memory and their
 * buffered writes since the last flush are gone; durable writes, hints and metadata survive) and
 * restart (a new node graph on the surviving storage, with a new incarnation); their disks can be
 * made slow ({@link #setSyncDelay}) or wiped ({@link #wipe}). The environment
 * flushes every live engine once per flush interval, like the RocksDB engine's background
 * flusher does.
 */
public final class SimCluster {

    /** How to build a cluster. */
    public record Options(int nodes, int zones, int partitions, Duration flushInterval,
            UnaryOperator<NodeConfig> configure) {

        public Options {
            if (nodes < 1) {
                throw new IllegalArgumentException("nodes must be at least 1, was " + nodes);
            }
            if (zones < 1 || zones > nodes) {
                throw new IllegalArgumentException("zones must be in 1.." + nodes + ", was " + zones);
            }
            Objects.requireNonNull(flushInterval, "flushInterval");
            Objects.requireNonNull(configure, "configure");
        }

        /** {@code nodes} nodes in one zone, 64 partitions, 1 s flush interval, simulator-friendly timeouts. */
        public static Options of(int nodes) {
            return new Options(nodes, 1, 64, Duration.ofSeconds(1), UnaryOperator.identity());
        }

        public Options withZones(int z) {
            return new Options(nodes, z, partitions, flushInterval, configure);
        }

        public Options withConfig(UnaryOperator<NodeConfig> more) {
            UnaryOperator<NodeConfig> before = configure;
            return new Options(nodes, zones, partitions, flushInterval, c -> more.apply(before.apply(c)));
        }
    }

    private final Simulation sim;
    private final Options options;
    private final Ring ring;
    private final ClaimStrategy strategy;
    private final ClusterState bootstrap;
    private final List<NodeId> ids = new ArrayList<>();
    private final Map<NodeId, InMemoryStorageEngine> engines = new LinkedHashMap<>();
    private final Map<NodeId, DynamoNode> nodes = new LinkedHashMap<>();
    private final Map<NodeId, Duration> syncDelays = new LinkedHashMap<>();
    private final Map<NodeId, Long> retiredHandlerErrors = new LinkedHashMap<>();
    private final Map<NodeId, Long> retiredPurges = new LinkedHashMap<>();
    private final Map<NodeId, SlowDisk> disks = new LinkedHashMap<>();
    private Duration clientServiceTime = Duration.ZERO;

    public SimCluster(Simulation sim, Options options) {
        this.sim = Objects.requireNonNull(sim, "sim");
        this.options = Objects.requireNonNull(options, "options");
        List<Member> members = new ArrayList<>();
        for (int i = 1; i <= options.nodes(); i++) {
            NodeId id = NodeId.of("n" + i);
            ids.add(id);
            members.add(Member.of(id.value(), "z" + ((i - 1) % options.zones() + 1)));
        }
        this.strategy = ClaimStrategy.equalPartitions(options.partitions(), 3);
        this.bootstrap = ClusterState.bootstrap(members, strategy, sim.random("ring"));
        this.ring = bootstrap.ring();
        for (NodeId id : ids) {
            engines.put(id, InMemoryStorageEngine.create());
            start(id);
        }
        sim.scheduler().schedule(options.flushInterval(), this::flushAll);
    }

    /**
     * Node config for {@code id} before the options' changes: timeouts suited to millisecond
     * latencies, a 2 s tombstone grace so that runs see purges, an anti-entropy exchange every
     * 200 ms per node, transfers looked for every 200 ms in chunks of 64 keys, and partitions
     * handed off 3 s after a ring change.
     */
    public static NodeConfig baseConfig(NodeId id) {
        return NodeConfig.defaults(id)
                .withTransfers(Duration.ofMillis(200), 64, Duration.ofSeconds(3))
                .withReplicaTimeout(Duration.ofMillis(500))
                .withTombstoneGrace(Duration.ofSeconds(2))
                .withAntiEntropyInterval(Duration.ofMillis(200))
                .withHintDelivery(Duration.ofMillis(200), 64, 1000, Duration.ofMillis(500), Duration.ofSeconds(5));
    }

    private void start(NodeId id) {
        start(id, bootstrap);
    }

    private void start(NodeId id, ClusterState from) {
        NodeConfig config = options.configure().apply(baseConfig(id));
        SlowDisk disk = new SlowDisk(engines.get(id), sim.scheduler());
        disk.setSyncDelay(syncDelays.getOrDefault(id, Duration.ZERO));
        disks.put(id, disk);
        DynamoNode node = DynamoNode.start(config, sim.scheduler().clockFor(id), sim.scheduler().forNode(id),
                sim.random("node/" + id + "/" + sim.scheduler().forNode(id).incarnation()),
                sim.network().endpoint(id), disk, new DynamoNode.Membership(from,
                        List.of(ids.get(0), ids.get(Math.min(1, ids.size() - 1))), strategy, Duration.ofSeconds(1)));
        node.reportEventsTo((kind, message) -> sim.trace().record("event " + id + " " + kind.label() + ": " + message));
        nodes.put(id, node);
    }

    /**
     * Starts a new node {@code id} in {@code zone} that asks to join: it knows only itself and the
     * seeds; gossip brings it the cluster's state, the claimant plans a ring change that gives it
     * partitions, and it streams them from their current owners.
     */
    public void join(NodeId id, String zone) {
        if (engines.containsKey(id)) {
            throw new IllegalArgumentException(id + " is already a node of this cluster");
        }
        ids.add(id);
        engines.put(id, InMemoryStorageEngine.create());
        start(id, ClusterState.joining(id, zone, id.value(), 1, strategy));
    }

    private void flushAll() {
        for (NodeId id : ids) {
            if (nodes.containsKey(id)) {
                engines.get(id).flush();
            }
        }
        sim.scheduler().schedule(options.flushInterval(), this::flushAll);
    }

    /** Crashes {@code id}: its memory and unflushed buffered writes are lost. Does nothing if it is down. */
    public void crash(NodeId id) {
        DynamoNode gone = nodes.remove(id);
        if (gone == null) {
            return;
        }
        retiredHandlerErrors.merge(id, gone.handlerErrors(), Long::sum);
        retiredPurges.merge(id, gone.replicas().purged(), Long::sum);
        sim.scheduler().crash(id);
        engines.put(id, engines.get(id).crash());
    }

    /**
     * Kills {@code id}'s process (SIGKILL): a {@link #crash} whose connections the kernel resets,
     * so the other nodes learn at once that requests in flight to it are lost.
     */
    public void kill(NodeId id) {
        if (nodes.containsKey(id)) {
            crash(id);
            sim.network().resetConnections(id);
        }
    }

    /**
     * Crashes {@code id} and replaces its storage with an empty engine: a node whose disk was
     * lost, metadata included. Restart it with {@link #restart}.
     */
    public void wipe(NodeId id) {
        crash(id);
        engines.put(id, InMemoryStorageEngine.create());
    }

    /** Makes {@code id}'s durable writes report durable {@code delay} late (a slow disk); zero restores it. */
    public void setSyncDelay(NodeId id, Duration delay) {
        syncDelays.put(id, delay);
        SlowDisk disk = disks.get(id);
        if (disk != null) {
            disk.setSyncDelay(delay);
        }
    }

    /**
     * Restarts {@code id} on what its storage kept. Does nothing if it is up, or if it has left
     * the cluster (its persisted state says so: such a node stays down).
     */
    public void restart(NodeId id) {
        if (!nodes.containsKey(id) && !hasLeft(id)) {
            start(id);
        }
    }

    /** Whether {@code id}'s own persisted cluster state says it has left. */
    public boolean hasLeft(NodeId id) {
        return engines.get(id).metadata().get(DynamoNode.CLUSTER_STATE_KEY)
                .map(io.dynamo.core.membership.ClusterStateCodec::decode)
                .flatMap(state -> state.member(id))
                .map(e -> e.status() == io.dynamo.core.membership.MemberStatus.LEFT)
                .orElse(false);
    }

    /**
     * An operator's leave of {@code id}, given to the first live seed (or any live node): the
     * claimant plans its partitions away, it hands them off, and it is left.
     */
    public java.util.concurrent.CompletableFuture<Void> leave(NodeId id) {
        for (NodeId via : ids) {
            if (nodes.containsKey(via) && !via.equals(id)) {
                return nodes.get(via).leave(id);
            }
        }
        throw new IllegalStateException("no live node to take the leave of " + id);
    }

    /** The merge of every live node's view of the cluster: what gossip converges to. */
    public ClusterState view() {
        ClusterState merged = null;
        for (DynamoNode node : nodes.values()) {
            ClusterState s = node.clusterState().orElseThrow();
            merged = merged == null ? s : merged.merge(s);
        }
        if (merged == null) {
            throw new IllegalStateException("no node is up");
        }
        return merged;
    }

    /** The ring in force in {@link #view()}. */
    public Ring currentRing() {
        return view().ring();
    }

    /**
     * Whether every live node has the same view, with no ring change under way and the
     * hand-offs done (no live node holds data of a partition it does not own).
     */
    public boolean settled() {
        ClusterState v = view();
        if (v.next().isPresent() || v.needsRebalance()) {
            return false;
        }
        for (var e : nodes.entrySet()) {
            ClusterState s = e.getValue().clusterState().orElseThrow();
            if (s.digest() != v.digest()) {
                return false;
            }
        }
        Ring r = v.ring();
        for (NodeId id : nodes.keySet()) {
            for (int p : engines.get(id).partitions()) {
                if (!ClusterState.owners(r, p, 3).contains(id)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Handler errors of every incarnation of {@code id} so far (a bug; should stay zero). */
    public long handlerErrors(NodeId id) {
        DynamoNode node = nodes.get(id);
        return retiredHandlerErrors.getOrDefault(id, 0L) + (node == null ? 0 : node.handlerErrors());
    }

    /** Tombstones removed by every incarnation of every node so far. */
    public long tombstonesPurged() {
        long total = 0;
        for (NodeId id : ids) {
            DynamoNode node = nodes.get(id);
            total += retiredPurges.getOrDefault(id, 0L) + (node == null ? 0 : node.replicas().purged());
        }
        return total;
    }

    public boolean isUp(NodeId id) {
        return nodes.containsKey(id);
    }

    public List<NodeId> ids() {
        return Collections.unmodifiableList(ids);
    }

    /** The live node {@code id}; throws if it is down. */
    public DynamoNode node(NodeId id) {
        DynamoNode node = nodes.get(id);
        if (node == null) {
            throw new IllegalStateException(id + " is down");
        }
        return node;
    }

    /** The storage of {@code id} (its current engine, up or down). */
    public InMemoryStorageEngine engine(NodeId id) {
        return engines.get(id);
    }

    /**
     * The ring the cluster started with. Nodes learn later rings by gossip ({@link
     * DynamoNode#clusterState()}); tests that change membership read those.
     */
    public Ring ring() {
        return ring;
    }

    /**
     * What handling one client request (coordinating it, and its local replica's part) costs the
     * node it reaches, once {@link io.dynamo.testkit.SimNetwork#setServiceTime} gives nodes a
     * capacity: the request waits its turn in the node's queue. Zero (the default) runs requests
     * at once.
     */
    public void setClientServiceTime(Duration cost) {
        this.clientServiceTime = Objects.requireNonNull(cost, "cost");
    }

    Duration clientServiceTime() {
        return clientServiceTime;
    }

    public Simulation sim() {
        return sim;
    }

    /** A client that talks to this cluster with its own timeouts. */
    public SimClient client(String name) {
        return new SimClient(this, name, sim.random("client/" + name));
    }
}

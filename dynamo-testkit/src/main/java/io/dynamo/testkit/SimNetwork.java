package io.dynamo.testkit;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.RandomSource;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Transport;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A simulated network on a {@link SimScheduler}: every message is a task scheduled on the
 * receiver's {@link SimScheduler.NodeView}, after a latency drawn from a seeded stream. What
 * happens to a message, in order, at send time:
 * <ol>
 *   <li>dropped if the sender's incarnation has crashed, or the receiver has no live incarnation
 *       (never started, or crashed and not restarted);</li>
 *   <li>dropped if the link from sender to receiver is blocked ({@link #block}, {@link
 *       #partition});</li>
 *   <li>the {@linkplain #filters() message filters}: drop, extra delay, one more copy;</li>
 *   <li>the random {@link NetworkFaults}: drop, duplicate, latency per copy.</li>
 * </ol>
 * A message is bound to the receiver's incarnation at send time, so a crash of the receiver
 * cancels its deliveries with its other tasks, and a restarted node never sees messages sent to
 * its previous life. A link blocked while a message is in flight drops it on arrival.
 *
 * <p>A restart is {@link #endpoint} called again after the node crashed: it returns a fresh
 * endpoint bound to the new incarnation, whose handler must be set anew.
 */
public final class SimNetwork {

    private final SimScheduler scheduler;
    private final RandomSource random;
    private final Trace trace;
    private final Map<NodeId, Endpoint> endpoints = new HashMap<>();
    private final Set<Link> blocked = new HashSet<>();
    private final MessageFilters filters = new MessageFilters();
    private NetworkFaults faults;
    private java.util.function.Function<Message, Duration> serviceTime = m -> Duration.ZERO;
    private long sent;
    private long delivered;
    private long dropped;
    private long duplicated;
    /** Per node, per kind of work (a message's type, or "client request"): the service time spent. */
    private final Map<NodeId, Map<String, Long>> busy = new HashMap<>();

    /** A network drawing its faults from {@code random}, which it then owns. */
    public SimNetwork(SimScheduler scheduler, RandomSource random, NetworkFaults faults) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.trace = scheduler.trace();
    }

    /**
     * The transport of {@code node}'s current incarnation, starting one (through {@link
     * SimScheduler#forNode}) if the node is not up: the first start, or a restart after a crash.
     */
    public Transport endpoint(NodeId node) {
        Endpoint e = endpoints.get(node);
        if (e == null || !e.view.isAlive()) {
            e = new Endpoint(scheduler.forNode(node));
            endpoints.put(node, e);
            for (Endpoint other : endpoints.values()) {
                other.resetsHeard.remove(node); // it listens again
            }
        }
        return e;
    }

    /** The targeted faults for scenario tests. */
    public MessageFilters filters() {
        return filters;
    }

    /** The shared event trace (the scheduler's). */
    public Trace trace() {
        return trace;
    }

    public NetworkFaults faults() {
        return faults;
    }

    /** Changes the random faults from now on; messages in flight keep their latency. */
    public void setFaults(NetworkFaults newFaults) {
        this.faults = Objects.requireNonNull(newFaults, "faults");
    }

    /**
     * Cuts every link between nodes on different sides, both ways. Nodes named on no side keep
     * every link they have; blocks already in place stay (combine calls for any shape).
     */
    @SafeVarargs
    public final void partition(Set<NodeId>... sides) {
        StringBuilder shape = new StringBuilder("partition");
        for (int i = 0; i < sides.length; i++) {
            shape.append(' ').append(new TreeSet<>(sides[i]));
            for (int j = 0; j < sides.length; j++) {
                if (i != j) {
                    for (NodeId a : sides[i]) {
                        for (NodeId b : sides[j]) {
                            blocked.add(new Link(a, b));
                        }
                    }
                }
            }
        }
        trace.record(shape.toString());
    }

    /** Cuts the link from {@code from} to {@code to} only: the other direction still works. */
    public void block(NodeId from, NodeId to) {
        blocked.add(new Link(from, to));
        trace.record("block " + from + "->" + to);
    }

    /** Restores the link from {@code from} to {@code to}. */
    public void unblock(NodeId from, NodeId to) {
        blocked.remove(new Link(from, to));
        trace.record("unblock " + from + "->" + to);
    }

    /** Restores every link cut by {@link #partition} or {@link #block}. */
    public void heal() {
        blocked.clear();
        trace.record("heal");
    }

    /** Whether messages from {@code from} to {@code to} are currently cut. */
    public boolean isBlocked(NodeId from, NodeId to) {
        return blocked.contains(new Link(from, to));
    }

    /** Counters since the network was made. */
    public Stats stats() {
        return new Stats(sent, delivered, dropped, duplicated);
    }

    /**
     * Message counts: {@code sent} counts {@link Transport#send} calls, {@code delivered} handler
     * invocations (duplicates included), {@code dropped} messages lost at send or on arrival (not
     * those cancelled by a receiver's crash), {@code duplicated} extra copies made.
     */
    public record Stats(long sent, long delivered, long dropped, long duplicated) {
    }

    private void send(Endpoint sender, NodeId to, Message message) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
        sent++;
        NodeId from = sender.self();
        String label = from + "->" + to + " " + label(message);
        if (!sender.view.isAlive()) {
            drop(label, "sender crashed");
            return;
        }
        Endpoint target = endpoints.get(to);
        if (target == null || !target.view.isAlive()) {
            drop(label, "receiver down");
            if (sender.resetsHeard.contains(to)) {
                // Its connections were reset and the sender has heard: a new connection is refused.
                long latency = Math.max(0, faults.latency().sampleNanos(random));
                sender.view.schedule(Duration.ofNanos(latency), () -> sender.connectionLost.connectionLost(to,
                        "cannot connect to " + to + ": connection refused", false));
            }
            return;
        }
        if (blocked.contains(new Link(from, to))) {
            drop(label, "link cut");
            return;
        }
        long extraDelay = 0;
        int copies = 1;
        for (MessageFilters.Filter f : filters.matching(from, to, message)) {
            f.count();
            switch (f.action) {
                case DROP -> {
                    drop(label, "filter " + f);
                    return;
                }
                case DELAY -> extraDelay += f.delayNanos;
                case DUPLICATE -> copies++;
            }
        }
        NetworkFaults now = faults;
        if (now.dropProbability() > 0 && random.nextDouble() < now.dropProbability()) {
            drop(label, "random");
            return;
        }
        if (now.duplicateProbability() > 0 && random.nextDouble() < now.duplicateProbability()) {
            copies++;
        }
        for (int copy = 0; copy < copies; copy++) {
            long latency = Math.max(0, now.latency().sampleNanos(random)) + extraDelay;
            if (copy > 0) {
                duplicated++;
            }
            trace.record((copy == 0 ? "send " : "dup ") + label + " +" + micros(latency) + "us"
                    + (extraDelay > 0 ? " (delayed)" : ""));
            target.view.schedule(Duration.ofNanos(latency), () -> deliver(target, from, message, label));
        }
    }

    private void deliver(Endpoint target, NodeId from, Message message, String label) {
        if (blocked.contains(new Link(from, target.self()))) {
            drop(label, "link cut in flight");
            return;
        }
        Transport.Handler handler = target.handler;
        if (handler == null) {
            drop(label, "no handler");
            return;
        }
        delivered++;
        long cost = serviceTime.apply(message).toNanos();
        if (cost <= 0) {
            trace.record("recv " + label);
            handler.onMessage(from, message);
            return;
        }
        // The receiving node handles one message at a time: this one waits for the ones before it.
        account(target.self(), message.getClass().getSimpleName(), cost);
        target.enqueue(cost, () -> {
            trace.record("recv " + label);
            handler.onMessage(from, message);
        });
    }

    /**
     * Work that reaches {@code node} from outside the cluster (a client's request), costing
     * {@code cost} of the node's time: with a cost, it waits its turn behind the messages the node
     * has already taken, like one; without, it runs at once. Nothing runs on a node that is down.
     */
    public void serve(NodeId node, Duration cost, Runnable work) {
        Endpoint target = endpoints.get(node);
        if (target == null || !target.view.isAlive()) {
            return;
        }
        long nanos = cost.toNanos();
        if (nanos <= 0) {
            work.run();
        } else {
            account(node, "client request", nanos);
            target.enqueue(nanos, work);
        }
    }

    /**
     * Gives every node a capacity: handling {@code cost(message)} keeps the receiving node busy,
     * and messages that arrive meanwhile wait their turn, so background work (hint deliveries,
     * anti-entropy) can slow foreground requests as on a real machine. Zero for every message
     * (the default) makes handling free and immediate.
     */
    public void setServiceTime(java.util.function.Function<Message, Duration> cost) {
        this.serviceTime = Objects.requireNonNull(cost, "cost");
    }

    private void account(NodeId node, String kind, long nanos) {
        busy.computeIfAbsent(node, n -> new java.util.TreeMap<>()).merge(kind, nanos, Long::sum);
    }

    /**
     * With a service time: the time {@code node} has spent (or is committed to spend: work is
     * counted when it joins the queue) on each kind of work since the network was made, in
     * nanoseconds, by message type and "client request". Subtract two snapshots for a period.
     */
    public Map<String, Long> busyTime(NodeId node) {
        return Map.copyOf(busy.getOrDefault(node, Map.of()));
    }

    /**
     * The connections of {@code node} are reset, as a crashed process's kernel resets them:
     * every other live node hears, after one link latency, that its connection to {@code node}
     * is lost ({@link Transport#onConnectionLost}). Unlike a partition or a lost host, which say
     * nothing and leave the senders to their timeouts. Links that are cut carry no reset.
     */
    public void resetConnections(NodeId node) {
        trace.record("reset connections of " + node);
        for (Endpoint e : new java.util.TreeMap<>(endpoints).values()) {
            if (e.self().equals(node) || !e.view.isAlive() || blocked.contains(new Link(node, e.self()))) {
                continue;
            }
            long latency = Math.max(0, faults.latency().sampleNanos(random));
            Endpoint target = e;
            target.view.schedule(Duration.ofNanos(latency), () -> {
                trace.record("lost " + target.self() + "->" + node);
                target.resetsHeard.add(node);
                target.connectionLost.connectionLost(node, "the connection to " + node + " was reset", true);
            });
        }
    }

    private void drop(String label, String why) {
        dropped++;
        trace.record("drop " + label + " (" + why + ")");
    }

    private static String label(Message m) {
        return m.getClass().getSimpleName() + "#" + m.requestId();
    }

    private static long micros(long nanos) {
        return nanos / 1_000;
    }

    private record Link(NodeId from, NodeId to) {
    }

    private final class Endpoint implements Transport {
        private final SimScheduler.NodeView view;
        private Handler handler;
        /** With a service time: when this node finishes the messages it has already taken. */
        private long busyUntil;
        private java.util.function.LongConsumer queueWaits = w -> { };
        private ConnectionListener connectionLost = (peer, reason, maybeDelivered) -> { };
        /** Nodes whose reset connections this endpoint has been told of (cleared when they restart). */
        private final Set<NodeId> resetsHeard = new TreeSet<>();

        @Override
        public void onConnectionLost(ConnectionListener listener) {
            connectionLost = Objects.requireNonNull(listener, "listener");
        }

        /** Runs {@code work} once the node has handled everything before it, then spent {@code cost}. */
        void enqueue(long cost, Runnable work) {
            long now = scheduler.nowNanos();
            long start = Math.max(now, busyUntil);
            busyUntil = start + cost;
            long waited = start - now;
            view.schedule(Duration.ofNanos(busyUntil - now), () -> {
                queueWaits.accept(waited);
                work.run();
            });
        }

        @Override
        public void reportQueueWaits(java.util.function.LongConsumer sink) {
            queueWaits = Objects.requireNonNull(sink, "sink");
        }

        Endpoint(SimScheduler.NodeView view) {
            this.view = view;
        }

        @Override
        public NodeId self() {
            return view.node();
        }

        @Override
        public Sent send(NodeId to, Message message) {
            SimNetwork.this.send(this, to, message);
            return Sent.QUEUED; // the simulated network loses messages silently, as a real one does
        }

        @Override
        public void setHandler(Handler newHandler) {
            Objects.requireNonNull(newHandler, "handler");
            if (handler != null) {
                throw new IllegalStateException("handler of " + view + " already set");
            }
            handler = newHandler;
        }

        @Override
        public String toString() {
            return "SimNetwork endpoint " + view;
        }
    }
}

package io.dynamo.testkit;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.Clock;
import io.dynamo.core.time.Scheduler;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * One discrete-event queue and one virtual clock for a whole simulated cluster, run on the
 * caller's thread. Events run in order of (virtual time, then a global insertion sequence), so
 * two events due at the same instant run in the order they were scheduled and a run is exactly
 * reproducible. Time only moves when the test runs events: {@link #step()}, {@link
 * #runUntilIdle}, {@link #runFor}, {@link #runUntil}.
 *
 * <p>Each node sees the queue through its own {@link NodeView} ({@link #forNode}) and its own
 * {@link #clockFor clock}. {@link #crash} ends the node's current incarnation: every task it has
 * pending is dropped (its memory is gone), and its old view silently ignores anything scheduled
 * on it afterwards. The next {@link #forNode} call starts a new incarnation with a fresh view;
 * that is how a node restarts (the test builds a new node graph on the new view). Clocks belong to
 * the machine, not the incarnation, so skew survives a restart.
 *
 * <p>The scheduler itself is also a {@link Scheduler} for the environment (workload clients,
 * nemeses): those tasks belong to no node and no crash cancels them.
 *
 * <p>Not thread-safe: a simulation runs on one thread.
 */
public final class SimScheduler implements Scheduler {

    /** Virtual time zero as wall-clock milliseconds: 2026-01-01T00:00:00Z. */
    public static final long DEFAULT_EPOCH_MILLIS = 1_767_225_600_000L;

    private static final Comparator<Event> ORDER =
            Comparator.comparingLong((Event e) -> e.time).thenComparingLong(e -> e.seq);

    private final PriorityQueue<Event> queue = new PriorityQueue<>(ORDER);
    private final Map<NodeId, NodeView> current = new HashMap<>();
    private final Map<NodeId, Integer> incarnations = new HashMap<>();
    private final Map<NodeId, NodeClock> clocks = new HashMap<>();
    private final long epochMillis;
    private final Trace trace;
    private long now;
    private long sequence;
    private int pending;

    /** A scheduler at virtual time zero, keeping the last {@code traceCapacity} trace lines. */
    public SimScheduler(long epochMillis, int traceCapacity) {
        this.epochMillis = epochMillis;
        this.trace = new Trace(this, traceCapacity);
    }

    /** Epoch {@link #DEFAULT_EPOCH_MILLIS}, last 1,000 trace lines kept. */
    public SimScheduler() {
        this(DEFAULT_EPOCH_MILLIS, 1_000);
    }

    /** The simulation's event trace, shared with the network. */
    public Trace trace() {
        return trace;
    }

    /** Virtual nanoseconds since the start of the simulation. */
    public long nowNanos() {
        return now;
    }

    /** Virtual time since the start of the simulation. */
    public Duration now() {
        return Duration.ofNanos(now);
    }

    /** Tasks that will still run (cancelled tasks and those of crashed incarnations excluded). */
    public int pendingTasks() {
        return pending;
    }

    // ---------------------------------------------------------------- environment scheduler

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return enqueue(null, delay, task);
    }

    @Override
    public void execute(Runnable task) {
        enqueue(null, Duration.ZERO, task);
    }

    /** The environment's clock: virtual time with no skew. */
    public Clock clock() {
        return new Clock() {
            @Override
            public long nanoTime() {
                return now;
            }

            @Override
            public long millis() {
                return epochMillis + Math.floorDiv(now, 1_000_000L);
            }
        };
    }

    // ---------------------------------------------------------------- nodes

    /**
     * The scheduler of {@code node}'s current incarnation; after a {@link #crash}, a new
     * incarnation with a fresh view (the restart).
     */
    public NodeView forNode(NodeId node) {
        Objects.requireNonNull(node, "node");
        NodeView view = current.get(node);
        if (view == null) {
            int incarnation = incarnations.merge(node, 1, Integer::sum);
            view = new NodeView(node, incarnation);
            current.put(node, view);
            trace.record("start " + view);
        }
        return view;
    }

    /** Whether {@code node} has a live incarnation (started and not crashed since). */
    public boolean isUp(NodeId node) {
        return current.containsKey(node);
    }

    /**
     * Ends {@code node}'s current incarnation: its pending tasks never run, and its view ignores
     * anything scheduled on it from now on. Does nothing if the node is not up.
     */
    public void crash(NodeId node) {
        NodeView view = current.remove(node);
        if (view == null) {
            return;
        }
        view.alive = false;
        pending -= view.pending;
        trace.record("crash " + view + " (" + view.pending + " tasks lost)");
        view.pending = 0;
    }

    /**
     * A clock for {@code node}: {@code nanoTime()} is monotonic (virtual time scaled by the node's
     * drift, from a node-specific origin, so comparing readings across nodes is a bug the
     * simulator exposes); {@code millis()} adds the node's offset and may jump, backwards too, when
     * the offset changes.
     */
    public Clock clockFor(NodeId node) {
        NodeClock c = clock(node);
        return new Clock() {
            @Override
            public long nanoTime() {
                return c.local(now);
            }

            @Override
            public long millis() {
                return epochMillis + Math.floorDiv(c.local(now) - c.origin + c.offsetNanos, 1_000_000L);
            }
        };
    }

    /** Sets how far {@code node}'s wall clock ({@code millis()}) is ahead (or, negative, behind). */
    public void setClockOffset(NodeId node, Duration offset) {
        clock(node).offsetNanos = offset.toNanos();
        trace.record("clock " + node + " offset " + offset.toMillis() + "ms");
    }

    /**
     * Sets {@code node}'s clock drift in parts per million: +100 means its clock runs 100 us fast
     * per virtual second. Must be above -1,000,000 (clocks never stop or run backwards).
     */
    public void setClockDrift(NodeId node, double ppm) {
        if (!(ppm > -1_000_000.0) || Double.isInfinite(ppm)) {
            throw new IllegalArgumentException("clock drift must be above -1000000 ppm, got " + ppm);
        }
        clock(node).setDrift(now, ppm / 1_000_000.0);
        trace.record("clock " + node + " drift " + ppm + "ppm");
    }

    private NodeClock clock(NodeId node) {
        return clocks.computeIfAbsent(Objects.requireNonNull(node, "node"), NodeClock::new);
    }

    // ---------------------------------------------------------------- running

    /** Runs the next task, advancing virtual time to it; false if there was none. */
    public boolean step() {
        Event e = nextLive();
        if (e == null) {
            return false;
        }
        queue.poll();
        now = e.time;
        e.state = Event.DONE;
        pending--;
        if (e.owner != null) {
            e.owner.pending--;
        }
        try {
            e.task.run();
        } catch (RuntimeException | Error failure) {
            trace.record("error in " + (e.owner == null ? "environment" : e.owner.toString()) + ": "
                    + failure.getClass().getSimpleName() + ": " + failure.getMessage());
            throw failure;
        }
        return true;
    }

    /**
     * Runs tasks until none is left; returns how many ran. Fails if more than {@code maxEvents}
     * would be needed (something reschedules itself forever: use {@link #runFor} for that).
     */
    public long runUntilIdle(long maxEvents) {
        long ran = 0;
        while (nextLive() != null) {
            if (ran == maxEvents) {
                throw new IllegalStateException("still " + pending + " tasks pending after " + maxEvents
                        + " events at " + Trace.formatTime(now) + "; a task that reschedules itself never idles");
            }
            step();
            ran++;
        }
        return ran;
    }

    /** Runs every task due within {@code duration}, then sets the time to its end; returns how many ran. */
    public long runFor(Duration duration) {
        long deadline = deadline(duration);
        long ran = 0;
        for (Event e = nextLive(); e != null && e.time <= deadline; e = nextLive()) {
            step();
            ran++;
        }
        now = deadline;
        return ran;
    }

    /**
     * Runs tasks until {@code condition} holds (checked before the first and after every task) or
     * {@code limit} of virtual time has passed; returns whether it holds. On a false return the
     * time is at the limit.
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        long deadline = deadline(limit);
        if (condition.getAsBoolean()) {
            return true;
        }
        for (Event e = nextLive(); e != null && e.time <= deadline; e = nextLive()) {
            step();
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        now = deadline;
        return false;
    }

    private long deadline(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, got " + d);
        }
        return saturatedAdd(now, d);
    }

    private static long saturatedAdd(long base, Duration d) {
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
        long sum = base + nanos;
        return sum < base ? Long.MAX_VALUE : sum;
    }

    /** The head of the queue after discarding cancelled tasks and those of dead incarnations. */
    private Event nextLive() {
        Event e;
        while ((e = queue.peek()) != null && (e.state != Event.PENDING || (e.owner != null && !e.owner.alive))) {
            queue.poll();
        }
        return e;
    }

    private Cancellable enqueue(NodeView owner, Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        if (owner != null && !owner.alive) {
            return () -> { };
        }
        Event e = new Event(saturatedAdd(now, delay), sequence++, owner, task);
        queue.add(e);
        pending++;
        if (owner != null) {
            owner.pending++;
        }
        return e;
    }

    private final class Event implements Cancellable {
        static final int PENDING = 0;
        static final int CANCELLED = 1;
        static final int DONE = 2;

        final long time;
        final long seq;
        final NodeView owner;
        final Runnable task;
        int state = PENDING;

        Event(long time, long seq, NodeView owner, Runnable task) {
            this.time = time;
            this.seq = seq;
            this.owner = owner;
            this.task = task;
        }

        @Override
        public void cancel() {
            if (state != PENDING) {
                return;
            }
            state = CANCELLED;
            if (owner == null) {
                pending--;
            } else if (owner.alive) {
                pending--;
                owner.pending--;
            }
        }
    }

    /**
     * One incarnation's view of the scheduler. Once the incarnation has crashed, its tasks never
     * run and new ones are ignored (the returned handle does nothing).
     */
    public final class NodeView implements Scheduler {
        private final NodeId node;
        private final int incarnation;
        private boolean alive = true;
        private int pending;

        private NodeView(NodeId node, int incarnation) {
            this.node = node;
            this.incarnation = incarnation;
        }

        public NodeId node() {
            return node;
        }

        /** 1 for the first start, then one more for every restart. */
        public int incarnation() {
            return incarnation;
        }

        /** False once this incarnation has crashed. */
        public boolean isAlive() {
            return alive;
        }

        /** Tasks of this incarnation that will still run. */
        public int pendingTasks() {
            return pending;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return enqueue(this, delay, task);
        }

        @Override
        public void execute(Runnable task) {
            enqueue(this, Duration.ZERO, task);
        }

        @Override
        public String toString() {
            return node + "#" + incarnation;
        }
    }

    /** A machine's clock: drift changes re-anchor it so that local time never goes back. */
    private static final class NodeClock {
        final long origin;
        long offsetNanos;
        double drift;
        long anchorVirtual;
        long anchorLocal;

        NodeClock(NodeId node) {
            // A node-specific origin between 1,000 and 2,000 seconds, stable across runs.
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < node.value().length(); i++) {
                h = (h ^ node.value().charAt(i)) * 0x100000001b3L;
            }
            this.origin = 1_000_000_000_000L + Math.floorMod(h, 1_000_000_000_000L);
            this.anchorLocal = origin;
        }

        long local(long virtual) {
            long elapsed = virtual - anchorVirtual;
            return anchorLocal + elapsed + (long) (elapsed * drift);
        }

        void setDrift(long virtual, double newDrift) {
            anchorLocal = local(virtual);
            anchorVirtual = virtual;
            drift = newDrift;
        }
    }
}

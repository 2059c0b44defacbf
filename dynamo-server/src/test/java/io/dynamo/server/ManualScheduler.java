package io.dynamo.server;

import io.dynamo.core.time.Clock;
import io.dynamo.core.time.Scheduler;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A single-threaded scheduler on virtual time, for unit tests: tasks run in order of (due time,
 * insertion order), and time moves only when the test calls {@link #runFor} or {@link #runUntilIdle}.
 */
public final class ManualScheduler implements Scheduler {

    /** Virtual time zero as wall-clock milliseconds. */
    public static final long EPOCH_MILLIS = 1_767_225_600_000L;

    private static final Comparator<Task> ORDER =
            Comparator.comparingLong((Task t) -> t.time).thenComparingLong(t -> t.seq);

    private final PriorityQueue<Task> queue = new PriorityQueue<>(ORDER);
    private long now;
    private long seq;

    private static final class Task implements Cancellable {
        final long time;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long time, long seq, Runnable body) {
            this.time = time;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long d = delay.toNanos();
        if (d < 0) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        Task t = new Task(now + d, seq++, task);
        queue.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Runs every task due within {@code duration} from now, then sets the clock to its end. */
    public void runFor(Duration duration) {
        long end = now + duration.toNanos();
        while (!queue.isEmpty() && queue.peek().time <= end) {
            Task t = queue.poll();
            now = t.time;
            if (!t.cancelled) {
                t.body.run();
            }
        }
        now = end;
    }

    /** Runs the tasks that are due now (those scheduled with {@link #execute} among them). */
    public void runDue() {
        runFor(Duration.ZERO);
    }

    /** Tasks not yet run or cancelled. */
    public long pendingTasks() {
        return queue.stream().filter(t -> !t.cancelled).count();
    }

    /** Virtual nanoseconds since the start. */
    public long nowNanos() {
        return now;
    }

    /** A clock reading this scheduler's virtual time. */
    public Clock clock() {
        return new Clock() {
            @Override
            public long nanoTime() {
                return now;
            }

            @Override
            public long millis() {
                return EPOCH_MILLIS + Math.floorDiv(now, 1_000_000L);
            }
        };
    }
}

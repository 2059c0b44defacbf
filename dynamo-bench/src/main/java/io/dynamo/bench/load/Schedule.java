package io.dynamo.bench.load;

/**
 * The intended start times of one worker thread's operations in an open-loop run. The run's
 * target rate defines one global timetable, operation j intended at {@code start + j / rate};
 * thread i of t takes operations i, i + t, i + 2t, ... of it, so the threads are staggered
 * rather than firing together, and between them they keep exactly the target rate. Times are
 * computed from the operation's index, never by adding intervals, so they do not drift.
 *
 * <p>A thread that falls behind (its operation is answered after the next one's intended start)
 * does not skip operations or shift its timetable: it issues the next one at once, and that
 * operation's latency counts from its intended start, so the wait it had in the queue is
 * measured (no coordinated omission).
 */
public final class Schedule {

    private final long startNanos;
    private final double globalIntervalNanos;
    private final int threads;
    private final int thread;

    private Schedule(long startNanos, double rate, int threads, int thread) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a finite number above 0, was " + rate);
        }
        if (threads < 1 || thread < 0 || thread >= threads) {
            throw new IllegalArgumentException("thread " + thread + " of " + threads);
        }
        this.startNanos = startNanos;
        this.globalIntervalNanos = 1e9 / rate;
        this.threads = threads;
        this.thread = thread;
    }

    /**
     * Thread {@code thread} (from 0) of {@code threads} sharing a target of {@code rate}
     * operations per second, the timetable starting at {@code startNanos} (a
     * {@link System#nanoTime()} value).
     */
    public static Schedule of(long startNanos, double rate, int threads, int thread) {
        return new Schedule(startNanos, rate, threads, thread);
    }

    /** The intended start of this thread's operation {@code k} (from 0), in nanoTime. */
    public long intendedStart(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be at least 0, was " + k);
        }
        double global = (double) k * threads + thread;
        return startNanos + Math.round(global * globalIntervalNanos);
    }

    /** Nanoseconds between two operations of this thread. */
    public double intervalNanos() {
        return globalIntervalNanos * threads;
    }

    /**
     * How many of this thread's operations are intended to start before {@code deadlineNanos}
     * (the first {@code n} indices, 0 to n - 1).
     */
    public long countBefore(long deadlineNanos) {
        long n = (long) Math.max(0, Math.ceil((deadlineNanos - startNanos - thread * globalIntervalNanos)
                / intervalNanos()));
        // Rounding of intendedStart may put the boundary one either way: settle it exactly.
        while (n > 0 && intendedStart(n - 1) - deadlineNanos >= 0) {
            n--;
        }
        while (intendedStart(n) - deadlineNanos < 0) {
            n++;
        }
        return n;
    }
}

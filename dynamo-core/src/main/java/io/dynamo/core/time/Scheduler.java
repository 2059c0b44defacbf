package io.dynamo.core.time;

import java.time.Duration;

/**
 * Runs work later, on the same single thread that runs the node's state machines. Node logic
 * never sleeps or blocks; it schedules a callback and returns.
 */
public interface Scheduler {

    /** Runs {@code task} once after {@code delay}; the handle cancels it if it has not run. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} as soon as possible, after the task that is running now. */
    void execute(Runnable task);

    /** A scheduled task that can be cancelled. Cancelling twice, or after it ran, does nothing. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}

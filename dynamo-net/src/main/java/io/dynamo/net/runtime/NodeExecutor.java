package io.dynamo.net.runtime;

import io.dynamo.core.time.Clock;
import io.dynamo.core.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real node thread: the {@link Scheduler} and {@link Clock} a {@code DynamoNode} gets in the
 * server, where the simulator gives it virtual ones. One thread runs every task and timer of the
 * node in submission and due order, so node logic needs no locks. A task that throws is logged
 * and counted; the thread goes on.
 */
public final class NodeExecutor implements Scheduler, Clock, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeExecutor.class);

    private final ScheduledThreadPoolExecutor executor;
    private final AtomicLong taskErrors = new AtomicLong();
    private volatile Thread thread;

    /** @param name the thread's name, e.g. {@code node-n1} */
    public NodeExecutor(String name) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(false);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // request timers are cancelled by the thousand
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.prestartCoreThread();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        try {
            ScheduledFuture<?> f = executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return () -> { }; // shutting down: later work no longer runs
        }
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    /** Whether the caller is the node thread. */
    public boolean inNodeThread() {
        return Thread.currentThread() == thread;
    }

    /** Tasks waiting to run now (not timers that are not due). */
    public int queued() {
        return executor.getQueue().size();
    }

    /** Tasks that threw. */
    public long taskErrors() {
        return taskErrors.get();
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                taskErrors.incrementAndGet();
                LOG.error("a task on the node thread failed", e);
            }
        };
    }

    /** Runs what was submitted before this call, drops timers not yet due, and stops the thread. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.StorageException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One thread that makes writes durable. Durable writers have already written to RocksDB (WAL on,
 * no sync) when they {@link #submit}; the thread takes every waiting writer (up to the batch limit),
 * runs one WAL sync, and completes all their futures, so concurrent writers share one fsync.
 * Writers that arrive while a sync runs form the next batch. When no durable writer waits, the
 * thread still syncs once per flush interval if anything was written since the last sync, which
 * bounds how long a buffered write stays volatile.
 *
 * <p>Futures complete on this thread: whatever a caller chains onto them must not block.
 */
final class GroupCommitter implements AutoCloseable {

    /** Syncs the WAL if anything was written since the last sync; returns whether it synced. */
    @FunctionalInterface
    interface WalSync {
        boolean syncIfDirty();
    }

    private final WalSync wal;
    private final long intervalNanos;
    private final int maxBatch;
    private final long maxLatencyNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final Thread thread;
    private boolean closing;

    GroupCommitter(String name, WalSync wal, Duration flushInterval, int maxBatch, Duration maxLatency) {
        this.wal = wal;
        this.intervalNanos = flushInterval.toNanos();
        this.maxBatch = maxBatch;
        this.maxLatencyNanos = maxLatency.toNanos();
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A future that completes once everything written before this call is synced. */
    CompletableFuture<Void> submit() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        lock.lock();
        try {
            if (closing) {
                future.completeExceptionally(new StorageException(StorageException.Kind.CLOSED, "storage engine is closed"));
                return future;
            }
            waiting.add(future);
            if (waiting.size() == 1 || waiting.size() >= maxBatch) {
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
        return future;
    }

    /** Batches of durable writes completed so far (each by at most one WAL sync). */
    long batches() {
        return batches.get();
    }

    /** Durable writes completed so far. */
    long committed() {
        return committed.get();
    }

    private void run() {
        long nextPeriodic = System.nanoTime() + intervalNanos;
        while (true) {
            List<CompletableFuture<Void>> batch = new ArrayList<>();
            boolean exit;
            lock.lock();
            try {
                while (waiting.isEmpty() && !closing) {
                    long wait = nextPeriodic - System.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    wake.awaitNanos(wait);
                }
                if (!waiting.isEmpty() && maxLatencyNanos > 0 && !closing) {
                    long deadline = System.nanoTime() + maxLatencyNanos;
                    while (waiting.size() < maxBatch && !closing) {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        wake.awaitNanos(wait);
                    }
                }
                while (!waiting.isEmpty() && batch.size() < maxBatch) {
                    batch.add(waiting.poll());
                }
                exit = closing && waiting.isEmpty();
            } catch (InterruptedException e) {
                // Nobody else interrupts this thread; treat it as a request to finish (the lock is held).
                closing = true;
                continue;
            } finally {
                lock.unlock();
            }
            boolean due = System.nanoTime() - nextPeriodic >= 0;
            if (!batch.isEmpty() || due || exit) {
                boolean synced;
                try {
                    wal.syncIfDirty();
                    synced = true;
                } catch (RuntimeException e) {
                    synced = false;
                    StorageException failure = e instanceof StorageException se ? se
                            : new StorageException(StorageException.Kind.IO, "WAL sync failed", e);
                    for (CompletableFuture<Void> f : batch) {
                        f.completeExceptionally(failure);
                    }
                }
                if (synced) {
                    // Count first, then acknowledge: a writer that sees its future complete also
                    // sees its write in the figures.
                    if (!batch.isEmpty()) {
                        batches.incrementAndGet();
                        committed.addAndGet(batch.size());
                    }
                    for (CompletableFuture<Void> f : batch) {
                        f.complete(null);
                    }
                }
                nextPeriodic = System.nanoTime() + intervalNanos;
            }
            if (exit) {
                return;
            }
        }
    }

    /** Completes every waiting writer with a final sync and stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

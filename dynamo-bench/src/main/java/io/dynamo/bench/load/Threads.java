package io.dynamo.bench.load;

import java.util.List;

/** Thread helpers the benchmarks share. */
public final class Threads {

    private Threads() {
    }

    /**
     * Waits for every thread to end, even if interrupted meanwhile; an interrupt is kept for the
     * caller (the interrupt flag is set again on return).
     */
    public static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.dynamo.core.rules;

import java.util.Random;
import java.util.UUID;

/** Test fixture: everything node logic must not do. Only {@link DeterminismRuleTest} reads it. */
final class NodeLogicThatBreaksTheRule {

    private NodeLogicThatBreaksTheRule() {
    }

    static long readsTheWallClock() {
        return System.currentTimeMillis() + System.nanoTime();
    }

    static void sleeps() throws InterruptedException {
        Thread.sleep(1);
    }

    static int drawsUnseededRandomness() {
        return new Random().nextInt() + UUID.randomUUID().hashCode() + (int) Math.random();
    }

    static void startsAThread() {
        new Thread(() -> { }).start();
    }
}

package io.dynamo.testkit;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.lists;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.Clock;
import io.dynamo.core.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

class SimSchedulerTest {

    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");

    private final SimScheduler sim = new SimScheduler();
    private final List<String> ran = new ArrayList<>();

    private Runnable log(String name) {
        return () -> ran.add(name + "@" + sim.now().toMillis());
    }

    @Test
    void runsByTimeThenByInsertion() {
        sim.schedule(Duration.ofMillis(20), log("c"));
        sim.schedule(Duration.ofMillis(10), log("a"));
        sim.forNode(N1).schedule(Duration.ofMillis(10), log("b"));
        sim.forNode(N2).execute(log("first"));

        assertThat(sim.runUntilIdle(100)).isEqualTo(4);
        assertThat(ran).containsExactly("first@0", "a@10", "b@10", "c@20");
        assertThat(sim.now()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void executeRunsAfterTheCurrentTaskAndBeforeLaterOnes() {
        Scheduler node = sim.forNode(N1);
        node.execute(() -> {
            ran.add("outer");
            node.execute(() -> ran.add("inner"));
        });
        node.execute(() -> ran.add("second"));
        sim.schedule(Duration.ofNanos(1), () -> ran.add("later"));

        sim.runUntilIdle(100);

        assertThat(ran).containsExactly("outer", "second", "inner", "later");
    }

    @Test
    void tasksRunInTimeOrderAndTiesInInsertionOrder() {
        qt(200).forAll(lists().of(Generate.range(0, 20)).ofSizeBetween(0, 60)).checkAssert(delays -> {
            SimScheduler s = new SimScheduler();
            List<long[]> order = new ArrayList<>();
            for (int i = 0; i < delays.size(); i++) {
                long index = i;
                long due = delays.get(i);
                s.schedule(Duration.ofMillis(due), () -> order.add(new long[] {due, index}));
            }
            s.runUntilIdle(1_000);
            assertThat(order).hasSize(delays.size());
            for (int i = 1; i < order.size(); i++) {
                long[] prev = order.get(i - 1);
                long[] cur = order.get(i);
                assertThat(prev[0] < cur[0] || (prev[0] == cur[0] && prev[1] < cur[1])).isTrue();
            }
        });
    }

    @Test
    void cancelledTaskNeverRuns() {
        Scheduler.Cancellable handle = sim.forNode(N1).schedule(Duration.ofMillis(5), log("cancelled"));
        sim.schedule(Duration.ofMillis(10), log("kept"));
        handle.cancel();
        handle.cancel();

        assertThat(sim.pendingTasks()).isEqualTo(1);
        sim.runUntilIdle(10);
        assertThat(ran).containsExactly("kept@10");
        handle.cancel();
        assertThat(sim.pendingTasks()).isZero();
    }

    @Test
    void crashCancelsOnlyThatNodesTasks() {
        SimScheduler.NodeView n1 = sim.forNode(N1);
        n1.schedule(Duration.ofMillis(5), log("n1-timer"));
        n1.execute(log("n1-now"));
        sim.forNode(N2).schedule(Duration.ofMillis(5), log("n2-timer"));
        sim.schedule(Duration.ofMillis(5), log("env"));

        sim.crash(N1);

        assertThat(n1.isAlive()).isFalse();
        assertThat(sim.isUp(N1)).isFalse();
        assertThat(sim.pendingTasks()).isEqualTo(2);
        sim.runUntilIdle(10);
        assertThat(ran).containsExactly("n2-timer@5", "env@5");
    }

    @Test
    void oldViewIgnoresWorkAfterCrashAndRestartGetsAFreshView() {
        SimScheduler.NodeView first = sim.forNode(N1);
        sim.crash(N1);
        Scheduler.Cancellable ignored = first.schedule(Duration.ofMillis(1), log("zombie"));
        first.execute(log("zombie-now"));
        ignored.cancel();

        SimScheduler.NodeView second = sim.forNode(N1);
        second.schedule(Duration.ofMillis(1), log("reborn"));

        assertThat(second).isNotSameAs(first);
        assertThat(first.incarnation()).isEqualTo(1);
        assertThat(second.incarnation()).isEqualTo(2);
        assertThat(sim.forNode(N1)).isSameAs(second);
        sim.runUntilIdle(10);
        assertThat(ran).containsExactly("reborn@1");
        assertThat(sim.trace().tail(10)).anyMatch(l -> l.contains("crash n1#1")).anyMatch(l -> l.contains("start n1#2"));
    }

    @Test
    void aTaskMayCrashItsOwnNode() {
        SimScheduler.NodeView n1 = sim.forNode(N1);
        n1.schedule(Duration.ofMillis(2), log("after"));
        n1.schedule(Duration.ofMillis(1), () -> sim.crash(N1));

        sim.runUntilIdle(10);

        assertThat(ran).isEmpty();
        assertThat(sim.pendingTasks()).isZero();
    }

    @Test
    void runForRunsDueTasksAndStopsAtTheBound() {
        sim.schedule(Duration.ofMillis(10), log("a"));
        sim.schedule(Duration.ofMillis(20), log("b"));
        sim.schedule(Duration.ofMillis(21), log("c"));

        assertThat(sim.runFor(Duration.ofMillis(20))).isEqualTo(2);
        assertThat(ran).containsExactly("a@10", "b@20");
        assertThat(sim.now()).isEqualTo(Duration.ofMillis(20));

        sim.runFor(Duration.ofMillis(100));
        assertThat(ran).containsExactly("a@10", "b@20", "c@21");
        assertThat(sim.now()).isEqualTo(Duration.ofMillis(120));
    }

    @Test
    void runForAdvancesTimeWithNothingToDo() {
        sim.runFor(Duration.ofSeconds(3));
        assertThat(sim.now()).isEqualTo(Duration.ofSeconds(3));
        assertThat(sim.clock().millis()).isEqualTo(SimScheduler.DEFAULT_EPOCH_MILLIS + 3_000);
    }

    @Test
    void runUntilStopsAsSoonAsTheConditionHolds() {
        int[] ticks = {0};
        Scheduler n1 = sim.forNode(N1);
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ticks[0]++;
            n1.schedule(Duration.ofMillis(10), tick[0]);
        };
        n1.execute(tick[0]);

        assertThat(sim.runUntil(() -> ticks[0] == 5, Duration.ofSeconds(1))).isTrue();
        assertThat(sim.now()).isEqualTo(Duration.ofMillis(40));

        assertThat(sim.runUntil(() -> ticks[0] == 1_000, Duration.ofMillis(100))).isFalse();
        assertThat(sim.now()).isEqualTo(Duration.ofMillis(140));
        assertThat(ticks[0]).isEqualTo(15);
    }

    @Test
    void runUntilIdleRefusesToSpinForever() {
        Scheduler n1 = sim.forNode(N1);
        Runnable[] forever = new Runnable[1];
        forever[0] = () -> n1.schedule(Duration.ofMillis(1), forever[0]);
        n1.execute(forever[0]);

        assertThatThrownBy(() -> sim.runUntilIdle(50))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after 50 events");
    }

    @Test
    void aFailingTaskPropagatesAndIsTraced() {
        sim.forNode(N1).execute(() -> {
            throw new IllegalArgumentException("boom");
        });
        assertThatThrownBy(sim::step).hasMessage("boom");
        assertThat(sim.trace().tail(1).get(0)).contains("error in n1#1: IllegalArgumentException: boom");
    }

    @Test
    void negativeDelaysAreRejected() {
        assertThatThrownBy(() -> sim.forNode(N1).schedule(Duration.ofMillis(-1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clockOffsetMovesMillisButNotNanoTime() {
        Clock c1 = sim.clockFor(N1);
        Clock c2 = sim.clockFor(N2);
        sim.runFor(Duration.ofSeconds(1));
        long nanoBefore = c1.nanoTime();

        sim.setClockOffset(N1, Duration.ofMillis(-250));

        assertThat(c1.millis()).isEqualTo(SimScheduler.DEFAULT_EPOCH_MILLIS + 750);
        assertThat(c2.millis()).isEqualTo(SimScheduler.DEFAULT_EPOCH_MILLIS + 1_000);
        assertThat(c1.nanoTime()).isEqualTo(nanoBefore);
        sim.runFor(Duration.ofSeconds(1));
        assertThat(c1.nanoTime() - nanoBefore).isEqualTo(1_000_000_000L);
        assertThat(c1.millis()).isEqualTo(SimScheduler.DEFAULT_EPOCH_MILLIS + 1_750);
    }

    @Test
    void driftScalesElapsedTimeAndNanoTimeStaysMonotonic() {
        Clock c1 = sim.clockFor(N1);
        sim.setClockDrift(N1, 1_000);
        long start = c1.nanoTime();
        sim.runFor(Duration.ofSeconds(10));
        assertThat(c1.nanoTime() - start).isEqualTo(10_010_000_000L);

        long beforeSlowdown = c1.nanoTime();
        sim.setClockDrift(N1, -500_000);
        assertThat(c1.nanoTime()).isEqualTo(beforeSlowdown);
        sim.runFor(Duration.ofSeconds(2));
        assertThat(c1.nanoTime() - beforeSlowdown).isEqualTo(1_000_000_000L);
        assertThat(c1.millis()).isEqualTo(SimScheduler.DEFAULT_EPOCH_MILLIS + 10_010 + 1_000);

        assertThatThrownBy(() -> sim.setClockDrift(N1, -1_000_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nanoTimeOriginsDifferBetweenNodesAndSurviveRestart() {
        Clock before = sim.clockFor(N1);
        long n1 = before.nanoTime();
        assertThat(n1).isNotEqualTo(sim.clockFor(N2).nanoTime());
        sim.setClockOffset(N1, Duration.ofSeconds(5));
        sim.crash(N1);
        sim.forNode(N1);
        assertThat(sim.clockFor(N1).nanoTime()).isEqualTo(n1);
        assertThat(sim.clockFor(N1).millis()).isEqualTo(SimScheduler.DEFAULT_EPOCH_MILLIS + 5_000);
    }
}

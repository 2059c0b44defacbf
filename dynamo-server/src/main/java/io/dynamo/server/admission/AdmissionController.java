package io.dynamo.server.admission;

import io.dynamo.core.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Shares a node's capacity between foreground requests and background work (paper section 6.5):
 * background tasks (hint delivery, anti-entropy, ownership transfer) take a permit per unit of
 * work, and the controller sets how many permits a second it hands out from what the foreground
 * sees. Once per adjustment interval it looks at three signals:
 *
 * <ul>
 *   <li>the p99 latency of the foreground requests this node coordinated within the sliding
 *       window, against a target;
 *   <li>the p99 time messages and requests waited in this node's queue before it handled them,
 *       within the same window, against a target (the paper's "request queue wait times": the
 *       one signal that shows this node is the bottleneck, when quorums hide a slow replica from
 *       every coordinator's latency);
 *   <li>the foreground requests in flight, against a maximum.
 * </ul>
 *
 * If any is over, the background rate is halved, down to a floor; otherwise it grows by a tenth of
 * the ceiling, up to the ceiling (additive increase, multiplicative decrease). The floor keeps
 * background work moving, so that it still finishes after a long spike.
 *
 * <p>Permits come from a token bucket refilled at the current rate with at most a tenth of a
 * second's worth saved; the unit is one key of background work (a hint delivered, a key streamed, merged,
 * served or pushed). Not thread-safe: owned by the node's thread.
 */
public final class AdmissionController {

    /**
     * @param window how far back foreground latencies and queue waits count
     * @param targetP99 the foreground p99 the controller defends
     * @param targetQueueWait the p99 queue wait above which background work backs off
     * @param maxInFlight foreground requests in flight above which background work backs off too
     * @param floor background permits a second at least
     * @param ceiling background permits a second at most
     * @param adjustEvery how often the rate is reconsidered
     */
    public record Settings(Duration window, Duration targetP99, Duration targetQueueWait, int maxInFlight,
            double floor, double ceiling, Duration adjustEvery) {
        public Settings {
            positive("admission.window", window);
            positive("admission.target_p99", targetP99);
            positive("admission.target_queue_wait", targetQueueWait);
            positive("admission.adjust_every", adjustEvery);
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("admission.max_in_flight must be at least 1, was " + maxInFlight);
            }
            if (!(floor > 0)) {
                throw new IllegalArgumentException("admission.floor must be above 0 permits a second, was " + floor);
            }
            if (!(ceiling >= floor) || Double.isInfinite(ceiling)) {
                throw new IllegalArgumentException("admission.ceiling must be finite and at least admission.floor ("
                        + floor + "), was " + ceiling);
            }
            if (adjustEvery.compareTo(window) > 0) {
                throw new IllegalArgumentException("admission.adjust_every (" + adjustEvery.toMillis()
                        + " ms) must not be longer than admission.window (" + window.toMillis() + " ms)");
            }
        }

        /**
         * 2 s window, 100 ms foreground p99 target, 20 ms queue-wait target, 512 in flight, 10 to
         * 2,000 permits a second, adjusted every 250 ms.
         */
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(2), Duration.ofMillis(100),
                Duration.ofMillis(20), 512, 10, 2_000, Duration.ofMillis(250));

        public Settings withTargets(Duration p99, Duration queueWait) {
            return new Settings(window, p99, queueWait, maxInFlight, floor, ceiling, adjustEvery);
        }

        public Settings withRates(double newFloor, double newCeiling) {
            return new Settings(window, targetP99, targetQueueWait, maxInFlight, newFloor, newCeiling, adjustEvery);
        }

        public Settings withTiming(Duration newWindow, Duration newAdjustEvery) {
            return new Settings(newWindow, targetP99, targetQueueWait, maxInFlight, floor, ceiling, newAdjustEvery);
        }

        public Settings withMaxInFlight(int limit) {
            return new Settings(window, targetP99, targetQueueWait, limit, floor, ceiling, adjustEvery);
        }

        private static void positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
            }
        }
    }

    /**
     * How much unused rate the bucket saves: a tenth of a second's worth (at least one permit), so
     * that background work arrives spread out rather than in bursts that queue the foreground.
     */
    static final double BURST_SECONDS = 0.1;

    private final Clock clock;
    private final Settings settings;
    private final Samples latencies = new Samples();
    private final Samples queueWaits = new Samples();
    private final Map<String, long[]> grantedByKind = new TreeMap<>();
    private double rate;
    private double tokens;
    private long lastRefill;
    private long lastAdjust;
    private int inFlight;
    private long granted;
    private long refused;
    private long decreases;
    private double lowestRate;

    public AdmissionController(Clock clock, Settings settings) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rate = settings.ceiling();
        this.lowestRate = rate;
        this.tokens = Math.max(1, settings.ceiling() * BURST_SECONDS);
        this.lastRefill = clock.nanoTime();
        this.lastAdjust = lastRefill;
    }

    public Settings settings() {
        return settings;
    }

    /** A foreground request was answered after {@code latencyNanos}. */
    public void recordForeground(long latencyNanos) {
        latencies.add(latencyNanos, clock.nanoTime());
    }

    /** A message or request waited {@code nanos} in this node's queue before the node took it. */
    public void recordQueueWait(long nanos) {
        queueWaits.add(nanos, clock.nanoTime());
    }

    /** How many foreground requests are in flight now (the coordinator tells). */
    public void foregroundInFlight(int requests) {
        this.inFlight = requests;
    }

    /**
     * One permit for one unit of background work of {@code kind} (a hint, or the start of an
     * exchange, chunk or hand-off round, whose size {@link #charge} adds once known); false: not
     * now, try later.
     */
    public boolean tryAcquire(String kind) {
        long now = clock.nanoTime();
        if (now - lastAdjust >= settings.adjustEvery().toNanos()) {
            adjust(now);
        }
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            granted++;
            grantedByKind.computeIfAbsent(kind, k -> new long[1])[0]++;
            return true;
        }
        refused++;
        return false;
    }

    /**
     * Charges {@code units} of background work of {@code kind} already done (keys merged, sent or
     * served, whose number was known only once the work was), on top of the permit that let it
     * start. The bucket may go into debt: no permit is granted until the current rate has repaid
     * it, so the work a second, not just the number of starts, follows the rate.
     */
    public void charge(String kind, long units) {
        if (units <= 0) {
            return;
        }
        refill(clock.nanoTime());
        tokens -= units;
        granted += units;
        grantedByKind.computeIfAbsent(kind, k -> new long[1])[0] += units;
    }

    /**
     * How long a peer whose work this node just refused should wait before asking again: until
     * the bucket at the current rate holds a permit, at least one adjustment period (the rate may
     * change then) and at most one window (by then the signals are all new).
     */
    public Duration retryAfter() {
        long now = clock.nanoTime();
        refill(now);
        long untilPermit = tokens >= 1 ? 0 : (long) ((1 - tokens) / rate * 1e9);
        long min = settings.adjustEvery().toNanos();
        long max = settings.window().toNanos();
        return Duration.ofNanos(Math.max(min, Math.min(max, untilPermit)));
    }

    /** Adds what the rate earned since the last refill, keeping at most a burst's worth. */
    private void refill(long now) {
        double cap = Math.max(1, rate * BURST_SECONDS);
        tokens = Math.min(cap, tokens + rate * (now - lastRefill) / 1e9);
        lastRefill = now;
    }

    private void adjust(long now) {
        lastAdjust = now;
        long oldest = now - settings.window().toNanos();
        if (latencies.p99(oldest) > settings.targetP99().toNanos()
                || queueWaits.p99(oldest) > settings.targetQueueWait().toNanos()
                || inFlight > settings.maxInFlight()) {
            rate = Math.max(settings.floor(), rate / 2);
            lowestRate = Math.min(lowestRate, rate);
            decreases++;
        } else {
            rate = Math.min(settings.ceiling(), rate + settings.ceiling() / 10);
        }
    }

    /** The p99 of the foreground latencies within the window before {@code now}; 0 with none. */
    public long p99(long now) {
        return latencies.p99(now - settings.window().toNanos());
    }

    /** The p99 of the queue waits within the window before {@code now}; 0 with none. */
    public long queueWaitP99(long now) {
        return queueWaits.p99(now - settings.window().toNanos());
    }

    /** Background permits a second, as last adjusted. */
    public double rate() {
        return rate;
    }

    /** The lowest rate since the last {@link #resetLowestRate()} (or since the start). */
    public double lowestRate() {
        return lowestRate;
    }

    public void resetLowestRate() {
        lowestRate = rate;
    }

    public long granted() {
        return granted;
    }

    /** Permits granted so far, by kind of work. */
    public Map<String, Long> grantedByKind() {
        Map<String, Long> out = new TreeMap<>();
        grantedByKind.forEach((k, v) -> out.put(k, v[0]));
        return Collections.unmodifiableMap(out);
    }

    public long refused() {
        return refused;
    }

    /** How many times the rate was cut. */
    public long decreases() {
        return decreases;
    }

    /** The last {@link #MAX} samples of one signal, with the time each was taken. */
    private static final class Samples {
        static final int MAX = 16_384;
        final long[] values = new long[MAX];
        final long[] at = new long[MAX];
        int next;
        int count;

        void add(long value, long now) {
            values[next] = value;
            at[next] = now;
            next = (next + 1) % MAX;
            count = Math.min(count + 1, MAX);
        }

        long p99(long oldest) {
            long[] window = new long[count];
            int n = 0;
            for (int i = 0; i < count; i++) {
                if (at[i] - oldest >= 0) {
                    window[n++] = values[i];
                }
            }
            if (n == 0) {
                return 0;
            }
            Arrays.sort(window, 0, n);
            return window[(int) Math.ceil(0.99 * n) - 1];
        }
    }
}

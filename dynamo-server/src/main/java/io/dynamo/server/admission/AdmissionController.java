package io.dynamo.server.admission;

import io.dynamo.core.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Shares a node's capacity between foreground requests and background work (paper section 6.5):
 * background tasks (hint delivery, anti-entropy, later transfers) take a permit per unit of work,
 * and the controller sets how many permits a second it hands out from what the foreground sees.
 * Once per adjustment interval it compares the p99 latency of the foreground requests answered
 * within the sliding window with the target: above it (or with too many requests in flight) the
 * background rate is halved, down to a floor; otherwise it grows by a tenth of the ceiling, up to
 * the ceiling (additive increase, multiplicative decrease). The floor keeps background work
 * moving, so that it still finishes after a long spike.
 *
 * <p>Permits come from a token bucket refilled at the current rate with at most one second's
 * worth saved. Not thread-safe: owned by the node's thread.
 */
public final class AdmissionController {

    /**
     * @param window how far back foreground latencies count
     * @param targetP99 the foreground p99 the controller defends
     * @param maxInFlight foreground requests in flight above which background work backs off too
     * @param floor background permits a second at least
     * @param ceiling background permits a second at most
     * @param adjustEvery how often the rate is reconsidered
     */
    public record Settings(Duration window, Duration targetP99, int maxInFlight, double floor, double ceiling,
            Duration adjustEvery) {
        public Settings {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(targetP99, "targetP99");
            Objects.requireNonNull(adjustEvery, "adjustEvery");
            if (!(floor > 0) || ceiling < floor || maxInFlight < 1) {
                throw new IllegalArgumentException("need 0 < floor <= ceiling and max in flight >= 1, got floor " + floor
                        + ", ceiling " + ceiling + ", max in flight " + maxInFlight);
            }
        }

        /** 10 s window, 100 ms p99 target, 512 in flight, 10 to 2,000 permits a second, adjusted every second. */
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofMillis(100), 512, 10,
                2_000, Duration.ofSeconds(1));
    }

    private static final int MAX_SAMPLES = 16_384;

    private final Clock clock;
    private final Settings settings;
    private final long[] latencies = new long[MAX_SAMPLES];
    private final long[] at = new long[MAX_SAMPLES];
    private int next;
    private int count;
    private double rate;
    private double tokens;
    private long lastRefill;
    private long lastAdjust;
    private int inFlight;
    private long granted;
    private long refused;
    private long decreases;

    public AdmissionController(Clock clock, Settings settings) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rate = settings.ceiling();
        this.tokens = settings.ceiling();
        this.lastRefill = clock.nanoTime();
        this.lastAdjust = lastRefill;
    }

    /** A foreground request was answered after {@code latencyNanos}. */
    public void recordForeground(long latencyNanos) {
        latencies[next] = latencyNanos;
        at[next] = clock.nanoTime();
        next = (next + 1) % MAX_SAMPLES;
        count = Math.min(count + 1, MAX_SAMPLES);
    }

    /** How many foreground requests are in flight now (the coordinator tells). */
    public void foregroundInFlight(int requests) {
        this.inFlight = requests;
    }

    /** One permit for one unit of background work of {@code kind}; false: not now, try later. */
    public boolean tryAcquire(String kind) {
        long now = clock.nanoTime();
        if (now - lastAdjust >= settings.adjustEvery().toNanos()) {
            adjust(now);
        }
        tokens = Math.min(rate, tokens + rate * (now - lastRefill) / 1e9);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            granted++;
            return true;
        }
        refused++;
        return false;
    }

    private void adjust(long now) {
        lastAdjust = now;
        long p99 = p99(now);
        if (p99 > settings.targetP99().toNanos() || inFlight > settings.maxInFlight()) {
            rate = Math.max(settings.floor(), rate / 2);
            decreases++;
        } else {
            rate = Math.min(settings.ceiling(), rate + settings.ceiling() / 10);
        }
    }

    /** The p99 of the foreground latencies within the window; 0 with none. */
    public long p99(long now) {
        long oldest = now - settings.window().toNanos();
        long[] window = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (at[i] - oldest >= 0) {
                window[n++] = latencies[i];
            }
        }
        if (n == 0) {
            return 0;
        }
        Arrays.sort(window, 0, n);
        return window[(int) Math.ceil(0.99 * n) - 1];
    }

    /** Background permits a second, as last adjusted. */
    public double rate() {
        return rate;
    }

    public long granted() {
        return granted;
    }

    public long refused() {
        return refused;
    }

    /** How many times the rate was cut. */
    public long decreases() {
        return decreases;
    }
}

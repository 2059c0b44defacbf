package io.dynamo.testkit;

import io.dynamo.core.time.RandomSource;
import java.time.Duration;

/**
 * How long one message takes from sender to receiver, drawn per message from the network's seeded
 * stream. Reordering needs no fault of its own: two messages on the same link overtake each other
 * whenever the later one draws a shorter latency.
 */
@FunctionalInterface
public interface LatencyModel {

    /** A latency in nanoseconds, at least zero. */
    long sampleNanos(RandomSource random);

    /** Every message takes exactly {@code latency}. */
    static LatencyModel fixed(Duration latency) {
        long nanos = requireNonNegative(latency);
        return random -> nanos;
    }

    /**
     * {@code base} plus an exponentially distributed jitter with mean {@code meanJitter}: most
     * messages arrive close to the base, a long tail arrives much later (capped at 50 times the
     * mean, so one draw cannot stall a run).
     */
    static LatencyModel exponential(Duration base, Duration meanJitter) {
        long baseNanos = requireNonNegative(base);
        long mean = requireNonNegative(meanJitter);
        return random -> {
            double u = random.nextDouble();
            double jitter = Math.min(-Math.log1p(-u), 50.0) * mean;
            return baseNanos + (long) jitter;
        };
    }

    private static long requireNonNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, got " + d);
        }
        return d.toNanos();
    }
}

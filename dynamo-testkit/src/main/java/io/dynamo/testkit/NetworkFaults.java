package io.dynamo.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * The random faults of a {@link SimNetwork}, applied to every message that passes the link blocks
 * and the message filters: its latency, the chance it is lost, and the chance it arrives twice
 * (the copy draws its own latency, so it may arrive first).
 */
public record NetworkFaults(LatencyModel latency, double dropProbability, double duplicateProbability) {

    /** A lossless network with 1 ms base latency and 0.5 ms mean jitter. */
    public static final NetworkFaults RELIABLE =
            new NetworkFaults(LatencyModel.exponential(Duration.ofMillis(1), Duration.ofNanos(500_000)), 0, 0);

    public NetworkFaults {
        Objects.requireNonNull(latency, "latency");
        requireProbability("dropProbability", dropProbability);
        requireProbability("duplicateProbability", duplicateProbability);
    }

    public NetworkFaults withLatency(LatencyModel newLatency) {
        return new NetworkFaults(newLatency, dropProbability, duplicateProbability);
    }

    public NetworkFaults withDropProbability(double p) {
        return new NetworkFaults(latency, p, duplicateProbability);
    }

    public NetworkFaults withDuplicateProbability(double p) {
        return new NetworkFaults(latency, dropProbability, p);
    }

    private static void requireProbability(String name, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
        }
    }
}

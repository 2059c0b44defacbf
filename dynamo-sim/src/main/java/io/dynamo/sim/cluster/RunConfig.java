package io.dynamo.sim.cluster;

import io.dynamo.core.time.RandomSource;
import io.dynamo.testkit.LatencyModel;
import io.dynamo.testkit.NetworkFaults;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one simulated run does: the cluster, the client population and its mix of operations, the
 * network's random faults and the nemeses that act during the workload.
 *
 * @param nodes cluster size (N=3 namespaces)
 * @param keys keys the clients share
 * @param clients concurrent clients, each doing one operation at a time
 * @param workload how long clients issue operations (virtual time)
 * @param thinkTime mean pause between a client's operations (exponential)
 * @param deleteFraction share of operations that delete the key they read
 * @param blindFraction share of operations that write without a context (always concurrent)
 * @param staleFraction share of operations that write with a read the client made earlier (a
 *     stale context) instead of reading first
 * @param optionFraction share of requests with their own R, or W and DW (DW at least 1)
 * @param faults the network's latency, drop and duplication
 * @param nemeses the faults injected during the workload
 */
public record RunConfig(int nodes, int keys, int clients, Duration workload, Duration thinkTime,
        double deleteFraction, double blindFraction, double staleFraction, double optionFraction,
        NetworkFaults faults, Set<Nemesis.Kind> nemeses) {

    public RunConfig {
        if (nodes < 3) {
            throw new IllegalArgumentException("nodes must be at least 3 (n=3), was " + nodes);
        }
        if (keys < 1 || clients < 1) {
            throw new IllegalArgumentException("keys and clients must be at least 1");
        }
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(thinkTime, "thinkTime");
        Objects.requireNonNull(faults, "faults");
        nemeses = nemeses.isEmpty() ? EnumSet.noneOf(Nemesis.Kind.class) : EnumSet.copyOf(nemeses);
    }

    /** A run whose shape is drawn from {@code random}: the mix the test suite sweeps over seeds. */
    public static RunConfig random(RandomSource random) {
        int nodes = 4 + random.nextInt(3);
        int keys = 2 + random.nextInt(8);
        int clients = 2 + random.nextInt(5);
        double drop = random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.05;
        double dup = random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.05;
        LatencyModel latency = LatencyModel.exponential(Duration.ofMillis(1 + random.nextInt(3)),
                Duration.ofNanos(200_000 + random.nextInt(3_000_000)));
        EnumSet<Nemesis.Kind> nemeses = EnumSet.noneOf(Nemesis.Kind.class);
        for (Nemesis.Kind k : Nemesis.Kind.values()) {
            if (random.nextInt(2) == 0) {
                nemeses.add(k);
            }
        }
        return new RunConfig(nodes, keys, clients, Duration.ofSeconds(10 + random.nextInt(21)),
                Duration.ofMillis(5 + random.nextInt(40)),
                random.nextInt(3) == 0 ? 0.0 : random.nextInt(2) == 0 ? 0.05 : 0.15, random.nextInt(2) == 0 ? 0.0 : 0.05,
                random.nextInt(2) == 0 ? 0.0 : 0.1, random.nextInt(2) == 0 ? 0.0 : 0.3,
                new NetworkFaults(latency, drop, dup), nemeses);
    }

    /** The paper's section 6.3 setting: a busy client population on many keys, no faults at all. */
    public static RunConfig divergence() {
        return new RunConfig(5, 2_000, 64, Duration.ofSeconds(60), Duration.ofMillis(20), 0.0, 0.0, 0.0, 0.0,
                NetworkFaults.RELIABLE, EnumSet.noneOf(Nemesis.Kind.class));
    }

    public RunConfig withWorkload(Duration d) {
        return new RunConfig(nodes, keys, clients, d, thinkTime, deleteFraction, blindFraction, staleFraction,
                optionFraction, faults, nemeses);
    }

    @Override
    public String toString() {
        return nodes + " nodes, " + keys + " keys, " + clients + " clients, " + workload.toSeconds() + "s workload, think "
                + thinkTime.toMillis() + "ms, delete " + deleteFraction + ", blind " + blindFraction + ", stale "
                + staleFraction + ", options "
                + optionFraction + ", drop "
                + String.format(java.util.Locale.ROOT, "%.3f", faults.dropProbability()) + ", dup "
                + String.format(java.util.Locale.ROOT, "%.3f", faults.duplicateProbability()) + ", nemeses " + nemeses;
    }
}

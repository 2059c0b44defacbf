package io.dynamo.testkit;

import io.dynamo.core.time.RandomSource;
import java.util.Objects;
import java.util.stream.LongStream;

/**
 * One seeded simulation: a {@link SimScheduler}, a {@link SimNetwork} and a tree of random
 * streams, all following from one seed. {@link #run} runs a body and, if it fails, rethrows with
 * the seed, the command-line property that replays it and the tail of the event trace.
 *
 * <p>Each component draws from its own stream, {@link #random(String) named} rather than split in
 * creation order, so adding a component (or a draw in one) never shifts the draws of another; a
 * seed that found a bug keeps finding it while unrelated code changes.
 */
public final class Simulation {

    /** The system property that replays one seed: {@code -Ddynamo.sim.seed=...}. */
    public static final String SEED_PROPERTY = "dynamo.sim.seed";

    /** How many trace lines a failure message shows. */
    public static final int FAILURE_TAIL = 40;

    private final long seed;
    private final SimScheduler scheduler;
    private final SimNetwork network;

    /** A simulation whose network starts with {@code faults}. */
    public Simulation(long seed, NetworkFaults faults) {
        this.seed = seed;
        this.scheduler = new SimScheduler();
        this.network = new SimNetwork(scheduler, random("network"), faults);
    }

    /** A simulation on a {@linkplain NetworkFaults#RELIABLE reliable} network. */
    public Simulation(long seed) {
        this(seed, NetworkFaults.RELIABLE);
    }

    public long seed() {
        return seed;
    }

    public SimScheduler scheduler() {
        return scheduler;
    }

    public SimNetwork network() {
        return network;
    }

    public Trace trace() {
        return scheduler.trace();
    }

    /**
     * The random stream of the component called {@code name} (e.g. {@code "network"}, {@code
     * "node/n1"}, {@code "nemesis"}): a function of the seed and the name only. Each call returns
     * a new source starting at the same point, so ask once per component.
     */
    public RandomSource random(String name) {
        return RandomSource.seeded(derive(seed, name));
    }

    /** The seed from {@value #SEED_PROPERTY} if set, else {@code fallback}. */
    public static long seed(long fallback) {
        String value = System.getProperty(SEED_PROPERTY);
        return value == null || value.isBlank() ? fallback : parseSeed(value);
    }

    /**
     * The seeds a multi-seed test should run: {@code count} seeds derived from {@code base}, or
     * only the one given with {@value #SEED_PROPERTY} (the replay).
     */
    public static long[] seeds(long base, int count) {
        String value = System.getProperty(SEED_PROPERTY);
        if (value != null && !value.isBlank()) {
            return new long[] {parseSeed(value)};
        }
        return LongStream.range(0, count).map(i -> derive(base, "seed/" + i)).toArray();
    }

    /** What a simulated run does; may throw anything, which {@link #run} wraps with the seed. */
    @FunctionalInterface
    public interface Body {
        void run(Simulation sim) throws Exception;
    }

    /** Runs {@code body} on a new simulation with a reliable network; see {@link #run(Simulation, Body)}. */
    public static void run(long seed, Body body) {
        run(new Simulation(seed), body);
    }

    /**
     * Runs {@code body} on {@code sim}. If it throws, rethrows an {@link AssertionError} naming the
     * seed, the virtual time, how to replay, and the last {@value #FAILURE_TAIL} trace lines, with
     * the original failure as its cause.
     */
    public static void run(Simulation sim, Body body) {
        Objects.requireNonNull(body, "body");
        try {
            body.run(sim);
        } catch (Exception | Error failure) {
            throw new AssertionError(sim.describeFailure(failure), failure);
        }
    }

    /** The failure report {@link #run} attaches: seed, replay property, time, trace tail. */
    public String describeFailure(Throwable failure) {
        return "simulation failed: seed=" + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ") at "
                + Trace.formatTime(scheduler.nowNanos()) + ": " + failure + "\nlast "
                + Math.min(FAILURE_TAIL, trace().count()) + " of " + trace().count() + " events:\n"
                + trace().tailText(FAILURE_TAIL);
    }

    private static long parseSeed(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a long, got '" + value + "'", e);
        }
    }

    /** Mixes a seed and a name into an independent seed (FNV-1a of the name, then SplitMix64's finalizer). */
    static long derive(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001b3L;
        }
        long z = seed + h * 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

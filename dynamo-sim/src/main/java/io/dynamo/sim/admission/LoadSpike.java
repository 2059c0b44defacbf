package io.dynamo.sim.admission;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.DynamoNode;
import io.dynamo.server.admission.AdmissionController;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.server.transport.Message;
import io.dynamo.testkit.Simulation;
import io.dynamo.testkit.cluster.SimClient;
import io.dynamo.testkit.cluster.SimCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Admission control end to end (paper section 6.5): a five-node cluster in which every node has
 * a capacity (each message and client request costs it service time, and waits its turn behind
 * the ones before it) serves an open-loop foreground load while a large piece of background work
 * runs, and a foreground spike arrives in the middle of it.
 *
 * <p>The phases, in virtual time: <b>steady</b> (the base load, no background work: the reference
 * p99); <b>background</b> (the base load while the background work starts); <b>spike</b> (the
 * load multiplied, the background work still under way); <b>after</b> (the base load again, until
 * the background work is done). The background work is one of: hinted handoff to a node that was
 * down while many keys were written; anti-entropy repopulating a node whose disk was lost; the
 * ownership transfer that a sixth node's join starts. Each setting runs with admission control
 * and without it (a ceiling no work reaches), so the difference is the controller's.
 */
public final class LoadSpike {

    /** The background work of a run. */
    public enum Background {
        /** No background work: the foreground alone, through the same phases. */
        NONE,
        /** A node that was down while the keys were written comes back; the fallbacks deliver hints. */
        HINTS,
        /** A node loses its disk and comes back empty; anti-entropy repopulates it. */
        ANTI_ENTROPY,
        /** A sixth node joins; the partitions it takes stream to it, and the old owners hand off. */
        TRANSFER
    }

    /**
     * One run's settings.
     *
     * @param keys keys written before the run (and read and written by the foreground)
     * @param baseRate foreground requests a second, open loop (Poisson arrivals)
     * @param spikeFactor how many times the base rate the spike offers
     * @param phase how long each of the steady, background and spike phases lasts
     * @param deadline how long after the spike the run waits for the background work at most
     */
    public record Config(Background background, boolean admission, long seed, int keys, double baseRate,
            double spikeFactor, Duration phase, Duration deadline) {
        public Config {
            Objects.requireNonNull(background, "background");
            if (keys < 1 || !(baseRate > 0) || !(spikeFactor >= 1)) {
                throw new IllegalArgumentException("need keys >= 1, base rate > 0 and spike factor >= 1");
            }
        }

        /** 60,000 keys, 2,000 requests a second, a 2.5x spike, 10 s phases, 120 s to finish. */
        public static Config of(Background background, boolean admission, long seed) {
            return new Config(background, admission, seed, 60_000, 2_000, 2.5, Duration.ofSeconds(10),
                    Duration.ofSeconds(120));
        }
    }

    /** What the foreground saw in one phase, and the background permits granted in it. */
    public record Phase(String name, int requests, int failed, double p50Ms, double p99Ms, double permitsPerSecond,
            java.util.Map<String, Double> subjectLoad) {

        /**
         * Where the node under repair (the newcomer, for a transfer) spent its time in this phase:
         * the share of the phase each kind of work took, the largest first, and the total.
         */
        public String describeLoad(NodeId subject) {
            StringBuilder b = new StringBuilder();
            double total = 0;
            for (var e : subjectLoad.entrySet().stream()
                    .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).toList()) {
                total += e.getValue();
                if (e.getValue() >= 0.005) {
                    b.append(String.format(Locale.ROOT, "%s %.0f%%, ", e.getKey(), 100 * e.getValue()));
                }
            }
            return String.format(Locale.ROOT, "%s busy %.0f%% in the %s phase: %s", subject, 100 * total, name,
                    b.length() == 0 ? "idle" : b.substring(0, b.length() - 2));
        }
    }

    /**
     * A run's result.
     *
     * @param rateAtSpike the background rate (permits a second) of the busiest node when the spike began
     * @param lowestRateInSpike the lowest background rate any node had during the spike
     * @param doneAfter seconds from the start of the background work until it was done; -1 if it
     *     was not done by the deadline
     */
    public record Result(Config config, Phase steady, Phase background, Phase spike, Phase after, double rateAtSpike,
            double lowestRateInSpike, double doneAfter, long events) {

        /** Where the node under repair spent its time, in the background and the spike phases. */
        public String subjectLoad() {
            NodeId who = subject(config.background());
            return background.describeLoad(who) + "\n" + spike.describeLoad(who);
        }

        /** The spike's foreground p99 over the steady phase's. */
        public double spikeRatio() {
            return spike.p99Ms / steady.p99Ms;
        }

        public boolean done() {
            return doneAfter >= 0;
        }

        public String row() {
            return String.format(Locale.ROOT, "%-12s %-3s  %6.2f  %7.2f  %7.2f  %7.2f  %5.1fx  %7.0f  %7.0f  %9s  %6s",
                    config.background().name().toLowerCase(Locale.ROOT), config.admission() ? "on" : "off",
                    steady.p99Ms, background.p99Ms, spike.p99Ms, after.p99Ms, spikeRatio(),
                    background.permitsPerSecond, spike.permitsPerSecond,
                    done() ? String.format(Locale.ROOT, "%.1f s", doneAfter) : "not done",
                    config.admission() ? String.format(Locale.ROOT, "%.0f", lowestRateInSpike) : "-");
        }
    }

    public static final String HEADER = "background   adm  steady  backgr.    spike    after  spike/   keys/s   keys/s"
            + "       done  lowest\n"
            + "                 p99 ms   p99 ms   p99 ms   p99 ms  steady    backgr.  spike      after    rate";

    /** The node whose outage, lost disk or arrival makes the background work. */
    static final NodeId SUBJECT = NodeId.of("n5");
    static final NodeId NEWCOMER = NodeId.of("n6");
    static final String NAMESPACE = "spike";

    static NodeId subject(Background background) {
        return background == Background.TRANSFER ? NEWCOMER : SUBJECT;
    }
    private static final long US = 1_000;

    /**
     * What each message costs the node that handles it: a replica write a quarter of a
     * millisecond, a read less, scans and merges in proportion to the keys they touch, control
     * messages little. A client request (coordinating it and the local replica's part) costs
     * {@link #CLIENT_REQUEST}.
     */
    static Duration cost(Message m) {
        long nanos = switch (m) {
            case Message.ReplicaWrite w -> 150 * US;
            case Message.HintDelivery h -> 150 * US;
            case Message.ReplicaRead r -> 100 * US;
            case Message.TransferChunkRequest t -> 20 * US + 10 * US * t.limit();
            case Message.TransferChunkReply t -> 20 * US + 60 * US * t.entries().size();
            case Message.SegmentRequest s -> 20 * US + 10 * US * s.segments().length;
            case Message.SegmentReply s -> 20 * US + 60 * US * s.entries().size();
            case Message.TreeLevelRequest t -> 10 * US + t.nodes().length * US / 4;
            default -> 10 * US;
        };
        return Duration.ofNanos(nanos);
    }

    /**
     * Hints in flight to one target: 8, not the simulator's usual 64, so that a target taking
     * hints from four fallbacks at once sees at most 32 arrive together.
     */
    static final int HINT_WINDOW = 8;

    static final Duration CLIENT_REQUEST = Duration.ofNanos(150 * US);

    /**
     * The admission settings of the runs with admission control: the simulated network's round
     * trip is about 3 ms and the steady foreground p99 about 6 ms, so the controller defends a
     * 7 ms foreground p99 and a 2 ms queue-wait p99 over a 1 s window, adjusting every 100 ms.
     */
    static AdmissionController.Settings controlled() {
        return AdmissionController.Settings.DEFAULTS.withTargets(Duration.ofMillis(12), Duration.ofMillis(5))
                .withTiming(Duration.ofSeconds(1), Duration.ofMillis(100));
    }

    /** The settings of the runs without it: a ceiling no background work reaches. */
    static AdmissionController.Settings uncontrolled() {
        return AdmissionController.Settings.DEFAULTS.withRates(1e9, 1e9);
    }

    public static Result run(Config config) {
        Simulation sim = new Simulation(config.seed());
        AdmissionController.Settings admission = config.admission() ? controlled() : uncontrolled();
        SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(5).withConfig(c -> c.withAdmission(admission)
                .withHintDelivery(Duration.ofMillis(200), HINT_WINDOW, 1000, Duration.ofMillis(500),
                        Duration.ofSeconds(5))));
        return new LoadSpike(sim, cluster, config).go();
    }

    private final Simulation sim;
    private final SimCluster cluster;
    private final Config config;
    private final SimClient client;
    private final RandomSource random;
    private final VersionVector[] contexts;
    /** Per phase, by index: the foreground latencies, failures, and background permits a second. */
    private final List<List<Long>> latencies = new ArrayList<>(List.of(new ArrayList<>()));
    private final List<int[]> failures = new ArrayList<>(List.of(new int[1]));
    private final List<Double> permitsPerSecond = new ArrayList<>();
    private final List<java.util.Map<String, Double>> subjectLoads = new ArrayList<>();
    private java.util.Map<String, Long> busySeen = java.util.Map.of();
    private final java.util.Map<NodeId, Long> grantedSeen = new java.util.TreeMap<>();
    private int current;
    private double rate;
    private long issued;

    private LoadSpike(Simulation sim, SimCluster cluster, Config config) {
        this.sim = sim;
        this.cluster = cluster;
        this.config = config;
        this.client = cluster.client("load");
        this.random = sim.random("load");
        this.contexts = new VersionVector[config.keys()];
    }

    private Result go() {
        if (config.background() == Background.HINTS) {
            cluster.crash(SUBJECT);
        }
        preload();
        sim.network().setServiceTime(LoadSpike::cost);
        cluster.setClientServiceTime(CLIENT_REQUEST);
        rate = config.baseRate();
        close(1); // the preload's permits are no phase's
        arrive();
        int steady = phase(config.phase());
        long backgroundStart = sim.scheduler().nowNanos();
        startBackground();
        BooleanSupplier done = doneCondition();
        watchUntilDone(done);
        int background = phase(config.phase());
        double rateAtSpike = Double.MAX_VALUE;
        for (NodeId id : cluster.ids()) {
            if (cluster.isUp(id)) {
                DynamoNode node = cluster.node(id);
                rateAtSpike = Math.min(rateAtSpike, node.admission().rate());
                node.admission().resetLowestRate();
            }
        }
        rate = config.baseRate() * config.spikeFactor();
        int spike = phase(config.phase());
        double lowest = Double.MAX_VALUE;
        for (NodeId id : cluster.ids()) {
            if (cluster.isUp(id)) {
                lowest = Math.min(lowest, cluster.node(id).admission().lowestRate());
            }
        }
        rate = config.baseRate();
        long afterStart = sim.scheduler().nowNanos();
        boolean finished = sim.scheduler().runUntil(() -> doneAtNanos >= 0, config.deadline());
        long doneAt = finished ? doneAtNanos : sim.scheduler().nowNanos();
        // At least one phase's worth of "after", so that its p99 means something.
        long ran = sim.scheduler().nowNanos() - afterStart;
        if (ran < config.phase().toNanos()) {
            sim.scheduler().runFor(Duration.ofNanos(config.phase().toNanos() - ran));
        }
        int after = close(sim.scheduler().nowNanos() - afterStart);
        rate = 0;
        sim.scheduler().runFor(SimClient.CLIENT_TIMEOUT.plusSeconds(1)); // every request answered or timed out
        double doneAfter = config.background() == Background.NONE ? 0
                : finished ? (doneAt - backgroundStart) / 1e9 : -1;
        return new Result(config, judge("steady", steady), judge("background", background), judge("spike", spike),
                judge("after", after), rateAtSpike == Double.MAX_VALUE ? 0 : rateAtSpike,
                lowest == Double.MAX_VALUE ? 0 : lowest, doneAfter, sim.trace().count());
    }

    /** Writes every key once, 256 at a time, with free handling. */
    private void preload() {
        int[] next = {0};
        int[] outstanding = {0};
        Runnable[] more = new Runnable[1];
        more[0] = () -> {
            while (outstanding[0] < 256 && next[0] < config.keys()) {
                int k = next[0]++;
                outstanding[0]++;
                client.put(client.anyLiveNode(), NAMESPACE, key(k), VersionVector.empty(), value(k, 0), RequestOptions.DEFAULTS)
                        .whenComplete((ok, error) -> {
                            if (ok != null) {
                                contexts[k] = ok.context();
                            }
                            outstanding[0]--;
                            more[0].run();
                        });
            }
        };
        more[0].run();
        sim.scheduler().runUntil(() -> next[0] == config.keys() && outstanding[0] == 0, Duration.ofMinutes(10));
        sim.scheduler().runFor(Duration.ofSeconds(2));
    }

    private void startBackground() {
        switch (config.background()) {
            case NONE -> {
            }
            case HINTS -> cluster.restart(SUBJECT);
            case ANTI_ENTROPY -> {
                cluster.wipe(SUBJECT);
                cluster.restart(SUBJECT);
            }
            case TRANSFER -> cluster.join(NEWCOMER, "z1");
        }
    }

    /** When the background work was first seen done (checked every 100 ms), or -1. */
    private long doneAtNanos = -1;

    private void watchUntilDone(BooleanSupplier done) {
        if (done.getAsBoolean()) {
            doneAtNanos = sim.scheduler().nowNanos();
            return;
        }
        sim.scheduler().schedule(Duration.ofMillis(100), () -> watchUntilDone(done));
    }

    private BooleanSupplier doneCondition() {
        return switch (config.background()) {
            case NONE -> () -> true;
            case HINTS -> () -> {
                for (NodeId id : cluster.ids()) {
                    if (cluster.isUp(id) && cluster.engine(id).hints().countsByTarget().getOrDefault(SUBJECT, 0L) > 0) {
                        return false;
                    }
                }
                return true;
            };
            case ANTI_ENTROPY -> this::subjectHoldsItsKeys;
            case TRANSFER -> cluster::settled;
        };
    }

    private long lastCheck = Long.MIN_VALUE;
    private int missing = -1;

    /** Whether the subject holds every preloaded key it owns (counted every 100 ms: it reads them all). */
    private boolean subjectHoldsItsKeys() {
        long now = sim.scheduler().nowNanos();
        if (missing < 0 || (missing > 0 && now - lastCheck >= 100_000_000L)) {
            lastCheck = now;
            var ring = cluster.currentRing();
            var engine = cluster.engine(SUBJECT);
            missing = 0;
            for (int k = 0; k < config.keys(); k++) {
                byte[] key = key(k);
                int p = ring.partitionOf(NAMESPACE, key);
                if (io.dynamo.core.membership.ClusterState.owners(ring, p, 3).contains(SUBJECT)
                        && engine.get(p, StoredKey.of(NAMESPACE, key)).isEmpty()) {
                    missing++;
                }
            }
        }
        return missing == 0;
    }

    /** Runs one phase of {@code length} and closes it. */
    private int phase(Duration length) {
        sim.scheduler().runFor(length);
        return close(length.toNanos());
    }

    /**
     * Ends the current phase: counts the background permits granted in it, and starts the next;
     * returns the phase's index. Its requests are judged at the end of the run, when even the
     * slowest of them has been answered.
     */
    private int close(long lengthNanos) {
        long permits = 0;
        for (NodeId id : cluster.ids()) {
            if (cluster.isUp(id)) {
                long now = cluster.node(id).admission().granted();
                long before = grantedSeen.getOrDefault(id, 0L);
                permits += now >= before ? now - before : now; // a restart starts a new count
                grantedSeen.put(id, now);
            }
        }
        permitsPerSecond.add(permits / (lengthNanos / 1e9));
        var busy = sim.network().busyTime(subject(config.background()));
        var load = new java.util.TreeMap<String, Double>();
        busy.forEach((kind, nanos) -> load.put(kind, (nanos - busySeen.getOrDefault(kind, 0L)) / (double) lengthNanos));
        subjectLoads.add(load);
        busySeen = busy;
        latencies.add(new ArrayList<>());
        failures.add(new int[1]);
        return current++;
    }

    private Phase judge(String name, int index) {
        long[] sorted = latencies.get(index).stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Phase(name, sorted.length, failures.get(index)[0], percentile(sorted, 50),
                percentile(sorted, 99), permitsPerSecond.get(index), subjectLoads.get(index));
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** The open-loop arrivals: the next request at an exponential gap at the current rate. */
    private void arrive() {
        if (rate <= 0) {
            return;
        }
        double gap = -Math.log1p(-random.nextDouble()) / rate;
        sim.scheduler().schedule(Duration.ofNanos(Math.max(1, (long) (gap * 1e9))), () -> {
            request();
            arrive();
        });
    }

    private void request() {
        int k = random.nextInt(config.keys());
        long start = sim.scheduler().nowNanos();
        NodeId via = client.anyLiveNode();
        var done = random.nextBoolean()
                ? client.get(via, NAMESPACE, key(k), RequestOptions.DEFAULTS).thenAccept(r -> contexts[k] = r.context())
                : client.put(via, NAMESPACE, key(k), contexts[k] == null ? VersionVector.empty() : contexts[k],
                        value(k, ++issued), RequestOptions.DEFAULTS)
                        .thenAccept(r -> contexts[k] = r.context());
        int in = current;
        done.whenComplete((ok, error) -> {
            if (error != null) {
                failures.get(in)[0]++;
            }
            latencies.get(in).add(sim.scheduler().nowNanos() - start);
        });
    }

    private static byte[] key(int k) {
        return ("key-" + k).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int k, long version) {
        return ("value-" + k + "-" + version + "-" + "x".repeat(64)).getBytes(StandardCharsets.UTF_8);
    }
}

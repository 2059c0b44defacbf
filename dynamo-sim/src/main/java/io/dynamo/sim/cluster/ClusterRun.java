package io.dynamo.sim.cluster;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.testkit.Simulation;
import io.dynamo.testkit.cluster.SimClient;
import io.dynamo.testkit.cluster.SimCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One whole simulated run, from a seed: build the cluster, run the workload under the nemeses,
 * heal everything, let the cluster quiesce (hints delivered, failure detectors recovered,
 * anti-entropy run, a ring change under way completed and handed off), check that the owners of every key converged without any read, read every
 * key with R=N, quiesce again, and check the other invariants.
 * The same seed gives the same run, event for event ({@link Result#traceHash()}).
 */
public final class ClusterRun {

    /** Virtual time after healing before the final reads: hint backoff is at most 5 s in the simulator. */
    static final Duration QUIESCE = Duration.ofSeconds(20);

    /**
     * What a run found.
     *
     * @param violations every broken invariant, empty for a good run
     * @param ringChanges ring changes completed (joins and leaves planned, moved and promoted; a
     *     plan replaced before promotion counts too, as its epoch was used)
     * @param traceTail the last events, for a failing run's report
     */
    public record Result(long seed, RunConfig config, List<String> violations, long traceHash, long events,
            long reads, long readsFound, long readsWithOneVersion, long writes, long writesAcked, long writesFailed,
            int faultsInjected, long tombstonesPurged, long ringChanges, String traceTail) {

        public boolean ok() {
            return violations.isEmpty();
        }

        /** Share of successful reads that found the key and saw exactly one version. */
        public double oneVersionShare() {
            return readsFound == 0 ? 1.0 : (double) readsWithOneVersion / readsFound;
        }

        public String summary() {
            return "seed " + seed + ": " + (ok() ? "ok" : violations.size() + " violations") + "; " + config + "; "
                    + writes + " writes (" + writesAcked + " acked, " + writesFailed + " failed), " + reads + " reads, "
                    + faultsInjected + " faults, " + tombstonesPurged + " tombstones purged, " + ringChanges
                    + " ring changes, " + events
                    + " events, trace " + Long.toHexString(traceHash);
        }

        /** The report of a failing run: the replay command, the violations and the event trace tail. */
        public String report() {
            StringBuilder b = new StringBuilder(summary()).append('\n')
                    .append("replay: ./dynamo sim run --seed ").append(seed)
                    .append("   (or the test with -D").append(Simulation.SEED_PROPERTY).append('=').append(seed)
                    .append(")\n");
            violations.stream().limit(20).forEach(v -> b.append("  ").append(v).append('\n'));
            if (violations.size() > 20) {
                b.append("  ... and ").append(violations.size() - 20).append(" more\n");
            }
            return b.append("last events:\n").append(traceTail).toString();
        }
    }

    private ClusterRun() {
    }

    /** The run of {@code seed}, its shape drawn from the seed too. */
    public static Result run(long seed) {
        Simulation probe = new Simulation(seed);
        return run(seed, RunConfig.random(probe.random("config")));
    }

    public static Result run(long seed, RunConfig config) {
        Simulation sim = new Simulation(seed, config.faults());
        SimCluster cluster = new SimCluster(sim, SimCluster.Options.of(config.nodes()));
        History history = new History();
        Workload workload = new Workload(cluster, config, history, sim.random("workload"));
        Nemesis nemesis = new Nemesis(cluster, sim.random("nemesis"), config.nemeses(), config.faults());
        workload.start();
        nemesis.start();
        sim.scheduler().runFor(config.workload());
        workload.stop();
        nemesis.healAll();
        // Operations in flight finish or time out on the clients' side.
        boolean drained = sim.scheduler().runUntil(() -> workload.running() == 0, SimClient.CLIENT_TIMEOUT.plusSeconds(1));
        sim.scheduler().runFor(QUIESCE);
        // A ring change under way completes: transfers received, the plan promoted, old owners
        // handed off and dropped.
        boolean settled = cluster.settled();
        for (int i = 0; i < 120 && !settled; i++) {
            sim.scheduler().runFor(Duration.ofMillis(500));
            settled = cluster.settled();
        }

        // Replicas must have converged by hinted handoff and anti-entropy alone: no read has
        // repaired anything yet.
        Checker checker = new Checker(cluster, history);
        checker.checkConvergence();

        Map<String, List<Versioned<Content>>> finals = finalReads(cluster, workload, history);
        sim.scheduler().runFor(Duration.ofSeconds(5));

        if (!settled) {
            checker.violations().add("(sanity) the cluster did not settle within 60 s after quiescing: "
                    + cluster.view());
        }
        if (!drained) {
            checker.violations().add("(sanity) " + workload.running() + " clients still busy "
                    + SimClient.CLIENT_TIMEOUT.plusSeconds(1).toSeconds() + " s after the workload stopped");
        }
        workload.harnessErrors().forEach(e -> checker.violations().add("(sanity) client callback threw " + e));
        checker.checkFinal(finals);
        checker.checkSiblings();
        checker.checkHintsAndSanity();
        Workload.Stats s = workload.stats();
        long purged = cluster.tombstonesPurged();
        return new Result(seed, config, List.copyOf(checker.violations()), sim.trace().hash(), sim.trace().count(),
                s.reads, s.readsFound, s.readsWithOneVersion, s.writes, s.writesAcked, s.writesFailed,
                nemesis.injected(), purged, cluster.currentRing().epoch() - cluster.ring().epoch(),
                sim.trace().tailText(Simulation.FAILURE_TAIL));
    }

    /** Reads every written key with R=N, retrying a few times, from the first node. */
    private static Map<String, List<Versioned<Content>>> finalReads(SimCluster cluster, Workload workload,
            History history) {
        Map<String, List<Versioned<Content>>> out = new TreeMap<>();
        SimClient reader = cluster.client("final-reader");
        RequestOptions all = RequestOptions.parse(Map.of("r", "3"));
        NodeId via = cluster.ids().get(0);
        for (String key : history.keysWritten()) {
            for (int attempt = 0; attempt < 5 && !out.containsKey(key); attempt++) {
                CompletableFuture<GetResult> f = reader.get(via, Workload.NAMESPACE, Workload.bytes(key), all);
                cluster.sim().scheduler().runUntil(f::isDone, SimClient.CLIENT_TIMEOUT.plusSeconds(1));
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    GetResult got = f.join();
                    workload.observe(key, got);
                    out.put(key, got.values());
                } else {
                    cluster.sim().scheduler().runFor(Duration.ofSeconds(1));
                }
            }
        }
        return out;
    }
}

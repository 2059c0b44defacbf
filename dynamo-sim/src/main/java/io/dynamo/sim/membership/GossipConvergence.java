package io.dynamo.sim.membership;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.RandomSource;
import io.dynamo.server.membership.FailureDetector;
import io.dynamo.server.membership.Gossiper;
import io.dynamo.server.membership.PhiAccrualDetector;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Requests;
import io.dynamo.server.transport.Transport;
import io.dynamo.testkit.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How fast a membership change spreads by gossip (paper section 4.8): S nodes gossiping once per
 * second (push-pull with a random live member, and with seeds now and then) on the simulated
 * network; at a random moment an operator marks a random node as leaving at a random node; the
 * experiment counts the gossip rounds until every node's view holds the change. Many trials per
 * S give the distribution; the target is p99 within ceil(log2 S) + 2 rounds.
 */
public final class GossipConvergence {

    /** One cluster size's result: rounds until all views agreed, sorted, one per trial. */
    public record Result(int nodes, int[] rounds) {
        public int percentile(double p) {
            int i = (int) Math.ceil(p / 100.0 * rounds.length) - 1;
            return rounds[Math.max(0, Math.min(rounds.length - 1, i))];
        }

        public int target() {
            return (int) Math.ceil(Math.log(nodes) / Math.log(2)) + 2;
        }

        public double mean() {
            return Arrays.stream(rounds).average().orElse(0);
        }

        public String row() {
            return String.format(Locale.ROOT, "%5d  %6d  %6.2f  %4d  %4d  %4d  %6d  %s", nodes, rounds.length, mean(),
                    percentile(50), percentile(99), rounds[rounds.length - 1], target(),
                    percentile(99) <= target() ? "met" : "MISSED");
        }
    }

    public static final String HEADER = "    S  trials    mean   p50   p99   max  target  p99<=target";

    static final Duration INTERVAL = Duration.ofSeconds(1);

    private GossipConvergence() {
    }

    /** {@code trials} trials on a cluster of {@code nodes}, seeded from {@code seed}. */
    public static Result run(int nodes, int trials, long seed) {
        int[] rounds = new int[trials];
        long[] seeds = Simulation.seeds(seed, trials);
        for (int t = 0; t < trials; t++) {
            rounds[t] = trial(nodes, seeds[t]);
        }
        Arrays.sort(rounds);
        return new Result(nodes, rounds);
    }

    /** S gossiping nodes on one simulation. */
    private record Gossiping(Simulation sim, List<Member> members, List<Gossiper> gossipers) {
    }

    private static Gossiping cluster(int n, long seed) {
        Simulation sim = new Simulation(seed);
        List<Member> members = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            members.add(Member.of("n" + i, "z" + ((i - 1) % 3 + 1)));
        }
        ClaimStrategy strategy = ClaimStrategy.equalPartitions(Math.max(64, Integer.highestOneBit(n) * 8), 3);
        ClusterState initial = ClusterState.bootstrap(members, strategy, RandomSource.seeded(seed));
        List<NodeId> seeds = List.of(NodeId.of("n1"), NodeId.of("n2"));
        List<Gossiper> gossipers = new ArrayList<>();
        for (Member m : members) {
            NodeId id = m.id();
            Transport transport = sim.network().endpoint(id);
            var scheduler = sim.scheduler().forNode(id);
            var clock = sim.scheduler().clockFor(id);
            RandomSource random = sim.random("gossip/" + id);
            FailureDetector local = new FailureDetector(id, clock);
            Requests requests = new Requests(transport, scheduler, local, 1 + random.nextLong(0, Requests.MAX_NONCE));
            Gossiper g = new Gossiper(id, initial, seeds, strategy, () -> java.util.Set.of(3), clock, scheduler, random, transport, requests,
                    INTERVAL, new PhiAccrualDetector(100, PhiAccrualDetector.DEFAULT_THRESHOLD, INTERVAL.toNanos()),
                    s -> { });
            transport.setHandler((from, msg) -> {
                if (msg instanceof Message.GossipPull) {
                    requests.onReply(from, msg);
                } else {
                    g.handle(from, msg);
                }
            });
            g.start();
            gossipers.add(g);
        }
        return new Gossiping(sim, members, gossipers);
    }

    private static int trial(int n, long seed) {
        Gossiping c = cluster(n, seed);
        Simulation sim = c.sim();
        List<Member> members = c.members();
        List<Gossiper> gossipers = c.gossipers();
        RandomSource pick = sim.random("change");
        // Let gossip settle into its rhythm, then change membership at a random moment.
        sim.scheduler().runFor(Duration.ofSeconds(3).plusNanos(pick.nextLong(0, INTERVAL.toNanos())));
        NodeId leaver = members.get(pick.nextInt(n)).id();
        Gossiper origin = gossipers.get(pick.nextInt(n));
        long start = sim.scheduler().nowNanos();
        origin.leave(leaver);
        boolean agreed = sim.scheduler().runUntil(() -> gossipers.stream().allMatch(g -> g.state().member(leaver)
                .map(e -> e.status().compareTo(MemberStatus.LEAVING) >= 0).orElse(false)), Duration.ofSeconds(120));
        if (!agreed) {
            throw new IllegalStateException("views did not agree within 120 s (seed " + seed + ")");
        }
        long elapsed = sim.scheduler().nowNanos() - start;
        return (int) Math.ceil((double) elapsed / INTERVAL.toNanos());
    }

    /**
     * How long the phi-accrual detector (threshold 8, heartbeats gossiped once a second) takes to
     * suspect a crashed node, seen from each other node, over {@code trials} crashes; and how
     * many times a live node was suspected in the minute before (false positives).
     *
     * @return per observer and trial, the seconds from the crash to suspicion, sorted; the last
     *     element is the count of false suspicions
     */
    public static double[] detection(int n, int trials, long seed) {
        List<Double> times = new ArrayList<>();
        long falseSuspicions = 0;
        long[] seeds = Simulation.seeds(seed, trials);
        for (int t = 0; t < trials; t++) {
            Gossiping c = cluster(n, seeds[t]);
            Simulation sim = c.sim();
            // A minute of normal operation, checking every 100 ms that nobody suspects a live node.
            for (int step = 0; step < 600; step++) {
                sim.scheduler().runFor(Duration.ofMillis(100));
                for (Gossiper g : c.gossipers()) {
                    for (Member m : c.members()) {
                        if (g.suspects(m.id())) {
                            falseSuspicions++;
                        }
                    }
                }
            }
            RandomSource pick = sim.random("victim");
            int victim = pick.nextInt(n);
            NodeId dead = c.members().get(victim).id();
            sim.scheduler().crash(dead);
            long crashed = sim.scheduler().nowNanos();
            boolean[] seen = new boolean[n];
            seen[victim] = true;
            int left = n - 1;
            for (int step = 0; step < 1200 && left > 0; step++) {
                sim.scheduler().runFor(Duration.ofMillis(100));
                for (int i = 0; i < n; i++) {
                    if (!seen[i] && c.gossipers().get(i).suspects(dead)) {
                        seen[i] = true;
                        left--;
                        times.add((sim.scheduler().nowNanos() - crashed) / 1e9);
                    }
                }
            }
            if (left > 0) {
                throw new IllegalStateException(left + " nodes never suspected the crashed " + dead + " (seed "
                        + seeds[t] + ")");
            }
        }
        double[] out = new double[times.size() + 1];
        for (int i = 0; i < times.size(); i++) {
            out[i] = times.get(i);
        }
        Arrays.sort(out, 0, times.size());
        out[times.size()] = falseSuspicions;
        return out;
    }
}

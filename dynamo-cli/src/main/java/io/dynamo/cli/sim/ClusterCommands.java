package io.dynamo.cli.sim;

import io.dynamo.sim.cluster.ClusterRun;
import io.dynamo.sim.cluster.RunConfig;
import io.dynamo.testkit.Simulation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The whole-cluster simulation commands: {@code sim run}, {@code sim soak}, {@code sim divergence}. */
public final class ClusterCommands {

    /** The base seed the test suite derives its seeds from ({@code ClusterSimulationTest}). */
    public static final long SUITE_BASE_SEED = 20261122L;

    private ClusterCommands() {
    }

    /** {@code dynamo sim run --seed S}: one seeded cluster run, replayed exactly. */
    @Command(name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Run one simulated cluster from a seed: a workload under the seed's nemeses, then healing, "
                        + "quiescence and the invariant checks. The same seed always gives the same run "
                        + "(the printed trace hash); a failing seed of the test suite or of a soak replays here.",
                "Exit code 0 if every checker passed, 1 if not."
            })
    public static final class Run implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--seed", required = true, description = "The run's seed (as printed by a failing run).")
        long seed;

        @Override
        public Integer call() {
            ClusterRun.Result r = ClusterRun.run(seed);
            PrintWriter out = spec.commandLine().getOut();
            out.println(r.ok() ? r.summary() : r.report());
            out.flush();
            return r.ok() ? 0 : 1;
        }
    }

    /** {@code dynamo sim soak --seeds N}: many seeded runs, reporting the failing ones. */
    @Command(name = "soak",
            mixinStandardHelpOptions = true,
            description = {
                "Run many seeded cluster simulations (the test suite's mix of workloads and nemeses) and report "
                        + "every failing seed with its replay command.",
                "Exit code 0 if every seed passed, 1 if not."
            })
    public static final class Soak implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--seeds", defaultValue = "10000", description = "How many seeds (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--base-seed", defaultValue = "1",
                description = "Seeds are derived from this one (default: ${DEFAULT-VALUE}; the test suite uses "
                        + SUITE_BASE_SEED + ").")
        long baseSeed;

        @Override
        public Integer call() {
            if (seeds < 1) {
                throw new ParameterException(spec.commandLine(), "--seeds must be at least 1, was " + seeds);
            }
            PrintWriter out = spec.commandLine().getOut();
            int failed = 0;
            long writes = 0;
            long acked = 0;
            long started = System.nanoTime();
            long[] all = Simulation.seeds(baseSeed, seeds);
            for (int i = 0; i < all.length; i++) {
                ClusterRun.Result r = ClusterRun.run(all[i]);
                writes += r.writes();
                acked += r.writesAcked();
                if (!r.ok()) {
                    failed++;
                    out.println(r.report());
                }
                if ((i + 1) % 500 == 0) {
                    out.printf(Locale.ROOT, "%d of %d seeds, %d failing%n", i + 1, all.length, failed);
                    out.flush();
                }
            }
            out.printf(Locale.ROOT, "soak: %d seeds from base %d, %d writes (%d acknowledged), %d failing seeds, %.1f s%n",
                    all.length, baseSeed, writes, acked, failed, (System.nanoTime() - started) / 1e9);
            out.flush();
            return failed == 0 ? 0 : 1;
        }
    }

    /** {@code dynamo sim divergence}: the paper's section 6.3 statistic. */
    @Command(name = "divergence",
            mixinStandardHelpOptions = true,
            description = {
                "Reproduce the Dynamo paper's section 6.3 statistic: with a busy client population doing "
                        + "read-modify-writes on many keys and no faults at all, the share of reads that see exactly "
                        + "one version (the paper measured 99.94%% over 24 hours of its shopping cart)."
            })
    public static final class Divergence implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--seconds", defaultValue = "60", description = "Virtual seconds of workload (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--keys", defaultValue = "2000", description = "Keys they share (default: ${DEFAULT-VALUE}).")
        int keys;

        @Override
        public Integer call() {
            if (seconds < 1 || clients < 1 || keys < 1) {
                throw new ParameterException(spec.commandLine(), "--seconds, --clients and --keys must be at least 1");
            }
            RunConfig base = RunConfig.divergence();
            RunConfig config = new RunConfig(base.nodes(), keys, clients, Duration.ofSeconds(seconds),
                    base.thinkTime(), 0.0, 0.0, 0.0, 0.0, base.faults(), base.nemeses());
            ClusterRun.Result r = ClusterRun.run(seed, config);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Command: ./dynamo sim divergence --seed " + seed + " --seconds " + seconds + " --clients "
                    + clients + " --keys " + keys);
            out.println(r.summary());
            out.printf(Locale.ROOT, "reads that found the key: %d; of them with exactly one version: %d (%.3f%%); "
                    + "with more: %d%n", r.readsFound(), r.readsWithOneVersion(), 100.0 * r.oneVersionShare(),
                    r.readsFound() - r.readsWithOneVersion());
            out.println(r.ok() ? "checkers: all passed" : r.report());
            out.flush();
            return r.ok() ? 0 : 1;
        }
    }
}

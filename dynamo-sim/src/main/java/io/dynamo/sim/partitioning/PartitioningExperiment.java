package io.dynamo.sim.partitioning;

import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.KeyHasher;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.ring.Token;
import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Repeats the paper's Figure 8 experiment (section 6.2) on the ring of {@code io.dynamo.core.ring}.
 * For each strategy and metadata size it builds the ring of S nodes, measures its load-balancing
 * efficiency exactly and on sampled keys, then claims the ring again with one node more (a join)
 * and one node fewer (a leave) and measures the replica data that moves.
 *
 * <p>Deterministic: every draw follows from the configured seed. The sampled keys are drawn once
 * and reused for every ring, and run {@code r} of strategies 1 and 2 starts from the same seed for
 * every T, so the two token strategies see the same token placement and differ only in how they
 * cut the ring.
 */
public final class PartitioningExperiment {

    /** The namespace the sampled keys are hashed in. */
    static final String NAMESPACE = "partitioning";
    private static final long LEAVER_SALT = 0x1EAFL;

    private final PartitioningConfig config;
    private final List<Member> members;
    private final Member joiner;
    private final Token[] keys;
    private final long[] runSeeds;

    private PartitioningExperiment(PartitioningConfig config) {
        this.config = config;
        int width = Integer.toString(config.nodes() + 1).length();
        this.members = new ArrayList<>();
        for (int i = 1; i <= config.nodes(); i++) {
            members.add(member(i, width));
        }
        this.joiner = member(config.nodes() + 1, width);
        RandomSource master = RandomSource.seeded(config.seed());
        this.keys = sampleKeys(master.split(), config.sampledKeys());
        this.runSeeds = new long[config.runs()];
        for (int r = 0; r < runSeeds.length; r++) {
            runSeeds[r] = master.nextLong();
        }
    }

    /** Runs the whole sweep. */
    public static PartitioningReport run(PartitioningConfig config) {
        PartitioningExperiment experiment = new PartitioningExperiment(config);
        List<SweepPoint> points = new ArrayList<>();
        for (int t : config.tokensPerNode()) {
            points.add(experiment.measure(Strategy.RANDOM_TOKENS, t));
        }
        for (int t : config.tokensPerNode()) {
            points.add(experiment.measure(Strategy.TOKEN_PLACED_PARTITIONS, t));
        }
        for (int q : config.partitionCounts()) {
            points.add(experiment.measure(Strategy.EQUAL_PARTITIONS, q));
        }
        return new PartitioningReport(config, points);
    }

    /** One strategy at one parameter value, over every run. */
    SweepPoint measure(Strategy strategy, int parameter) {
        int s = config.nodes();
        int n = config.replicas();
        int runs = config.runs();
        double[] exact = new double[runs];
        double[] sampled = new double[runs];
        double[] join = new double[runs];
        double[] leave = new double[runs];
        ClaimStrategy claim = strategy.claim(s, parameter, n);
        Ring ring = null;
        for (int r = 0; r < runs; r++) {
            RandomSource random = RandomSource.seeded(runSeeds[r]);
            boolean rebuild = ring == null || strategy.isRandom();
            if (rebuild) {
                ring = claim.initial(members, random);
                exact[r] = LoadBalance.exactEfficiency(ring, n);
                sampled[r] = LoadBalance.sampledEfficiency(ring, n, keys);
                List<Member> grown = new ArrayList<>(members);
                grown.add(joiner);
                join[r] = Movement.movedFraction(ring, claim.claim(ring, grown, random), n);
            } else {
                // Strategy 3 is deterministic: the same ring and join every run; only the leaver varies.
                exact[r] = exact[0];
                sampled[r] = sampled[0];
                join[r] = join[0];
            }
            int leaver = RandomSource.seeded(runSeeds[r] ^ LEAVER_SALT).nextInt(s);
            List<Member> shrunk = new ArrayList<>(members);
            shrunk.remove(leaver);
            leave[r] = Movement.movedFraction(ring, claim.claim(ring, shrunk, random), n);
        }
        return new SweepPoint(strategy, parameter, strategy.metadataSize(s, parameter), ring.partitionCount(),
                Stats.of(exact), Stats.of(sampled), Stats.of(join), Stats.of(leave));
    }

    /** {@code count} key positions: random 16-byte keys hashed with the store's own hash. */
    static Token[] sampleKeys(RandomSource random, int count) {
        Token[] tokens = new Token[count];
        byte[] key = new byte[16];
        for (int i = 0; i < count; i++) {
            random.nextBytes(key);
            tokens[i] = KeyHasher.hash(NAMESPACE, key);
        }
        return tokens;
    }

    private static Member member(int i, int width) {
        return Member.of(String.format(Locale.ROOT, "node%0" + width + "d", i));
    }
}

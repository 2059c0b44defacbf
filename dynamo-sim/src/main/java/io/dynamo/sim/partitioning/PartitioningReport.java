package io.dynamo.sim.partitioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of the partitioning experiment: one {@link SweepPoint} per strategy and metadata
 * size, in sweep order. {@link #toText()} is the plain-text report; it depends only on the
 * configuration, so the same seed always gives the same text.
 */
public record PartitioningReport(PartitioningConfig config, List<SweepPoint> points) {

    /** The first line of the efficiency table, for tools and tests that look for it. */
    public static final String EFFICIENCY_HEADER =
            "strategy  param   metadata   ranges  exact-mean  exact-min  exact-max  sampled-mean  join-moved  leave-moved";

    public PartitioningReport {
        points = List.copyOf(points);
    }

    /** The points of one strategy, by increasing metadata size. */
    public List<SweepPoint> points(Strategy strategy) {
        List<SweepPoint> out = new ArrayList<>();
        for (SweepPoint p : points) {
            if (p.strategy() == strategy) {
                out.add(p);
            }
        }
        return out;
    }

    /** The point of {@code strategy} at parameter {@code parameter} (T or Q). */
    public SweepPoint point(Strategy strategy, int parameter) {
        for (SweepPoint p : points) {
            if (p.strategy() == strategy && p.parameter() == parameter) {
                return p;
            }
        }
        throw new IllegalArgumentException("no point for " + strategy + " at " + parameter);
    }

    /** The ideal share of replica data moved when one node joins S nodes: 1/(S+1). */
    public double idealJoin() {
        return 1.0 / (config.nodes() + 1);
    }

    /** The ideal share of replica data moved when one of S nodes leaves: 1/S. */
    public double idealLeave() {
        return 1.0 / config.nodes();
    }

    public String toText() {
        PartitioningConfig c = config;
        int s = c.nodes();
        StringBuilder out = new StringBuilder();
        line(out, "Partitioning experiment (Dynamo paper section 6.2, Figure 8)");
        line(out, "S = %d nodes, N = %d replicas, seed %d, %d sampled keys, %d runs per random strategy",
                s, c.replicas(), c.seed(), c.sampledKeys(), c.runs());
        line(out, "efficiency   = mean load / max load; a node's load = share of keys it is one of the N primaries for");
        line(out, "metadata     = ring entries a node keeps: S*T tokens (strategy 1), S*T tokens + Q partitions (strategy 2), Q claims (strategy 3)");
        line(out, "strategy 2   : Q = smallest power of two >= 8*S*T, at most %d; strategy 3: target N = %d",
                Strategy.MAX_STRATEGY_2_PARTITIONS, c.replicas());
        line(out, "join-moved   = replica data copied when node %d joins (ideal 1/(S+1) = %.4f)", s + 1, idealJoin());
        line(out, "leave-moved  = replica data copied when a random node leaves (ideal 1/S = %.4f)", idealLeave());
        line(out, "exact uses each range's key-space fraction; sampled hashes random keys (MD5) through the ring");
        line(out, "");
        line(out, "Load-balancing efficiency (means over runs; min and max of exact)");
        line(out, EFFICIENCY_HEADER);
        for (SweepPoint p : points) {
            line(out, "%-8d  %-6s %9d %8d  %10.4f  %9.4f  %9.4f  %12.4f  %10.4f  %11.4f",
                    p.strategy().number(), p.strategy().parameterName() + "=" + p.parameter(), p.metadataSize(),
                    p.ranges(), p.exact().mean(), p.exact().min(), p.exact().max(), p.sampled().mean(),
                    p.joinMoved().mean(), p.leaveMoved().mean());
        }
        line(out, "");
        line(out, "Data moved by one membership change (share of replica data; mean [min, max] over runs)");
        line(out, "strategy  param   join %d->%d               x ideal  leave %d->%d              x ideal",
                s, s + 1, s, s - 1);
        List<SweepPoint> representative = List.of(
                point(Strategy.RANDOM_TOKENS, c.representativeTokens()),
                point(Strategy.TOKEN_PLACED_PARTITIONS, c.representativeTokens()),
                point(Strategy.EQUAL_PARTITIONS, c.representativePartitions()));
        for (SweepPoint p : representative) {
            line(out, "%-8d  %-6s  %.4f [%.4f, %.4f]  %7.2f  %.4f [%.4f, %.4f]  %7.2f",
                    p.strategy().number(), p.strategy().parameterName() + "=" + p.parameter(),
                    p.joinMoved().mean(), p.joinMoved().min(), p.joinMoved().max(), p.joinMoved().mean() / idealJoin(),
                    p.leaveMoved().mean(), p.leaveMoved().min(), p.leaveMoved().max(),
                    p.leaveMoved().mean() / idealLeave());
        }
        line(out, "ideal             %.4f                    1.00  %.4f                    1.00", idealJoin(), idealLeave());
        return out.toString();
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}

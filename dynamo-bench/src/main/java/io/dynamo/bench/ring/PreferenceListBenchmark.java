package io.dynamo.bench.ring;

import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.KeyHasher;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.PreferenceList;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.ring.Token;
import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What it costs a coordinator to find a key's replicas (paper sections 4.2, 4.3 and 6.2).
 *
 * <ul>
 *   <li>{@link #lookup}: ring position (a precomputed {@link Token}) to the {@code N} primaries:
 *       a shift (strategy 3) or a binary search over the tokens (strategy 1), then reading the
 *       precomputed walk.</li>
 *   <li>{@link #hash}: {@link KeyHasher#hash(String, byte[])} alone, MD5 of a 16-byte key.</li>
 *   <li>{@link #keyToPrimaries}: both, as a request pays them.</li>
 * </ul>
 *
 * <p>Strategy 3 runs with {@code Q = 1024} equal partitions. Strategy 1 gets {@code Q / S} random
 * tokens per node, so its ring has about as many ranges (and walks) as strategy 3 has partitions.
 * Keys are drawn once from a seeded {@link RandomSource} and cycled, so every run sees the same
 * keys; 4096 of them, more than there are partitions, so lookups touch the whole table.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PreferenceListBenchmark {

    static final int PARTITIONS = ClaimStrategy.DEFAULT_PARTITIONS;
    static final int N = 3;
    static final int KEY_COUNT = 4096; // a power of two: the cursor wraps with a mask
    static final int KEY_BYTES = 16;
    static final String NAMESPACE = "bench";
    static final long SEED = 20070101L;

    /** Keys and their ring positions, shared by every benchmark; the cursor is per thread. */
    @State(Scope.Thread)
    public static class Keys {
        byte[][] keys;
        Token[] tokens;
        int next;

        @Setup
        public void setUp() {
            RandomSource random = RandomSource.seeded(SEED);
            keys = new byte[KEY_COUNT][];
            tokens = new Token[KEY_COUNT];
            for (int i = 0; i < KEY_COUNT; i++) {
                keys[i] = new byte[KEY_BYTES];
                random.nextBytes(keys[i]);
                tokens[i] = KeyHasher.hash(NAMESPACE, keys[i]);
            }
        }

        int advance() {
            int i = next;
            next = (i + 1) & (KEY_COUNT - 1);
            return i;
        }
    }

    /** A ring of {@code nodes} members in three zones, claimed by {@code strategy}. */
    @State(Scope.Benchmark)
    public static class Rings {
        /** {@code equal-partitions}: strategy 3, Q = 1024. {@code random-tokens}: strategy 1, Q/S tokens per node. */
        @Param({"equal-partitions", "random-tokens"})
        public String strategy;

        @Param({"10", "100"})
        public int nodes;

        Ring ring;

        @Setup
        public void setUp() {
            List<Member> members = new ArrayList<>(nodes);
            for (int i = 0; i < nodes; i++) {
                members.add(Member.of(String.format("node-%03d", i), "zone-" + (i % 3)));
            }
            ClaimStrategy claim = switch (strategy) {
                case "equal-partitions" -> ClaimStrategy.equalPartitions(PARTITIONS, N);
                case "random-tokens" -> ClaimStrategy.randomTokens(Math.max(1, PARTITIONS / nodes));
                default -> throw new IllegalArgumentException("unknown strategy " + strategy);
            };
            ring = claim.initial(members, RandomSource.seeded(SEED + 1));
        }
    }

    @Benchmark
    public void lookup(Rings rings, Keys keys, Blackhole bh) {
        PreferenceList list = rings.ring.preferenceList(keys.tokens[keys.advance()], N);
        consumePrimaries(list, bh);
    }

    @Benchmark
    public Token hash(Keys keys) {
        return KeyHasher.hash(NAMESPACE, keys.keys[keys.advance()]);
    }

    @Benchmark
    public void keyToPrimaries(Rings rings, Keys keys, Blackhole bh) {
        PreferenceList list = rings.ring.preferenceList(NAMESPACE, keys.keys[keys.advance()], N);
        consumePrimaries(list, bh);
    }

    private static void consumePrimaries(PreferenceList list, Blackhole bh) {
        List<NodeId> primaries = list.primaries();
        for (int i = 0; i < primaries.size(); i++) {
            bh.consume(primaries.get(i));
        }
    }
}

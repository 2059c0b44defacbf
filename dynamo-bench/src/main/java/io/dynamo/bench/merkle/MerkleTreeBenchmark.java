package io.dynamo.bench.merkle;

import io.dynamo.core.merkle.KeyVersion;
import io.dynamo.core.merkle.MerkleTree;
import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.time.RandomSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Anti-entropy bookkeeping (paper section 4.7) with the large shape (16 wide, 4 deep, 65,536
 * segments; the default is 16 x 3) over a partition replica of 100,000 keys.
 *
 * <ul>
 *   <li>{@link #update}: the in-place update a write pays, one key changing version.</li>
 *   <li>{@link #diff}: a full local descent between two trees that differ in 10 segments.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MerkleTreeBenchmark {

    static final TreeShape SHAPE = new TreeShape(16, 4);
    static final int KEYS = 100_000;
    static final int CHANGES = 4096; // a power of two: the cursor wraps with a mask
    static final int DIFFERING_SEGMENTS = 10;
    static final long SEED = 20070104L;

    /** A tree and a cycle of precomputed single-key version changes to apply to it. */
    @State(Scope.Thread)
    public static class Updates {
        MerkleTree tree;
        long[] keyHashes;
        OptionalLong[] oldDigests;
        OptionalLong[] newDigests;
        int next;

        @Setup
        public void setUp() {
            RandomSource random = RandomSource.seeded(SEED);
            List<KeyVersion> entries = entries(random);
            tree = MerkleTree.rebuild(SHAPE, entries);
            keyHashes = new long[CHANGES];
            oldDigests = new OptionalLong[CHANGES];
            newDigests = new OptionalLong[CHANGES];
            for (int i = 0; i < CHANGES; i++) {
                KeyVersion e = entries.get(random.nextInt(entries.size()));
                keyHashes[i] = e.keyHash();
                oldDigests[i] = OptionalLong.of(e.versionDigest());
                newDigests[i] = OptionalLong.of(random.nextLong());
            }
        }
    }

    /** Two replicas' trees over the same keys, except for one key in each of 10 segments. */
    @State(Scope.Benchmark)
    public static class Pair {
        MerkleTree local;
        MerkleTree remote;

        @Setup
        public void setUp() {
            RandomSource random = RandomSource.seeded(SEED + 1);
            List<KeyVersion> entries = entries(random);
            local = MerkleTree.rebuild(SHAPE, entries);
            remote = MerkleTree.copyOf(local);
            Set<Integer> segments = new HashSet<>();
            while (segments.size() < DIFFERING_SEGMENTS) {
                KeyVersion e = entries.get(random.nextInt(entries.size()));
                if (segments.add(SHAPE.segmentOf(e.keyHash()))) {
                    remote.update(e.keyHash(), OptionalLong.of(e.versionDigest()), OptionalLong.of(random.nextLong()));
                }
            }
            int found = local.diff(remote).length;
            if (found != DIFFERING_SEGMENTS) {
                throw new IllegalStateException("benchmark setup broken: trees differ in " + found + " segments");
            }
        }
    }

    static List<KeyVersion> entries(RandomSource random) {
        Set<Long> seen = new HashSet<>();
        List<KeyVersion> entries = new ArrayList<>(KEYS);
        while (entries.size() < KEYS) {
            long keyHash = random.nextLong();
            if (seen.add(keyHash)) {
                entries.add(new KeyVersion(keyHash, random.nextLong()));
            }
        }
        return entries;
    }

    /**
     * One key changes version. Applying the same change again undoes it (XOR), so the tree only
     * ever flips between two states and every invocation costs the same.
     */
    @Benchmark
    public long update(Updates u) {
        int i = u.next;
        u.next = (i + 1) & (CHANGES - 1);
        u.tree.update(u.keyHashes[i], u.oldDigests[i], u.newDigests[i]);
        return u.tree.root();
    }

    @Benchmark
    public int[] diff(Pair pair) {
        return pair.local.diff(pair.remote);
    }
}

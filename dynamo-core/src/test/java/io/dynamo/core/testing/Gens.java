package io.dynamo.core.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Generators the property tests share, built from QuickTheories' own, so that they shrink with
 * them: numbers that often are edge values or small, byte arrays, permutations, subsets and maps.
 */
public final class Gens {

    private static final List<Long> LONG_EDGES = List.of(0L, 1L, -1L, 2L, -2L, Long.MIN_VALUE, Long.MIN_VALUE + 1,
            Long.MAX_VALUE, Long.MAX_VALUE - 1);
    private static final List<Integer> INT_EDGES = List.of(0, 1, -1, 2, -2, Integer.MIN_VALUE, Integer.MIN_VALUE + 1,
            Integer.MAX_VALUE, Integer.MAX_VALUE - 1);

    private Gens() {
    }

    /**
     * Any long: one in five an edge value (0, 1, -1, 2, -2, the extremes and their neighbours),
     * otherwise of a magnitude up to 2^k for a uniformly drawn k, so small values are common and
     * every bit length is covered.
     */
    public static Gen<Long> longs() {
        Gen<Long> magnitudes = Generate.range(0, 63).flatMap(bits -> bits == 63
                ? SourceDSL.longs().all()
                : SourceDSL.longs().between(-(1L << bits), (1L << bits) - 1));
        return Generate.frequency(Pair.of(1, Generate.pick(LONG_EDGES)), Pair.of(4, magnitudes));
    }

    /** Any int, drawn as {@link #longs()} draws longs. */
    public static Gen<Integer> ints() {
        Gen<Integer> magnitudes = Generate.range(0, 31).flatMap(bits -> bits == 31
                ? SourceDSL.integers().all()
                : SourceDSL.integers().between(-(1 << bits), (1 << bits) - 1));
        return Generate.frequency(Pair.of(1, Generate.pick(INT_EDGES)), Pair.of(4, magnitudes));
    }

    /**
     * Ints from {@code min} to {@code max}, leaning towards {@code min}: one in five an edge
     * ({@code min}, {@code max} or a neighbour), otherwise {@code min} plus an offset of a
     * magnitude up to 2^k for a uniformly drawn k. For wide ranges where small values matter (a
     * bit mask with few bits set, a position near the start).
     */
    public static Gen<Integer> intsBetween(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        long span = (long) max - min;
        int bitLength = 64 - Long.numberOfLeadingZeros(span);
        List<Integer> edges = List.of(min, (int) Math.min(max, min + 1L), max, (int) Math.max(min, max - 1L));
        Gen<Integer> offsets = Generate.range(0, bitLength).flatMap(bits -> SourceDSL.longs()
                .between(0, Math.min(span, (1L << bits) - 1)).map(offset -> (int) (min + offset)));
        return Generate.frequency(Pair.of(1, Generate.pick(edges)), Pair.of(4, offsets));
    }

    /** Any byte, shrinking to 0. */
    public static Gen<Byte> bytes() {
        return Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
    }

    /** Byte arrays of {@code minSize} to {@code maxSize} bytes, printed by content. */
    public static Gen<byte[]> byteArrays(int minSize, int maxSize) {
        return Generate.byteArrays(Generate.range(minSize, maxSize), bytes());
    }

    /** A permutation of {@code 0..n-1}, by Fisher-Yates; shrinks towards the identity. */
    public static Gen<List<Integer>> permutations(int n) {
        return in -> {
            List<Integer> p = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                p.add(i);
            }
            for (int i = n - 1; i > 0; i--) {
                Collections.swap(p, i, Generate.range(0, i, i).generate(in));
            }
            return p;
        };
    }

    /** A subset of {@code from}'s elements, at most {@code maxSize} of them, in {@code from}'s order. */
    public static <T> Gen<List<T>> subsets(List<T> from, int maxSize) {
        List<T> all = List.copyOf(from);
        int largest = Math.min(maxSize, all.size());
        return in -> {
            int size = Generate.range(0, largest).generate(in);
            List<Integer> order = new ArrayList<>(all.size());
            for (int i = 0; i < all.size(); i++) {
                order.add(i);
            }
            for (int k = 0; k < size; k++) {
                Collections.swap(order, k, Generate.range(k, all.size() - 1, k).generate(in));
            }
            List<Integer> picked = new ArrayList<>(order.subList(0, size));
            Collections.sort(picked);
            List<T> subset = new ArrayList<>(size);
            picked.forEach(i -> subset.add(all.get(i)));
            return subset;
        };
    }

    /**
     * Maps of at most {@code maxSize} entries: that many key-value pairs drawn, a later pair
     * replacing an earlier one with the same key (so small key spaces give smaller maps).
     */
    public static <K, V> Gen<Map<K, V>> maps(Gen<K> keys, Gen<V> values, int maxSize) {
        return SourceDSL.lists().of(keys.zip(values, Pair::of)).ofSizeBetween(0, maxSize).map(pairs -> {
            Map<K, V> map = new LinkedHashMap<>();
            pairs.forEach(p -> map.put(p._1, p._2));
            return map;
        });
    }
}

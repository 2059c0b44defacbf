package io.dynamo.storage.rocksdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Which key hashes a partition may hold: a bloom filter that grows in layers (each twice the
 * capacity of the last, 10 bits and 7 probes per key, so under 1 % false positives per layer).
 * It answers "certainly never written here" for most new keys, which lets a write skip reading
 * the stored state of a key that does not exist (every write reads first, to merge causally).
 *
 * <p>The one invariant: no false negatives. Every key hash of the partition's data is added
 * before its record is written (under the partition's lock) or while the trees are rebuilt at
 * open; bits are never cleared, so deleted keys only cost a false positive, an ordinary read.
 * Not thread-safe: guarded by the partition's lock.
 */
final class KeyFilter {

    private static final int FIRST_CAPACITY = 1024;
    private static final int BITS_PER_KEY = 10;
    private static final int PROBES = 7;

    private final List<long[]> layers = new ArrayList<>();
    private int capacity;
    private int count;

    KeyFilter() {
        addLayer(FIRST_CAPACITY);
    }

    void add(long keyHash) {
        if (count >= capacity) {
            addLayer(capacity * 2);
        }
        long[] bits = layers.getLast();
        long size = (long) bits.length * 64;
        long h1 = keyHash;
        long h2 = mix(keyHash) | 1;
        for (int i = 0; i < PROBES; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, size);
            bits[(int) (bit >>> 6)] |= 1L << bit;
        }
        count++;
    }

    /** False only if {@code keyHash} was never added. */
    boolean mightContain(long keyHash) {
        long h1 = keyHash;
        long h2 = mix(keyHash) | 1;
        for (long[] bits : layers) {
            long size = (long) bits.length * 64;
            boolean all = true;
            for (int i = 0; i < PROBES && all; i++) {
                long bit = Long.remainderUnsigned(h1 + i * h2, size);
                all = (bits[(int) (bit >>> 6)] & (1L << bit)) != 0;
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of bits held. */
    long sizeBytes() {
        long total = 0;
        for (long[] bits : layers) {
            total += bits.length * 8L;
        }
        return total;
    }

    private void addLayer(int layerCapacity) {
        layers.add(new long[Math.max(1, layerCapacity * BITS_PER_KEY / 64)]);
        capacity = layerCapacity;
        count = 0;
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}

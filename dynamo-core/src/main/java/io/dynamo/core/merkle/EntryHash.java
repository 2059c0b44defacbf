package io.dynamo.core.merkle;

/**
 * The contribution of one key to its segment: a well-mixed 64-bit hash of (key hash, version
 * digest). Segments and interior nodes are the XOR of the contributions below them, so the order
 * in which entries arrive never matters and removing an entry is XOR-ing its contribution again.
 *
 * <p>Both inputs pass through a 64-bit finalising mixer (Stafford's "Mix13" constants, the
 * function {@link java.util.SplittableRandom} also uses) with different salts before they are
 * combined and mixed once more, so structured inputs (sequential keys, small counters as digests)
 * still give independent-looking contributions. For a fixed key the map from digest to
 * contribution is a bijection: two versions of the same key never contribute the same value.
 */
final class EntryHash {

    private static final long KEY_SALT = 0x6a09e667f3bcc908L;
    private static final long DIGEST_SALT = 0xbb67ae8584caa73bL;

    private EntryHash() {
    }

    static long of(long keyHash, long versionDigest) {
        return mix(mix(keyHash ^ KEY_SALT) + mix(versionDigest ^ DIGEST_SALT));
    }

    /** A bijective 64-bit mixer: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

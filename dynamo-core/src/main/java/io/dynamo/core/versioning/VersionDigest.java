package io.dynamo.core.versioning;

import java.util.function.ToLongFunction;

/**
 * Hashes the canonical form of a sibling set's causal state into 64 bits. The canonical form is
 * the context entries in actor order followed by the held dots in dot order (each dot naming its
 * actor by position in the context), so the digest does not depend on the order in which writes
 * or syncs arrived. Mixing uses the SplitMix64 finalizer (Steele et al., OOPSLA 2014), applied
 * once per 64-bit word of input and once at the end.
 */
final class VersionDigest {

    private static final long SEED = 0x44796e616d6f5656L; // "DynamoVV"
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private long state = SEED;
    private long words;

    private VersionDigest() {
    }

    static <V> long of(Siblings<V> siblings, ToLongFunction<? super V> valueHash) {
        VersionDigest d = new VersionDigest();
        VersionVector context = siblings.context();
        d.add(context.size());
        for (int i = 0; i < context.size(); i++) {
            ActorId actor = context.actorAt(i);
            d.add(actor.node());
            d.add(actor.incarnation());
            d.add(context.counterAt(i));
        }
        d.add(siblings.size());
        d.add(valueHash == null ? 0 : 1);
        for (Versioned<V> v : siblings.values()) {
            d.add(context.indexOf(v.dot().actor()));
            d.add(v.dot().counter());
            if (valueHash != null) {
                d.add(valueHash.applyAsLong(v.value()));
            }
        }
        return mix(d.state ^ mix(d.words));
    }

    private void add(long word) {
        state = mix(state ^ mix(word + GOLDEN * ++words));
    }

    private void add(String s) {
        add(s.length());
        long packed = 0;
        for (int i = 0; i < s.length(); i++) {
            packed = (packed << 16) | s.charAt(i);
            if (i % 4 == 3) {
                add(packed);
                packed = 0;
            }
        }
        if (s.length() % 4 != 0) {
            add(packed);
        }
    }

    /** SplitMix64's output function: a bijection on 64-bit words with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

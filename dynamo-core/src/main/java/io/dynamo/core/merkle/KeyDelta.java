package io.dynamo.core.merkle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A key whose state differs between two replicas: present on one side only, or present on both
 * with different version digests. The digests say only that the versions differ, not which is
 * newer; the anti-entropy exchange fetches both and merges them by causal order.
 *
 * @param keyHash the key's hash
 * @param localDigest the local version digest, empty if the key is absent locally
 * @param remoteDigest the remote version digest, empty if the key is absent remotely
 */
public record KeyDelta(long keyHash, OptionalLong localDigest, OptionalLong remoteDigest) {

    public KeyDelta {
        Objects.requireNonNull(localDigest, "localDigest");
        Objects.requireNonNull(remoteDigest, "remoteDigest");
        if (localDigest.equals(remoteDigest)) {
            throw new IllegalArgumentException("not a difference: both sides have " + localDigest);
        }
    }

    /** The remote replica lacks the key; only this side can supply it. */
    public boolean missingRemotely() {
        return remoteDigest.isEmpty();
    }

    /** This replica lacks the key; only the remote side can supply it. */
    public boolean missingLocally() {
        return localDigest.isEmpty();
    }

    /**
     * The keys that differ between the entries of some segments on two replicas, ordered by
     * unsigned key hash. Give both sides the entries of the same segments (those a {@link
     * Descent} found); a key outside them that is present on one side only would show as missing
     * on the other.
     *
     * @throws IllegalArgumentException if a key hash appears twice on one side
     */
    public static List<KeyDelta> between(Iterable<KeyVersion> local, Iterable<KeyVersion> remote) {
        Map<Long, Long> localByKey = index(local, "local");
        Map<Long, Long> remoteByKey = index(remote, "remote");
        List<KeyDelta> deltas = new ArrayList<>();
        localByKey.forEach((key, digest) -> {
            Long other = remoteByKey.get(key);
            if (!digest.equals(other)) {
                deltas.add(new KeyDelta(key, OptionalLong.of(digest), optional(other)));
            }
        });
        remoteByKey.forEach((key, digest) -> {
            if (!localByKey.containsKey(key)) {
                deltas.add(new KeyDelta(key, OptionalLong.empty(), OptionalLong.of(digest)));
            }
        });
        deltas.sort((a, b) -> Long.compareUnsigned(a.keyHash(), b.keyHash()));
        return List.copyOf(deltas);
    }

    private static Map<Long, Long> index(Iterable<KeyVersion> entries, String side) {
        Objects.requireNonNull(entries, side);
        Map<Long, Long> byKey = new HashMap<>();
        for (KeyVersion entry : entries) {
            if (byKey.putIfAbsent(entry.keyHash(), entry.versionDigest()) != null) {
                throw new IllegalArgumentException("key hash " + Long.toHexString(entry.keyHash())
                        + " appears twice in the " + side + " entries");
            }
        }
        return byKey;
    }

    private static OptionalLong optional(Long digest) {
        return digest == null ? OptionalLong.empty() : OptionalLong.of(digest);
    }
}

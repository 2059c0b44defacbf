package io.dynamo.core.storage;

import io.dynamo.core.ring.KeyHasher;
import io.dynamo.core.ring.Token;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A key as storage sees it: its namespace and its bytes. Engines order a partition's keys by
 * {@link #keyHash()} (then namespace, then bytes), which is the order of iteration and of
 * anti-entropy segments.
 */
public final class StoredKey implements Comparable<StoredKey> {

    private final String namespace;
    private final byte[] bytes;
    private final Token token;

    private StoredKey(String namespace, byte[] bytes) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.bytes = Objects.requireNonNull(bytes, "bytes").clone();
        this.token = KeyHasher.hash(namespace, this.bytes);
    }

    public static StoredKey of(String namespace, byte[] bytes) {
        return new StoredKey(namespace, bytes);
    }

    public String namespace() {
        return namespace;
    }

    /** A copy of the key's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The key's position on the ring; its partition is {@code ring.partitionOf(token())}. */
    public Token token() {
        return token;
    }

    /**
     * The 64 bits of the ring position that do not choose the partition: uniform within a
     * partition, so it spreads keys over Merkle segments and orders a partition's keys.
     */
    public long keyHash() {
        return token.lo();
    }

    @Override
    public int compareTo(StoredKey other) {
        int c = Long.compareUnsigned(keyHash(), other.keyHash());
        if (c != 0) {
            return c;
        }
        c = namespace.compareTo(other.namespace);
        return c != 0 ? c : Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredKey k && namespace.equals(k.namespace) && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * namespace.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return namespace + "/" + HexFormat.of().formatHex(bytes);
    }
}

package io.dynamo.core.ring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Places keys on the ring with MD5, as the paper does (section 4.2). MD5 is not used for
 * security here: it gives a uniform 128-bit position that every JVM computes identically
 * without a dependency. The namespace is part of the hashed bytes, prefixed by its length (one byte), so equal
 * keys in different namespaces land independently and no (namespace, key) pair is ambiguous.
 */
public final class KeyHasher {

    /** The longest namespace name, in UTF-8 bytes, that a key can be hashed under. */
    public static final int MAX_NAMESPACE_BYTES = 255;

    private KeyHasher() {
    }

    /** The ring position of a key in a namespace. */
    public static Token hash(String namespace, byte[] key) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        if (ns.length > MAX_NAMESPACE_BYTES) {
            throw new IllegalArgumentException("namespace is " + ns.length + " bytes in UTF-8; the limit is "
                    + MAX_NAMESPACE_BYTES);
        }
        MessageDigest md5 = md5();
        md5.update((byte) ns.length);
        md5.update(ns);
        md5.update(key);
        return Token.fromBytes(md5.digest(), 0);
    }

    /** The ring position of raw bytes (used by tests and experiments without namespaces). */
    public static Token hash(byte[] bytes) {
        return Token.fromBytes(md5().digest(bytes), 0);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }
}

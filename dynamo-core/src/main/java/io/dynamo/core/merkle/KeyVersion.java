package io.dynamo.core.merkle;

/**
 * One key as the tree sees it: the key's 64-bit hash and a 64-bit digest of its causal state,
 * both computed by the caller (the storage engine and versioning respectively).
 *
 * @param keyHash the key's hash; its top bits choose the segment (see {@link TreeShape})
 * @param versionDigest a digest of the key's current version(s); equal states give equal digests
 */
public record KeyVersion(long keyHash, long versionDigest) {

    @Override
    public String toString() {
        return "KeyVersion[" + Long.toHexString(keyHash) + "=" + Long.toHexString(versionDigest) + "]";
    }
}

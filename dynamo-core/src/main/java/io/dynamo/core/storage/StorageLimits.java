package io.dynamo.core.storage;

import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.Versioned;

/**
 * Size limits that an engine enforces before anything reaches storage; a write over a limit is
 * rejected with an {@link IllegalArgumentException} naming the limit and changes nothing.
 *
 * @param maxKeyBytes longest key, in bytes
 * @param maxValueBytes largest value of one sibling, in bytes
 * @param maxSiblings most siblings one key may hold after a merge
 */
public record StorageLimits(int maxKeyBytes, int maxValueBytes, int maxSiblings) {

    /** 1 KiB keys, 5 MiB values, 100 siblings. */
    public static final StorageLimits DEFAULTS = new StorageLimits(1024, 5 * 1024 * 1024, 100);

    public StorageLimits {
        if (maxKeyBytes < 1 || maxKeyBytes > 65535) {
            throw new IllegalArgumentException("storage.max-key-bytes must be between 1 and 65535, was " + maxKeyBytes);
        }
        if (maxValueBytes < 0 || maxValueBytes > 256 * 1024 * 1024) {
            throw new IllegalArgumentException("storage.max-value-bytes must be between 0 and 268435456, was "
                    + maxValueBytes);
        }
        if (maxSiblings < 1) {
            throw new IllegalArgumentException("storage.max-siblings must be at least 1, was " + maxSiblings);
        }
    }

    /** Throws if the key is too long or empty. */
    public void checkKey(StoredKey key) {
        if (key.length() == 0) {
            throw new IllegalArgumentException("key is empty");
        }
        if (key.length() > maxKeyBytes) {
            throw new IllegalArgumentException("key is " + key.length() + " bytes; the limit is " + maxKeyBytes);
        }
    }

    /** Throws if the value is too large. */
    public void checkValue(Content content) {
        if (content.size() > maxValueBytes) {
            throw new IllegalArgumentException("value is " + content.size() + " bytes; the limit is " + maxValueBytes);
        }
    }

    /** Throws if any value of the state is too large or it holds too many siblings. */
    public void checkState(Siblings<Content> state) {
        if (state.size() > maxSiblings) {
            throw new IllegalArgumentException("key would hold " + state.size() + " siblings; the limit is "
                    + maxSiblings + " (resolve them by writing with the context of a read)");
        }
        for (Versioned<Content> v : state.values()) {
            checkValue(v.value());
        }
    }
}

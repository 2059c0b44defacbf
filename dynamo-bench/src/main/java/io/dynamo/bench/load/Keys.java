package io.dynamo.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Key names. Record {@code i} is {@code "user"} followed by i in 10 zero-padded digits
 * ({@code user0000000042}), the same for any record count, so a run with {@code --no-load} finds
 * the keys an earlier load wrote. Inserts write {@code "ins-" + run tag + "-" + n} (n from 0 in
 * 10 digits): the run tag is random per run, so inserts never land on a key an earlier run
 * wrote, which would make them siblings of it.
 */
public final class Keys {

    private static final int DIGITS = 10;

    private Keys() {
    }

    /** The key of record {@code i}. */
    public static String record(long i) {
        return "user" + pad(i);
    }

    /** The key of a run's {@code n}-th insert. */
    public static String inserted(String runTag, long n) {
        return "ins-" + runTag + "-" + pad(n);
    }

    public static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.US_ASCII);
    }

    static String pad(long i) {
        if (i < 0) {
            throw new IllegalArgumentException("a key number is at least 0, was " + i);
        }
        String digits = Long.toString(i);
        if (digits.length() >= DIGITS) {
            return digits;
        }
        return "0".repeat(DIGITS - digits.length()) + digits;
    }
}

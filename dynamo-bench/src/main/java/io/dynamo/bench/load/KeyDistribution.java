package io.dynamo.bench.load;

import java.util.Locale;

/** How the operations of a run pick their keys among the records. */
public enum KeyDistribution {
    /** Every record equally likely. */
    UNIFORM,
    /**
     * Zipfian with YCSB's constant 0.99, scrambled: the popularity ranks are spread over the key
     * space by a seeded permutation, so the hot keys are not neighbours ({@link ZipfianGenerator}).
     */
    ZIPFIAN;

    /** {@code uniform} or {@code zipfian}, case-insensitive. */
    public static KeyDistribution parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "uniform" -> UNIFORM;
            case "zipfian" -> ZIPFIAN;
            default -> throw new IllegalArgumentException("unknown distribution '" + text + "': use zipfian or uniform");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A chooser of record numbers in [0, {@code records}) with this distribution, scrambled by {@code seed}. */
    public KeyChooser chooser(long records, long seed) {
        return switch (this) {
            case UNIFORM -> KeyChooser.uniform(records);
            case ZIPFIAN -> ZipfianGenerator.scrambled(records, ZipfianGenerator.YCSB_CONSTANT, seed);
        };
    }
}

package io.dynamo.bench.load;

import java.util.random.RandomGenerator;

/**
 * Picks record numbers in [0, {@link #items()}). Stateless and thread-safe: the randomness comes
 * from the generator each call is given, so every worker thread draws from its own seeded one.
 */
public interface KeyChooser {

    /** How many records it chooses among. */
    long items();

    /** The next record number, from {@code random}'s draws. */
    long next(RandomGenerator random);

    /** Every record equally likely. */
    static KeyChooser uniform(long items) {
        if (items < 1) {
            throw new IllegalArgumentException("items must be at least 1, was " + items);
        }
        return new KeyChooser() {
            @Override
            public long items() {
                return items;
            }

            @Override
            public long next(RandomGenerator random) {
                return random.nextLong(items);
            }
        };
    }
}

package io.dynamo.client;

/**
 * The change {@link DynamoClient#update} makes: from the key's current value (after resolving any
 * siblings) to the value to write. It may run more than once for one update (when a write is
 * retried), so it must be a pure function of its input. It must not block for long: it may run
 * on a shared pool.
 */
@FunctionalInterface
public interface Mutator {

    /**
     * The value to write given {@code current} (null when the key has no value); null deletes the
     * key.
     */
    byte[] apply(byte[] current);
}

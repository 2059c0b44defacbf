package io.dynamo.core.time;

/**
 * The only source of time for node logic. The real server supplies the system clock; the
 * simulator supplies virtual time that it advances itself.
 *
 * <p>{@link #nanoTime()} is monotonic and only meaningful as a difference; {@link #millis()} is
 * an epoch-based wall-clock reading used for timestamps shown to people (and, in {@code lww}
 * mode, for ordering), never for measuring intervals.
 */
public interface Clock {

    /** Monotonic nanoseconds, for measuring intervals and deadlines. */
    long nanoTime();

    /** Milliseconds since the Unix epoch, for human-readable timestamps. */
    long millis();
}

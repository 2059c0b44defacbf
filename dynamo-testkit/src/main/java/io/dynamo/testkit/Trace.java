package io.dynamo.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulation's event log: one compact line per event (send, deliver, drop, duplicate, delay,
 * crash, and whatever a test adds with {@link #record}), stamped with virtual time.
 *
 * <p>Only the last {@code capacity} lines are kept, for printing on failure; every line ever
 * recorded also feeds a running 64-bit hash, so "the same seed twice gives the same run" is one
 * comparison of {@link #hash()} values however long the run was. The hash depends only on the
 * line texts and their order (FNV-1a over the characters), never on identity hash codes.
 */
public final class Trace {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final String[] ring;
    private final SimScheduler clock;
    private long count;
    private long hash = FNV_OFFSET;

    Trace(SimScheduler clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("trace capacity must be positive, got " + capacity);
        }
        this.clock = clock;
        this.ring = new String[capacity];
    }

    /** Records {@code event} at the current virtual time. */
    public void record(String event) {
        String line = formatTime(clock.nowNanos()) + ' ' + event;
        ring[(int) (count % ring.length)] = line;
        count++;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            hash = (hash ^ (c & 0xff)) * FNV_PRIME;
            hash = (hash ^ (c >>> 8)) * FNV_PRIME;
        }
        hash = (hash ^ '\n') * FNV_PRIME;
    }

    /** The running hash of every line recorded so far. */
    public long hash() {
        return hash;
    }

    /** How many lines were recorded in all (not only those still kept). */
    public long count() {
        return count;
    }

    /** The last {@code n} lines still kept, oldest first. */
    public List<String> tail(int n) {
        int kept = (int) Math.min(count, ring.length);
        int take = Math.max(0, Math.min(n, kept));
        List<String> out = new ArrayList<>(take);
        for (long i = count - take; i < count; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    /** The last {@code n} lines as one indented block, for failure messages. */
    public String tailText(int n) {
        StringBuilder sb = new StringBuilder();
        for (String line : tail(n)) {
            sb.append("  ").append(line).append('\n');
        }
        return sb.toString();
    }

    /** Virtual time as seconds with microsecond precision, e.g. {@code 12.000345s}. */
    static String formatTime(long nanos) {
        long micros = nanos / 1_000;
        String frac = Long.toString(micros % 1_000_000);
        return (micros / 1_000_000) + "." + "000000".substring(frac.length()) + frac + "s";
    }
}

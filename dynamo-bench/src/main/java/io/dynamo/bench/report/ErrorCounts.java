package io.dynamo.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed operations counted by the exception's simple class name, with the message of the first
 * of each kind. Thread-safe; {@link #snapshot} gives an immutable copy for a result.
 */
public final class ErrorCounts {

    private final ConcurrentHashMap<String, Kind> kinds = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    private static final class Kind {
        final LongAdder count = new LongAdder();
        final String example;

        Kind(String example) {
            this.example = example;
        }
    }

    /** Counts one failure. */
    public void add(Throwable e) {
        total.increment();
        String type = e.getClass().getSimpleName();
        kinds.computeIfAbsent(type, t -> new Kind(String.valueOf(e.getMessage()))).count.increment();
    }

    public long total() {
        return total.sum();
    }

    /** The counts so far, most frequent first, with one example message per kind. */
    public Snapshot snapshot() {
        Map<String, Long> sorted = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        kinds.forEach((k, v) -> {
            sorted.put(k, v.count.sum());
            examples.put(k, v.example);
        });
        Map<String, Long> byCount = new LinkedHashMap<>();
        sorted.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> byCount.put(e.getKey(), e.getValue()));
        return new Snapshot(total.sum(), byCount, examples);
    }

    /**
     * @param total failures in all
     * @param byType failures per exception type, most first
     * @param examples the first message of each type
     */
    public record Snapshot(long total, Map<String, Long> byType, Map<String, String> examples) {

        public static final Snapshot NONE = new Snapshot(0, Map.of(), Map.of());

        public Snapshot {
            byType = Collections.unmodifiableMap(new LinkedHashMap<>(byType));
            examples = Collections.unmodifiableMap(new TreeMap<>(examples));
        }

        /** {@code none}, or {@code RequestTimeoutException 3 (first: ...); ...}. */
        public String line() {
            if (total == 0) {
                return "none";
            }
            StringBuilder b = new StringBuilder();
            byType.forEach((type, count) -> {
                String example = examples.getOrDefault(type, "");
                if (example.length() > 160) {
                    example = example.substring(0, 157) + "...";
                }
                b.append(b.isEmpty() ? "" : "; ").append(type).append(' ').append(Text.n(count)).append(" (first: ")
                        .append(example).append(')');
            });
            return b.toString();
        }

        public ObjectNode json() {
            ObjectNode o = Json.object();
            o.put("total", total);
            ObjectNode types = o.putObject("by_type");
            byType.forEach(types::put);
            ObjectNode ex = o.putObject("examples");
            examples.forEach(ex::put);
            return o;
        }
    }
}

package io.dynamo.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Renders a {@link BenchReport} as an aligned text table (what {@code dynamo bench} prints) or as JSON. */
public final class ReportFormat {

    /** The columns of the text table. */
    public static final List<String> COLUMNS = List.of("operation", "count", "errors", "ops/s", "mean ms", "p50 ms",
            "p99 ms", "p99.9 ms", "max ms");

    /** The version of the JSON layout; raised when a field changes meaning or goes away. */
    public static final int JSON_FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFormat() {
    }

    // ------------------------------------------------------------------ text

    /** The report as text: a description of the run, the table, what the reads saw, and the command. */
    public static String text(BenchReport r) {
        WorkloadSpec s = r.spec();
        StringBuilder b = new StringBuilder();
        b.append("Workload ").append(s.mix().name()).append(" (").append(s.mix().describe()).append("), ")
                .append(s.distribution().label()).append(" over ").append(n(s.records())).append(" records in ")
                .append("namespace '").append(s.namespace()).append("', ").append(n(s.valueSize()))
                .append("-byte values, ").append(s.threads()).append(s.threads() == 1 ? " thread" : " threads")
                .append('\n');
        b.append(loopLine(r)).append('\n');
        b.append("Measured: ").append(seconds(r.measuredSeconds())).append(" s after a ")
                .append(seconds(r.warmupSeconds())).append(" s warm-up");
        if (s.operations() > 0) {
            b.append(" (limit ").append(n(s.operations())).append(" operations)");
        }
        if (r.stoppedEarly()) {
            b.append("; STOPPED EARLY");
        }
        b.append("; R ").append(s.readQuorum() == 0 ? "default" : Integer.toString(s.readQuorum()))
                .append(", W ").append(s.writeQuorum() == 0 ? "default" : Integer.toString(s.writeQuorum()))
                .append('\n');
        b.append("Target: ").append(r.info().target()).append('\n');
        b.append("Seed: ").append(s.seed()).append('\n');
        LoadReport load = r.load();
        if (load == null) {
            b.append("Load: skipped\n");
        } else {
            OperationReport w = load.writes();
            b.append("Load: ").append(n(w.count())).append(" of ").append(n(load.records())).append(" records in ")
                    .append(seconds(load.seconds())).append(" s (").append(n(Math.round(load.seconds() > 0
                            ? w.count() / load.seconds() : 0))).append(" writes/s), ").append(n(w.errors()))
                    .append(" errors, p99 ").append(ms(w.p99Millis())).append(" ms");
            if (load.alreadyPresent() > 0) {
                b.append(", ").append(n(load.alreadyPresent())).append(" already present (written twice)");
            }
            b.append('\n');
        }
        b.append('\n');
        List<String[]> rows = new ArrayList<>();
        for (OperationReport o : r.operations()) {
            rows.add(row(o));
        }
        rows.add(row(r.total()));
        table(b, rows);
        b.append('\n');
        Counters c = r.counters();
        r.operation(Operation.READ.label()).ifPresent(read -> b.append("Reads that saw siblings: ")
                .append(n(c.readsWithSiblings())).append(" of ").append(n(read.count())).append(" (")
                .append(percent(c.readsWithSiblings(), read.count())).append("); reads of a key with no value: ")
                .append(n(c.readsNotFound())).append('\n'));
        r.operation(Operation.READ.label()).filter(read -> c.siblingReads().reads() > 0)
                .ifPresent(read -> b.append(siblingsLine(s, c.siblingReads(), read.count())).append('\n'));
        r.operation(Operation.UPDATE.label()).ifPresent(u -> b.append("Updates that read the key first (context not "
                + "cached): ").append(n(c.updatesThatReadFirst())).append(" of ").append(n(u.count())).append('\n'));
        r.operation(Operation.READ_MODIFY_WRITE.label()).ifPresent(u -> b.append("Read-modify-writes that resolved "
                + "siblings (latest timestamp wins): ").append(n(c.rmwResolvedSiblings())).append(" of ")
                .append(n(u.count())).append('\n'));
        r.operation(Operation.DELETE.label()).ifPresent(d -> b.append("Deletes that read the key first: ")
                .append(n(c.deletesThatReadFirst())).append(" of ").append(n(d.count())).append('\n'));
        if (c.clampedLatencies() > 0) {
            b.append("Operations slower than 60 s (recorded as 60 s): ").append(n(c.clampedLatencies())).append('\n');
        }
        if (r.total().errors() == 0) {
            b.append("Errors: none\n");
        } else {
            b.append("Errors:\n");
            for (OperationReport o : r.operations()) {
                for (Map.Entry<String, Long> e : o.errorsByType().entrySet()) {
                    String example = o.errorExamples().getOrDefault(e.getKey(), "");
                    if (example.length() > 160) {
                        example = example.substring(0, 157) + "...";
                    }
                    b.append("  ").append(o.operation()).append(": ").append(e.getKey()).append(' ')
                            .append(n(e.getValue())).append(" (first: ").append(example).append(")\n");
                }
            }
        }
        b.append("Command: ").append(r.info().commandLine()).append('\n');
        return b.toString();
    }

    /**
     * Why reads saw siblings and what became of them, e.g. "5.64% of reads saw siblings (1,234 reads
     * of 312 keys): concurrent updates of the same key by different client threads (in 1,201 of
     * them the siblings were written by 2 or more threads; zipfian keys make hot keys); 98.06% of
     * them (1,210) were merged by a later update's context, 24 not by the end of the run".
     */
    static String siblingsLine(WorkloadSpec s, SiblingReads sr, long reads) {
        StringBuilder b = new StringBuilder();
        b.append(percent(sr.reads(), reads)).append(" of reads saw siblings (").append(n(sr.reads()))
                .append(sr.reads() == 1 ? " read" : " reads").append(" of ").append(n(sr.keys()))
                .append(sr.keys() == 1 ? " key" : " keys").append("): ");
        boolean traced = sr.byDifferentThreads() >= 0;
        b.append(!traced || sr.byDifferentThreads() * 2 >= sr.reads()
                ? "concurrent updates of the same key by different client threads"
                : "updates that did not carry the key's latest context");
        List<String> notes = new ArrayList<>();
        if (traced) {
            notes.add("in " + n(sr.byDifferentThreads()) + " of them the siblings were written by 2 or more threads");
        }
        if (s.distribution() == KeyDistribution.ZIPFIAN) {
            notes.add("zipfian keys make hot keys");
        }
        if (!notes.isEmpty()) {
            b.append(" (").append(String.join("; ", notes)).append(')');
        }
        if (s.mix().share(Operation.UPDATE) > 0 || s.mix().share(Operation.DELETE) > 0) {
            b.append("; ").append(percent(sr.merged(), sr.reads())).append(" of them (").append(n(sr.merged()))
                    .append(") were merged by a later update's context");
            if (sr.open() > 0) {
                b.append(", ").append(n(sr.open())).append(" not by the end of the run");
            }
        } else {
            b.append("; this mix has no update or delete to merge them with a context");
        }
        return b.toString();
    }

    private static String loopLine(BenchReport r) {
        WorkloadSpec s = r.spec();
        if (!s.openLoop()) {
            return "Closed loop: each thread sends its next request when the last one is answered (no target rate)";
        }
        String line = "Open loop at " + String.format(Locale.ROOT, "%,.1f", s.targetRate()) + " ops/s: each thread "
                + "follows a timetable of intended start times and latency counts from the intended start";
        return r.unissued() > 0 ? line + "; " + n(r.unissued()) + " intended operations were not issued by the end "
                + "(the threads fell behind)" : line;
    }

    private static String[] row(OperationReport o) {
        return new String[] {o.operation(), n(o.count()), n(o.errors()),
            String.format(Locale.ROOT, "%,.1f", o.operationsPerSecond()), ms(o.meanMillis()), ms(o.p50Millis()),
            ms(o.p99Millis()), ms(o.p999Millis()), ms(o.maxMillis())};
    }

    private static void table(StringBuilder b, List<String[]> rows) {
        int[] width = new int[COLUMNS.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = COLUMNS.get(i).length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        line(b, COLUMNS.toArray(String[]::new), width);
        for (String[] row : rows) {
            line(b, row, width);
        }
    }

    /** The first column left-aligned, the numbers right-aligned. */
    private static void line(StringBuilder b, String[] cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            if (i == 0) {
                l.append(cells[i]).append(pad);
            } else {
                l.append("  ").append(pad).append(cells[i]);
            }
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String seconds(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "0%" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
    }

    // ------------------------------------------------------------------ JSON

    /** The report as a JSON tree (snake_case fields, latencies in milliseconds, null when none). */
    public static ObjectNode json(BenchReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", JSON_FORMAT);
        root.put("command", r.info().commandLine());
        root.put("target", r.info().target());
        root.put("started_at", r.startedAt().toString());
        root.put("seed", r.spec().seed());
        root.put("loop", r.loop());
        root.put("target_rate", r.spec().targetRate());
        root.set("spec", spec(r.spec()));
        if (r.load() == null) {
            root.putNull("load");
        } else {
            ObjectNode load = root.putObject("load");
            load.put("records", r.load().records());
            load.put("already_present", r.load().alreadyPresent());
            load.put("seconds", r.load().seconds());
            load.set("writes", operation(r.load().writes()));
        }
        root.put("warmup_seconds", r.warmupSeconds());
        root.put("measured_seconds", r.measuredSeconds());
        root.put("stopped_early", r.stoppedEarly());
        root.put("unissued", r.unissued());
        root.put("insert_tag", r.insertTag());
        var ops = root.putArray("operations");
        for (OperationReport o : r.operations()) {
            ops.add(operation(o));
        }
        root.set("total", operation(r.total()));
        Counters c = r.counters();
        ObjectNode counters = root.putObject("counters");
        counters.put("reads_with_siblings", c.readsWithSiblings());
        counters.put("reads_not_found", c.readsNotFound());
        counters.put("updates_that_read_first", c.updatesThatReadFirst());
        counters.put("deletes_that_read_first", c.deletesThatReadFirst());
        counters.put("rmw_resolved_siblings", c.rmwResolvedSiblings());
        counters.put("inserts", c.inserts());
        counters.put("clamped_latencies", c.clampedLatencies());
        SiblingReads sr = c.siblingReads();
        ObjectNode siblings = counters.putObject("reads_with_siblings_detail");
        siblings.put("keys", sr.keys());
        if (sr.byDifferentThreads() < 0) {
            siblings.putNull("by_different_threads");
        } else {
            siblings.put("by_different_threads", sr.byDifferentThreads());
        }
        siblings.put("merged_by_a_later_write", sr.merged());
        siblings.put("not_merged", sr.open());
        return root;
    }

    /** The report as indented JSON text. */
    public static String jsonText(BenchReport r) {
        try {
            return JSON.writeValueAsString(json(r)) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the report as JSON: " + e.getMessage(), e);
        }
    }

    /** Writes the JSON report to {@code file} (parent folders created). */
    public static void writeJson(BenchReport r, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, jsonText(r));
    }

    private static ObjectNode spec(WorkloadSpec s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("namespace", s.namespace());
        o.put("records", s.records());
        o.put("workload", s.mix().name());
        ObjectNode mix = o.putObject("mix");
        for (Operation op : Operation.values()) {
            mix.put(op.label(), s.mix().share(op));
        }
        o.put("distribution", s.distribution().label());
        o.put("value_size", s.valueSize());
        o.put("threads", s.threads());
        if (s.duration() == null) {
            o.putNull("duration_seconds");
        } else {
            o.put("duration_seconds", s.duration().toNanos() / 1e9);
        }
        o.put("operations", s.operations());
        o.put("warmup_seconds", s.warmup().toNanos() / 1e9);
        o.put("target_rate", s.targetRate());
        putQuorum(o, "r", s.readQuorum());
        putQuorum(o, "w", s.writeQuorum());
        o.put("seed", s.seed());
        o.put("load", s.load());
        o.put("context_cache_size", s.contextCacheSize());
        return o;
    }

    private static void putQuorum(ObjectNode o, String name, int value) {
        if (value == 0) {
            o.putNull(name);
        } else {
            o.put(name, value);
        }
    }

    private static ObjectNode operation(OperationReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("operation", r.operation());
        o.put("count", r.count());
        o.put("errors", r.errors());
        ObjectNode byType = o.putObject("errors_by_type");
        r.errorsByType().forEach(byType::put);
        ObjectNode examples = o.putObject("error_examples");
        r.errorExamples().forEach(examples::put);
        o.put("ops_per_second", r.operationsPerSecond());
        ObjectNode latency = o.putObject("latency_ms");
        putMillis(latency, "mean", r.meanMillis());
        putMillis(latency, "p50", r.p50Millis());
        putMillis(latency, "p90", r.percentileMillis(90));
        putMillis(latency, "p95", r.percentileMillis(95));
        putMillis(latency, "p99", r.p99Millis());
        putMillis(latency, "p99_9", r.p999Millis());
        putMillis(latency, "p99_99", r.percentileMillis(99.99));
        putMillis(latency, "max", r.maxMillis());
        o.put("hdr_histogram", encode(r.histogram()));
        return o;
    }

    private static void putMillis(ObjectNode o, String name, double value) {
        if (Double.isNaN(value)) {
            o.putNull(name);
        } else {
            o.put(name, value);
        }
    }

    /**
     * The histogram in HdrHistogram's compressed encoding, base64: decode with
     * {@code Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0)}.
     * Values are microseconds.
     */
    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}

package io.dynamo.bench.latency;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.bench.baseline.BaselineFormat;
import io.dynamo.bench.baseline.LatencySummary;
import io.dynamo.bench.report.Json;
import io.dynamo.bench.report.Text;
import io.dynamo.bench.report.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders an {@link UnloadedLatency.Result} as text (what {@code bench latency} prints) or as JSON. */
public final class LatencyFormat {

    /** The version of the JSON layout; raised when a field changes meaning or goes away. */
    public static final int JSON_FORMAT = 1;

    private LatencyFormat() {
    }

    public static String text(UnloadedLatency.Result r) {
        UnloadedLatency.Settings s = r.settings();
        StringBuilder b = new StringBuilder();
        b.append("Unloaded latency: one client thread, no other load; GET with R=").append(s.readQuorum())
                .append(", then PUT of the same key with the GET's context, W=").append(s.writeQuorum())
                .append(", dw").append(s.durableWrites() < 0 ? ": the namespace's default" : "=" + s.durableWrites())
                .append('\n');
        b.append("Keys: ").append(Text.n(s.records())).append(" records in namespace '").append(s.namespace())
                .append("' (run tag ").append(r.runTag()).append("), chosen uniformly; ").append(Text.n(s.valueSize()))
                .append("-byte values\n");
        b.append("Measured: ").append(Text.n(r.pairs())).append(" GET+PUT pairs in ").append(Text.elapsed(r.measuredSeconds()))
                .append(" after a ").append(Text.elapsed(r.warmupSeconds())).append(" warm-up (load: ")
                .append(Text.elapsed(r.loadSeconds())).append(')');
        if (s.operations() > 0) {
            b.append("; limit ").append(Text.n(s.operations())).append(" pairs");
        }
        if (r.stoppedEarly()) {
            b.append("; STOPPED EARLY");
        }
        b.append('\n');
        b.append("Loopback: blocking Java sockets on 127.0.0.1, TCP_NODELAY, ").append(s.loopback().payloadBytes())
                .append("-byte payload, ").append(Text.n(s.loopback().roundTrips())).append(" round trips per block, ")
                .append(s.loopbackBlocks()).append(" blocks: before, between and after the measured segments\n");
        b.append("Target: ").append(r.info().target()).append('\n');
        b.append("Seed: ").append(s.seed()).append('\n');
        b.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(BaselineFormat.latencyRow("GET R=" + s.readQuorum(), r.get()));
        rows.add(BaselineFormat.latencyRow("PUT W=" + s.writeQuorum(), r.put()));
        rows.add(BaselineFormat.latencyRow("loopback RTT", r.loopback()));
        Text.table(b, BaselineFormat.LATENCY_COLUMNS, rows);
        b.append('\n');
        StringBuilder blocks = new StringBuilder();
        for (LatencySummary l : r.loopbackBlocks()) {
            blocks.append(blocks.isEmpty() ? "" : ", ").append(Text.us(l.p50Micros()));
        }
        b.append("Loopback p50 per block (before, between, after): ").append(blocks).append(" us\n");
        b.append("GET p50 / loopback p50 = ").append(Text.times(r.getOverLoopback())).append("; PUT p50 / loopback p50 = ")
                .append(Text.times(r.putOverLoopback())).append('\n');
        b.append("GET p99.9 / p50 = ").append(Text.times(r.get().p999OverP50())).append("; PUT p99.9 / p50 = ")
                .append(Text.times(r.put().p999OverP50())).append("; loopback p99.9 / p50 = ")
                .append(Text.times(r.loopback().p999OverP50())).append('\n');
        b.append("PUT acknowledgements that were durable (from the write receipts): ").append(durable(r)).append('\n');
        b.append("GETs that saw siblings: ").append(Text.n(r.readsWithSiblings())).append('\n');
        b.append("GET errors: ").append(r.getErrors().line()).append('\n');
        b.append("PUT errors: ").append(r.putErrors().line()).append('\n');
        b.append("Verdicts:\n");
        for (Verdict v : r.verdicts()) {
            b.append("  ").append(v.line()).append('\n');
        }
        b.append("Command: ").append(r.info().commandLine()).append('\n');
        return b.toString();
    }

    private static String durable(UnloadedLatency.Result r) {
        if (r.durableAcks().isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        r.durableAcks().forEach((acks, puts) -> b.append(b.isEmpty() ? "" : ", ").append(acks).append(" durable in ")
                .append(Text.n(puts)).append(puts == 1 ? " put" : " puts"));
        return b.toString();
    }

    public static ObjectNode json(UnloadedLatency.Result r) {
        UnloadedLatency.Settings s = r.settings();
        ObjectNode root = Json.header(JSON_FORMAT, "latency", r.info(), r.startedAt(), s.seed(), r.runTag());
        ObjectNode settings = root.putObject("settings");
        settings.put("namespace", s.namespace());
        settings.put("records", s.records());
        settings.put("value_size", s.valueSize());
        Json.putSeconds(settings, "warmup_seconds", s.warmup());
        Json.putSeconds(settings, "duration_seconds", s.duration());
        settings.put("operations", s.operations());
        settings.put("r", s.readQuorum());
        settings.put("w", s.writeQuorum());
        if (s.durableWrites() < 0) {
            settings.putNull("dw");
        } else {
            settings.put("dw", s.durableWrites());
        }
        settings.put("loopback_payload_bytes", s.loopback().payloadBytes());
        settings.put("loopback_warmup_round_trips", s.loopback().warmupRoundTrips());
        settings.put("loopback_round_trips_per_block", s.loopback().roundTrips());
        settings.put("loopback_blocks", s.loopbackBlocks());
        settings.put("seed", s.seed());
        root.put("load_seconds", r.loadSeconds());
        root.put("warmup_seconds", r.warmupSeconds());
        root.put("measured_seconds", r.measuredSeconds());
        root.put("pairs", r.pairs());
        root.put("stopped_early", r.stoppedEarly());
        root.set("get", operation(r.get(), r.getHistogram(), r.getErrors()));
        root.set("put", operation(r.put(), r.putHistogram(), r.putErrors()));
        ObjectNode durable = ((ObjectNode) root.get("put")).putObject("durable_acks");
        r.durableAcks().forEach((acks, puts) -> durable.put(Integer.toString(acks), puts));
        root.put("reads_with_siblings", r.readsWithSiblings());
        ObjectNode loopback = root.putObject("loopback");
        loopback.set("latency", r.loopback().json());
        ArrayNode blocks = loopback.putArray("blocks");
        r.loopbackBlocks().forEach(l -> blocks.add(l.json()));
        loopback.put("hdr_histogram_ns", Json.histogram(r.loopbackHistogram()));
        ObjectNode ratios = root.putObject("ratios");
        Json.put(ratios, "get_p50_over_loopback_p50", r.getOverLoopback());
        Json.put(ratios, "put_p50_over_loopback_p50", r.putOverLoopback());
        Json.put(ratios, "get_p99_9_over_p50", r.get().p999OverP50());
        Json.put(ratios, "put_p99_9_over_p50", r.put().p999OverP50());
        Json.put(ratios, "loopback_p99_9_over_p50", r.loopback().p999OverP50());
        root.set("verdicts", Json.verdicts(r.verdicts()));
        return root;
    }

    private static ObjectNode operation(LatencySummary l, org.HdrHistogram.Histogram h,
            io.dynamo.bench.report.ErrorCounts.Snapshot errors) {
        ObjectNode o = Json.object();
        o.set("latency", l.json());
        o.set("errors", errors.json());
        o.put("hdr_histogram_ns", Json.histogram(h));
        return o;
    }

    public static String jsonText(UnloadedLatency.Result r) {
        return Json.text(json(r));
    }

    public static void writeJson(UnloadedLatency.Result r, Path file) throws IOException {
        Json.write(json(r), file);
    }
}

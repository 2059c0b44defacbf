package io.dynamo.bench.durability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.bench.baseline.BaselineFormat;
import io.dynamo.bench.report.Json;
import io.dynamo.bench.report.Text;
import io.dynamo.bench.report.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link DurableWrites.Result} as text (what {@code bench durability} prints) or as JSON. */
public final class DurabilityFormat {

    /** The version of the JSON layout; raised when a field changes meaning or goes away. */
    public static final int JSON_FORMAT = 1;

    private DurabilityFormat() {
    }

    public static String text(DurableWrites.Result r) {
        DurableWrites.Settings s = r.settings();
        StringBuilder b = new StringBuilder();
        b.append("Durable against buffered writes: ").append(s.threads()).append(s.threads() == 1 ? " client thread"
                : " client threads").append(", closed loop, each put a new key with the empty context, ")
                .append(Text.n(s.valueSize())).append("-byte values, W=").append(s.writeQuorum()).append('\n');
        b.append("  buffered: dw=").append(s.bufferedDurableWrites())
                .append(s.bufferedDurableWrites() == 0
                        ? " (every replica write buffered: acknowledged from the memtable and the unsynced WAL; each "
                                + "node syncs its WAL at least once per storage.flush_interval_ms)"
                        : " (the coordinator's write waits for its node's group commit, the others are buffered)")
                .append('\n');
        b.append("  durable:  dw=").append(s.durableWrites()).append(" (").append(s.durableWrites())
                .append(" replica writes, the coordinator's first, wait for their node's group commit: one WAL fsync ")
                .append("shared by every durable write waiting)\n");
        b.append("Phases: ").append(s.rounds()).append(s.rounds() == 1 ? " round" : " rounds")
                .append(" of buffered then durable, ").append(Text.duration(s.phase())).append(" each, after a ")
                .append(Text.elapsed(r.warmupSeconds())).append(" warm-up; throughput per mode is the median of its ")
                .append("phases");
        if (r.stoppedEarly()) {
            b.append("; STOPPED EARLY");
        }
        b.append('\n');
        b.append("Namespace '").append(s.namespace()).append("' (run tag ").append(r.runTag()).append(")\n");
        b.append("Target: ").append(r.info().target()).append('\n');
        b.append("Seed: ").append(s.seed()).append('\n');
        b.append('\n');
        List<String[]> rows = new ArrayList<>();
        for (DurableWrites.PhaseResult p : r.phases()) {
            rows.add(new String[] {p.mode().label(), Integer.toString(p.round()), Integer.toString(p.dw()),
                Text.n(p.puts()), Text.rate(p.putsPerSecond()), Text.ms(p.latency().p50Millis()),
                Text.ms(p.latency().p99Millis()), Text.n(p.errors().total())});
        }
        Text.table(b, List.of("phase", "round", "dw", "puts", "puts/s", "p50 ms", "p99 ms", "errors"), rows);
        b.append('\n');
        rows = new ArrayList<>();
        for (DurableWrites.ModeResult m : List.of(r.buffered(), r.durable())) {
            rows.add(new String[] {m.mode().label(), Integer.toString(m.dw()), Text.rate(m.medianPutsPerSecond()),
                Text.ms(m.latency().p50Millis()), Text.ms(m.latency().p99Millis()), Text.ms(m.latency().p999Millis()),
                Text.ms(m.latency().maxMillis()), Text.n(m.puts()), Text.n(m.errors())});
        }
        Text.table(b, List.of("mode", "dw", "median puts/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "puts", "errors"),
                rows);
        b.append('\n');
        b.append(BaselineFormat.text(r.fsync()));
        b.append('\n');
        b.append("Durable / buffered throughput (medians) = ").append(Text.times(r.durableOverBuffered())).append('\n');
        b.append("Durable put p50 / fsync p50 = ").append(Text.times(r.durable().latency().p50Micros()
                / r.fsync().latency().p50Micros())).append('\n');
        b.append("Durable replica writes per fsync, estimated: ").append(estimate(r.writesPerFsyncEstimate()))
                .append(" (median durable puts/s x dw ").append(s.durableWrites()).append(" / ").append(s.nodes())
                .append(" nodes x fsync p50; assumes each node syncs back to back at the probe's cost: above 1, group ")
                .append("commit must have shared fsyncs; at or below 1, it says nothing about batching)\n");
        b.append("Durable puts acknowledged with fewer durable copies than dw: ").append(Text.n(r.notDurableEnough()))
                .append('\n');
        b.append("Errors: ").append(errorsLine(r)).append('\n');
        b.append("Verdicts:\n");
        for (Verdict v : r.verdicts()) {
            b.append("  ").append(v.line()).append('\n');
        }
        b.append("Command: ").append(r.info().commandLine()).append('\n');
        return b.toString();
    }

    private static String estimate(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String errorsLine(DurableWrites.Result r) {
        StringBuilder b = new StringBuilder();
        for (DurableWrites.PhaseResult p : r.phases()) {
            if (p.errors().total() > 0) {
                b.append(b.isEmpty() ? "" : "; ").append(p.mode().label()).append(" round ").append(p.round())
                        .append(": ").append(p.errors().line());
            }
        }
        return b.isEmpty() ? "none" : b.toString();
    }

    public static ObjectNode json(DurableWrites.Result r) {
        DurableWrites.Settings s = r.settings();
        ObjectNode root = Json.header(JSON_FORMAT, "durability", r.info(), r.startedAt(), s.seed(), r.runTag());
        ObjectNode settings = root.putObject("settings");
        settings.put("namespace", s.namespace());
        settings.put("threads", s.threads());
        settings.put("value_size", s.valueSize());
        Json.putSeconds(settings, "warmup_seconds", s.warmup());
        Json.putSeconds(settings, "phase_seconds", s.phase());
        settings.put("rounds", s.rounds());
        settings.put("w", s.writeQuorum());
        settings.put("durable_dw", s.durableWrites());
        settings.put("buffered_dw", s.bufferedDurableWrites());
        settings.put("nodes", s.nodes());
        settings.put("seed", s.seed());
        root.put("warmup_seconds", r.warmupSeconds());
        root.put("stopped_early", r.stoppedEarly());
        ArrayNode phases = root.putArray("phases");
        for (DurableWrites.PhaseResult p : r.phases()) {
            ObjectNode o = phases.addObject();
            o.put("mode", p.mode().label());
            o.put("round", p.round());
            o.put("dw", p.dw());
            o.put("puts", p.puts());
            o.put("seconds", p.seconds());
            Json.put(o, "puts_per_second", p.putsPerSecond());
            o.set("latency", p.latency().json());
            o.set("errors", p.errors().json());
            o.set("durable_acks", acks(p.durableAcks()));
        }
        ObjectNode modes = root.putObject("modes");
        for (DurableWrites.ModeResult m : List.of(r.buffered(), r.durable())) {
            ObjectNode o = modes.putObject(m.mode().label());
            o.put("dw", m.dw());
            Json.put(o, "median_puts_per_second", m.medianPutsPerSecond());
            o.set("latency", m.latency().json());
            o.put("puts", m.puts());
            o.put("errors", m.errors());
            o.put("hdr_histogram_us", Json.histogram(m.histogram()));
        }
        root.set("fsync", BaselineFormat.json(r.fsync()));
        ObjectNode ratios = root.putObject("ratios");
        Json.put(ratios, "durable_over_buffered", r.durableOverBuffered());
        Json.put(ratios, "durable_p50_over_fsync_p50", r.durable().latency().p50Micros()
                / r.fsync().latency().p50Micros());
        Json.put(ratios, "writes_per_fsync_estimate", r.writesPerFsyncEstimate());
        root.put("not_durable_enough", r.notDurableEnough());
        root.set("verdicts", Json.verdicts(r.verdicts()));
        return root;
    }

    private static ObjectNode acks(Map<Integer, Long> acks) {
        ObjectNode o = Json.object();
        acks.forEach((k, v) -> o.put(Integer.toString(k), v));
        return o;
    }

    public static String jsonText(DurableWrites.Result r) {
        return Json.text(json(r));
    }

    public static void writeJson(DurableWrites.Result r, Path file) throws IOException {
        Json.write(json(r), file);
    }
}

package io.dynamo.bench.failure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.bench.load.OperationReport;
import io.dynamo.bench.load.ReportFormat;
import io.dynamo.bench.load.WorkloadSpec;
import io.dynamo.bench.report.Json;
import io.dynamo.bench.report.Text;
import io.dynamo.bench.report.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link FailureUnderLoad.Result} as text (what {@code bench failure} prints) or as
 * JSON (with the peak run's whole report); {@link RequestLog#writeCsv} writes every request.
 */
public final class FailureFormat {

    /** The version of the JSON layout; raised when a field changes meaning or goes away. */
    public static final int JSON_FORMAT = 1;

    private FailureFormat() {
    }

    public static String text(FailureUnderLoad.Result r) {
        FailureUnderLoad.Settings s = r.settings();
        WorkloadSpec w = s.peakSpec();
        String ok = "ok <= " + Text.duration(s.okWithin());
        StringBuilder b = new StringBuilder();
        b.append("Failure under load: one node killed while an open loop runs at ")
                .append(Text.times(s.loadFraction())).append(" the peak throughput\n");
        b.append("Workload ").append(s.mix().name()).append(" (").append(s.mix().describe()).append("), ")
                .append(s.distribution().label()).append(" over ").append(Text.n(s.records())).append(" records in ")
                .append("namespace '").append(s.namespace()).append("', ").append(Text.n(s.valueSize()))
                .append("-byte values; R ").append(s.readQuorum() == 0 ? "default" : s.readQuorum()).append(", W ")
                .append(s.writeQuorum() == 0 ? "default" : s.writeQuorum()).append('\n');
        OperationReport peak = r.peak().total();
        b.append("Peak: closed loop, ").append(w.threads()).append(" threads, ").append(Text.duration(w.duration()))
                .append(" after a ").append(Text.duration(w.warmup())).append(" warm-up: ")
                .append(Text.rate(peak.operationsPerSecond())).append(" ops/s (").append(Text.n(peak.errors()))
                .append(" errors, p50 ").append(Text.ms(peak.p50Millis())).append(" ms, p99 ")
                .append(Text.ms(peak.p99Millis())).append(" ms)");
        if (r.peak().load() != null) {
            b.append(", after loading ").append(Text.n(r.peak().load().writes().count())).append(" records");
        }
        b.append('\n');
        b.append("Open loop: ").append(Text.rate(r.targetRate())).append(" ops/s from ").append(s.issuers())
                .append(" issuing threads with asynchronous calls (no request waits for another); latency from each ")
                .append("request's intended start (no coordinated omission)\n");
        b.append("Kill: ").append(r.killedNode()).append(" at ").append(Text.elapsed(r.killAtSeconds()))
                .append(" into the open loop (the kill call took ").append(Text.ms(r.killSeconds() * 1000))
                .append(" ms); then a ").append(Text.duration(s.window())).append(" window; ok = succeeded within ")
                .append(Text.duration(s.okWithin())).append(" of the intended start");
        if (r.stoppedEarly()) {
            b.append("; STOPPED EARLY");
        }
        b.append('\n');
        b.append("Target: ").append(r.info().target()).append('\n');
        b.append("Seed: ").append(s.seed()).append('\n');
        b.append('\n');
        List<String[]> rows = new ArrayList<>();
        for (FailureUnderLoad.Period p : List.of(r.before(), r.after())) {
            rows.add(new String[] {p.name().equals("before") ? "before the kill" : "after (window)", Text.n(p.started()),
                Text.n(p.okWithin()), Text.n(p.okSlower()), Text.n(p.failed()), Text.percent(p.shareOkWithin()),
                Text.ms(p.latency().p50Millis()), Text.ms(p.latency().p99Millis()), Text.ms(p.latency().p999Millis()),
                Text.ms(p.latency().maxMillis())});
        }
        Text.table(b, List.of("requests", "started", ok, "ok slower", "failed", "share " + ok, "p50 ms", "p99 ms",
                "p99.9 ms", "max ms"), rows);
        b.append('\n');
        FailureUnderLoad.Routing routing = r.routing();
        if (!routing.deadNodeSeen()) {
            b.append("Routing: no attempt ever picked '").append(routing.deadNode())
                    .append("' (not a node id or client address the client used)\n");
        } else {
            b.append("Routing: the last request routed to the dead node ").append(routing.deadNode()).append(' ')
                    .append(Double.isNaN(routing.lastRoutedAfterKillSeconds()) ? "was before the kill"
                            : "was " + Text.elapsed(routing.lastRoutedAfterKillSeconds()) + " after the kill")
                    .append("; ").append(Text.n(routing.attemptsAfterKill()))
                    .append(" attempts picked it after the kill; ").append(Text.n(routing.windowRequestsThatTriedDeadNode()))
                    .append(" window requests tried it, ").append(Text.n(routing.ofThoseOk()))
                    .append(" of them succeeded on another replica\n");
        }
        b.append("Requests by first node tried: before ").append(nodes(r.before().firstNode())).append("; after ")
                .append(nodes(r.after().firstNode())).append('\n');
        b.append('\n');
        b.append("Timeline, by intended start (t: seconds from the kill):\n");
        rows = new ArrayList<>();
        for (FailureUnderLoad.Second sec : r.timeline()) {
            rows.add(new String[] {String.format(Locale.ROOT, "%+d", sec.second()), Text.n(sec.requests()),
                Text.n(sec.okWithin()), Text.n(sec.okSlower()), Text.n(sec.failed()), Text.ms(sec.p99Millis()),
                Text.n(sec.attemptsToDeadNode())});
        }
        Text.table(b, List.of("t", "requests", ok, "ok slower", "failed", "p99 ms", "to dead node"), rows);
        b.append('\n');
        b.append("Generator: issuing threads at most ").append(Text.ms(r.maxIssueLagMillis()))
                .append(" ms behind their timetable; ").append(Text.n(r.issuedLate()))
                .append(" requests sent more than 10 ms late (their latency counts from the intended start)\n");
        b.append("Errors before the kill: ").append(r.before().errors().line()).append('\n');
        b.append("Errors after the kill: ").append(r.after().errors().line()).append('\n');
        if (!r.failureSamples().isEmpty()) {
            b.append("First failures after the kill:\n");
            for (FailureUnderLoad.FailureSample f : r.failureSamples()) {
                String error = f.error().length() > 160 ? f.error().substring(0, 157) + "..." : f.error();
                b.append(String.format(Locale.ROOT, "  %+.3f s  %s  %s  %s%n", f.secondsAfterKill(), f.operation(),
                        f.node(), error));
            }
        }
        b.append("Verdicts:\n");
        for (Verdict v : r.verdicts()) {
            b.append("  ").append(v.line()).append('\n');
        }
        b.append("Command: ").append(r.info().commandLine()).append('\n');
        return b.toString();
    }

    private static String nodes(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        counts.forEach((node, n) -> b.append(b.isEmpty() ? "" : ", ").append(node).append(' ').append(Text.n(n)));
        return b.toString();
    }

    public static ObjectNode json(FailureUnderLoad.Result r) {
        FailureUnderLoad.Settings s = r.settings();
        ObjectNode root = Json.header(JSON_FORMAT, "failure", r.info(), r.startedAt(), s.seed(), r.runTag());
        ObjectNode settings = root.putObject("settings");
        settings.put("namespace", s.namespace());
        settings.put("records", s.records());
        settings.put("workload", s.mix().name());
        settings.put("distribution", s.distribution().label());
        settings.put("value_size", s.valueSize());
        settings.put("peak_threads", s.peakThreads());
        Json.putSeconds(settings, "peak_warmup_seconds", s.peakWarmup());
        Json.putSeconds(settings, "peak_duration_seconds", s.peakDuration());
        settings.put("load_fraction", s.loadFraction());
        settings.put("issuers", s.issuers());
        Json.putSeconds(settings, "steady_seconds", s.steady());
        Json.putSeconds(settings, "window_seconds", s.window());
        Json.putSeconds(settings, "ok_within_seconds", s.okWithin());
        putQuorum(settings, "r", s.readQuorum());
        putQuorum(settings, "w", s.writeQuorum());
        Json.putSeconds(settings, "drain_timeout_seconds", s.drainTimeout());
        settings.put("load", s.load());
        settings.put("seed", s.seed());
        root.set("peak", ReportFormat.json(r.peak()));
        Json.put(root, "peak_ops_per_second", r.peakOpsPerSecond());
        Json.put(root, "target_rate", r.targetRate());
        ObjectNode kill = root.putObject("kill");
        kill.put("node", r.killedNode());
        kill.put("at_seconds", r.killAtSeconds());
        kill.put("took_seconds", r.killSeconds());
        root.set("before", period(r.before()));
        root.set("after", period(r.after()));
        Json.put(root, "share_ok_within", r.shareOkWithin());
        ObjectNode routing = root.putObject("routing");
        routing.put("dead_node", r.routing().deadNode());
        routing.put("dead_node_seen", r.routing().deadNodeSeen());
        Json.put(routing, "last_routed_to_dead_node_after_kill_seconds", r.routing().lastRoutedAfterKillSeconds());
        routing.put("attempts_to_dead_node_after_kill", r.routing().attemptsAfterKill());
        routing.put("window_requests_that_tried_dead_node", r.routing().windowRequestsThatTriedDeadNode());
        routing.put("of_those_ok", r.routing().ofThoseOk());
        ArrayNode timeline = root.putArray("timeline");
        for (FailureUnderLoad.Second sec : r.timeline()) {
            ObjectNode o = timeline.addObject();
            o.put("second", sec.second());
            o.put("requests", sec.requests());
            o.put("ok_within", sec.okWithin());
            o.put("ok_slower", sec.okSlower());
            o.put("failed", sec.failed());
            Json.put(o, "p99_ms", sec.p99Millis());
            o.put("attempts_to_dead_node", sec.attemptsToDeadNode());
        }
        ArrayNode samples = root.putArray("failure_samples");
        for (FailureUnderLoad.FailureSample f : r.failureSamples()) {
            ObjectNode o = samples.addObject();
            o.put("seconds_after_kill", f.secondsAfterKill());
            o.put("operation", f.operation());
            o.put("node", f.node());
            o.put("error", f.error());
        }
        ObjectNode generator = root.putObject("generator");
        generator.put("requests", r.requests().size());
        generator.put("max_issue_lag_ms", r.maxIssueLagMillis());
        generator.put("issued_late", r.issuedLate());
        root.put("stopped_early", r.stoppedEarly());
        root.set("verdicts", Json.verdicts(r.verdicts()));
        return root;
    }

    private static ObjectNode period(FailureUnderLoad.Period p) {
        ObjectNode o = Json.object();
        o.put("started", p.started());
        o.put("ok_within", p.okWithin());
        o.put("ok_slower", p.okSlower());
        o.put("failed", p.failed());
        Json.put(o, "share_ok_within", p.shareOkWithin());
        o.set("latency", p.latency().json());
        o.set("errors", p.errors().json());
        ObjectNode first = o.putObject("first_node");
        p.firstNode().forEach(first::put);
        return o;
    }

    private static void putQuorum(ObjectNode o, String name, int value) {
        if (value == 0) {
            o.putNull(name);
        } else {
            o.put(name, value);
        }
    }

    public static String jsonText(FailureUnderLoad.Result r) {
        return Json.text(json(r));
    }

    public static void writeJson(FailureUnderLoad.Result r, Path file) throws IOException {
        Json.write(json(r), file);
    }
}

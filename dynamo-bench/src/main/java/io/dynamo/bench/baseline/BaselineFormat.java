package io.dynamo.bench.baseline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.bench.report.Json;
import io.dynamo.bench.report.Text;
import java.util.List;

/**
 * The baselines' results as text (a few lines each) and as JSON (every field; latencies in
 * microseconds, null when not measured). The engines that measure a baseline in the same run
 * embed these forms in theirs.
 */
public final class BaselineFormat {

    /** The columns of {@link #latencyRow}. */
    public static final List<String> LATENCY_COLUMNS = List.of("", "count", "mean us", "p50 us", "p90 us", "p99 us",
            "p99.9 us", "max us");

    private BaselineFormat() {
    }

    /** One row of a latency table: {@code label}, count and every percentile in microseconds. */
    public static String[] latencyRow(String label, LatencySummary l) {
        return new String[] {label, Text.n(l.count()), Text.us(l.meanMicros()), Text.us(l.p50Micros()),
            Text.us(l.p90Micros()), Text.us(l.p99Micros()), Text.us(l.p999Micros()), Text.us(l.maxMicros())};
    }

    // ------------------------------------------------------------------ loopback

    public static String text(LoopbackRoundTrip.Result r) {
        LoopbackRoundTrip.Settings s = r.settings();
        StringBuilder b = new StringBuilder();
        b.append("Loopback round trip: blocking Java sockets on 127.0.0.1, TCP_NODELAY, one thread each side, ")
                .append(Text.n(s.payloadBytes())).append("-byte payload each way\n");
        b.append("Measured ").append(Text.n(r.roundTrips())).append(" round trips in ").append(Text.elapsed(r.seconds()))
                .append(" (").append(Text.rate(r.roundTripsPerSecond())).append("/s) after ")
                .append(Text.n(s.warmupRoundTrips())).append(" warm-up\n");
        b.append("Round trip: ").append(r.latency().line()).append('\n');
        return b.toString();
    }

    public static ObjectNode json(LoopbackRoundTrip.Result r) {
        ObjectNode o = Json.object();
        o.put("baseline", "loopback_round_trip");
        ObjectNode s = o.putObject("settings");
        s.put("payload_bytes", r.settings().payloadBytes());
        s.put("warmup_round_trips", r.settings().warmupRoundTrips());
        s.put("round_trips", r.settings().roundTrips());
        Json.putSeconds(s, "max_duration_seconds", r.settings().maxDuration());
        o.put("round_trips", r.roundTrips());
        o.put("seconds", r.seconds());
        Json.put(o, "round_trips_per_second", r.roundTripsPerSecond());
        o.set("latency", r.latency().json());
        o.put("hdr_histogram_ns", Json.histogram(r.histogram()));
        return o;
    }

    // ------------------------------------------------------------------ fsync

    public static String text(FsyncProbe.Result r) {
        FsyncProbe.Settings s = r.settings();
        StringBuilder b = new StringBuilder();
        b.append("Fsync probe: append ").append(Text.n(s.blockBytes())).append(" bytes to a new file, then ")
                .append("FileChannel.force(false) (fdatasync), timed together\n");
        b.append("Directory: ").append(r.directory().toAbsolutePath())
                .append(r.fileStore().isEmpty() ? "" : " on " + r.fileStore())
                .append(s.directory() == null ? " (temporary)" : "").append('\n');
        b.append("Measured ").append(Text.n(r.writes())).append(" appends in ").append(Text.elapsed(r.seconds()))
                .append(" (").append(Text.rate(r.syncsPerSecond())).append(" syncs/s from one thread) after ")
                .append(Text.n(s.warmupWrites())).append(" warm-up\n");
        b.append("Append + fdatasync: ").append(r.latency().line()).append('\n');
        return b.toString();
    }

    public static ObjectNode json(FsyncProbe.Result r) {
        ObjectNode o = Json.object();
        o.put("baseline", "fsync_probe");
        ObjectNode s = o.putObject("settings");
        Json.putText(s, "directory", r.settings().directory());
        s.put("writes", r.settings().writes());
        s.put("block_bytes", r.settings().blockBytes());
        s.put("warmup_writes", r.settings().warmupWrites());
        o.put("directory", r.directory().toAbsolutePath().toString());
        o.put("file_store", r.fileStore());
        o.put("writes", r.writes());
        o.put("seconds", r.seconds());
        Json.put(o, "syncs_per_second", r.syncsPerSecond());
        o.set("latency", r.latency().json());
        return o;
    }

    // ------------------------------------------------------------------ storage engine

    public static String text(StorageEngineProbe.Result r) {
        StorageEngineProbe.Settings s = r.settings();
        StringBuilder b = new StringBuilder();
        b.append("Storage engine alone (RocksDbStorageEngine, RocksDbConfig.defaults, in process, one thread): ")
                .append(Text.n(s.valueBytes())).append("-byte values, buffered puts of new keys, gets of keys written\n");
        b.append("Up to ").append(Text.n(s.operations())).append(" operations per phase, at most ")
                .append(Text.duration(s.maxPhaseDuration())).append(", after ").append(Text.n(s.warmupOperations()))
                .append(" warm-up; seed ").append(s.seed()).append('\n');
        List<String> header = List.of("operation", "count", "ops/s", "mean us", "p50 us", "p99 us", "p99.9 us",
                "max us");
        Text.table(b, header, List.of(phaseRow(r.puts()), phaseRow(r.gets())));
        b.append("Gets that found no value: ").append(Text.n(r.missingReads())).append("; WAL syncs during the probe: ")
                .append(Text.n(r.walSyncs())).append('\n');
        return b.toString();
    }

    private static String[] phaseRow(StorageEngineProbe.Phase p) {
        LatencySummary l = p.latency();
        return new String[] {p.operation(), Text.n(p.count()), Text.rate(p.operationsPerSecond()),
            Text.us(l.meanMicros()), Text.us(l.p50Micros()), Text.us(l.p99Micros()), Text.us(l.p999Micros()),
            Text.us(l.maxMicros())};
    }

    public static ObjectNode json(StorageEngineProbe.Result r) {
        ObjectNode o = Json.object();
        o.put("baseline", "storage_engine_probe");
        ObjectNode s = o.putObject("settings");
        Json.putText(s, "parent_directory", r.settings().parentDirectory());
        s.put("value_bytes", r.settings().valueBytes());
        s.put("operations", r.settings().operations());
        Json.putSeconds(s, "max_phase_duration_seconds", r.settings().maxPhaseDuration());
        s.put("warmup_operations", r.settings().warmupOperations());
        s.put("seed", r.settings().seed());
        o.set("puts", phase(r.puts()));
        o.set("gets", phase(r.gets()));
        o.put("missing_reads", r.missingReads());
        o.put("wal_syncs", r.walSyncs());
        return o;
    }

    private static ObjectNode phase(StorageEngineProbe.Phase p) {
        ObjectNode o = Json.object();
        o.put("operation", p.operation());
        o.put("count", p.count());
        o.put("seconds", p.seconds());
        Json.put(o, "ops_per_second", p.operationsPerSecond());
        o.set("latency", p.latency().json());
        return o;
    }
}

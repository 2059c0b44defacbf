package io.dynamo.cli.bench.compare;

import io.dynamo.bench.baseline.LoopbackRoundTrip;
import io.dynamo.bench.baseline.StorageEngineProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The comparison's physical baselines, measured in the same run before the systems start: a raw
 * Java loopback round trip (blocking socket ping-pong) and our storage engine alone (in process,
 * no network), so the report says how close each system comes to the limits of this machine.
 */
final class Baselines {

    private Baselines() {
    }

    static List<Results.Baseline> measure(Path dir, Consumer<String> progress) throws IOException {
        Files.createDirectories(dir);
        LoopbackRoundTrip.Result rtt = LoopbackRoundTrip.run(LoopbackRoundTrip.Settings.defaults());
        progress.accept("loopback round trip: " + rtt.latency().line());
        StorageEngineProbe.Result storage = StorageEngineProbe.run(
                StorageEngineProbe.Settings.defaults(1L).withParentDirectory(dir));
        progress.accept("storage engine alone: " + Stats.format(storage.puts().operationsPerSecond()) + " puts/s, "
                + Stats.format(storage.gets().operationsPerSecond()) + " gets/s");
        return List.of(
                new Results.Baseline("Loopback TCP round trip", "p50 " + us(rtt.latency().p50Micros()) + ", p99.9 "
                        + us(rtt.latency().p999Micros()),
                        "blocking Java socket ping-pong on 127.0.0.1, " + rtt.settings().payloadBytes()
                                + "-byte messages, TCP_NODELAY, " + Stats.format(rtt.roundTrips()) + " round trips"),
                new Results.Baseline("Storage engine alone, put", Stats.format(storage.puts().operationsPerSecond())
                        + " ops/s, p50 " + us(storage.puts().latency().p50Micros()),
                        "our RocksDB engine in process, one thread, buffered puts of "
                                + storage.settings().valueBytes() + "-byte values to new keys"),
                new Results.Baseline("Storage engine alone, get", Stats.format(storage.gets().operationsPerSecond())
                        + " ops/s, p50 " + us(storage.gets().latency().p50Micros()),
                        "the same engine, one thread, point gets of keys it holds"));
    }

    private static String us(double micros) {
        return String.format(Locale.ROOT, micros < 100 ? "%.1f µs" : "%,.0f µs", micros);
    }
}

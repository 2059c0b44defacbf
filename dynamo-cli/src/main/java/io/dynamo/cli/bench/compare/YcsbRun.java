package io.dynamo.cli.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of YCSB's own {@code site.ycsb.Client} in a child JVM, with a binding's classpath
 * (ours, or the CQL one with the Cassandra driver and its Netty 4.1: each binding in its own JVM,
 * so they never share a classpath).
 *
 * <p>Latency is measured by YCSB's HdrHistogram measurement, from each operation's
 * <em>intended</em> start ({@code measurement.interval=intended}: with {@code -target}, an
 * operation delayed behind a slow one is charged the delay; no coordinated omission). YCSB
 * writes one interval histogram a second per operation ({@code hdrhistogram.fileoutput} with
 * {@code -s} and {@code status.interval=1}); {@link HdrIntervals} adds up those that start after
 * the warm-up, so one JVM warms up and measures, and the warm-up's operations are not counted.
 * The warm-up ends at the first status line at or past the warm-up's length; {@link #run} calls
 * {@code atWarmupEnd} then, where the caller samples the servers' CPU time.
 */
public final class YcsbRun {

    /** What to run. {@code targetOps} 0 is a closed loop (as fast as answers come). */
    public record Spec(String label, String classpath, String dbClass, Path workloadFile,
            Map<String, String> properties, int threads, double targetOps, boolean load, long records,
            Duration warmup, Duration duration, Path workDir) {

        public Spec {
            properties = Map.copyOf(properties);
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
        }
    }

    /** What came of it. */
    public record Outcome(Spec spec, Map<String, Map<String, String>> summary, long opsAtWarmupEnd,
            long warmupEndEpochMillis, long opsAtEnd, Path hdrDirectory) {

        /** A value of YCSB's closing summary ({@code [OVERALL], Throughput(ops/sec), 123}), or null. */
        public String value(String section, String metric) {
            Map<String, String> s = summary.get(section);
            return s == null ? null : s.get(metric);
        }
    }

    /** YCSB's status line: {@code 2026-11-23 05:39:28:693 4 sec: 2000 operations; ...}. */
    static final Pattern STATUS = Pattern.compile(".*?\\b(\\d+) sec: (\\d+) operations;.*");

    /** A line of YCSB's closing summary: {@code [READ], 99.9PercentileLatency(us), 33567}. */
    static final Pattern SUMMARY = Pattern.compile("\\[([^\\]]+)\\], ([^,]+), (.+)");

    private YcsbRun() {
    }

    /**
     * Runs YCSB to its end: the load phase, or the warm-up and the measured time. Throws
     * {@link IllegalStateException} with the tail of YCSB's output when it fails or reports
     * nothing (YCSB exits 0 even when the binding's init fails).
     */
    public static Outcome run(Path java, Spec spec, Runnable atWarmupEnd, Consumer<String> progress) {
        try {
            Files.createDirectories(spec.workDir());
            Path hdr = Files.createDirectories(spec.workDir().resolve("hdr"));
            Path stdout = spec.workDir().resolve("ycsb.out");
            List<String> cmd = command(java, spec, hdr);
            Files.writeString(spec.workDir().resolve("command.txt"), String.join(" ", cmd) + "\n");
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).start();
            StatusReader status = new StatusReader(spec.load() ? Long.MAX_VALUE : spec.warmup().toSeconds(),
                    atWarmupEnd, progress, spec.label());
            Thread reader = new Thread(() -> status.consume(p), "ycsb-stderr");
            reader.setDaemon(true);
            reader.start();
            long limitSeconds = spec.warmup().toSeconds() + spec.duration().toSeconds() + 600;
            boolean done;
            try {
                done = p.waitFor(limitSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during YCSB " + spec.label(), e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IllegalStateException("YCSB " + spec.label() + " did not finish within " + limitSeconds
                        + " s; its output is in " + spec.workDir());
            }
            reader.join(10_000);
            Map<String, Map<String, String>> summary = parseSummary(Files.readAllLines(stdout));
            if (!summary.containsKey("OVERALL")) {
                throw new IllegalStateException("YCSB " + spec.label() + " reported nothing (exit " + p.exitValue()
                        + "); its last output:\n  " + String.join("\n  ", status.tail()));
            }
            return new Outcome(spec, summary, status.opsAtWarmupEnd, status.warmupEndEpochMillis, status.lastOps, hdr);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run YCSB " + spec.label() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during YCSB " + spec.label(), e);
        }
    }

    static List<String> command(Path java, Spec spec, Path hdr) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-Xms256m");
        cmd.add("-Xmx1g");
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        if (Runtime.version().feature() >= 24) {
            // Netty 4.1 (the Cassandra driver's) uses sun.misc.Unsafe; without this JDK 24+ warns.
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-cp");
        cmd.add(spec.classpath());
        cmd.add("site.ycsb.Client");
        cmd.add(spec.load() ? "-load" : "-t");
        cmd.add("-db");
        cmd.add(spec.dbClass());
        cmd.add("-P");
        cmd.add(spec.workloadFile().toString());
        cmd.add("-threads");
        cmd.add(Integer.toString(spec.threads()));
        if (spec.targetOps() > 0) {
            cmd.add("-target");
            cmd.add(Long.toString(Math.max(1, Math.round(spec.targetOps()))));
        }
        cmd.add("-s");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("status.interval", "1");
        props.put("recordcount", Long.toString(spec.records()));
        props.put("measurementtype", "hdrhistogram");
        props.put("hdrhistogram.percentiles", "50,99,99.9");
        props.put("measurement.interval", "intended");
        props.put("hdrhistogram.fileoutput", "true");
        props.put("hdrhistogram.output.path", hdr.toString() + "/");
        if (spec.load()) {
            props.put("insertcount", Long.toString(spec.records()));
        } else {
            props.put("operationcount", "2000000000");
            props.put("maxexecutiontime",
                    Long.toString(Math.max(1, spec.warmup().toSeconds() + spec.duration().toSeconds())));
        }
        props.putAll(spec.properties());
        props.forEach((k, v) -> {
            cmd.add("-p");
            cmd.add(k + "=" + v);
        });
        return cmd;
    }

    static Map<String, Map<String, String>> parseSummary(List<String> lines) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = SUMMARY.matcher(line.strip());
            if (m.matches()) {
                out.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(m.group(2).strip(), m.group(3).strip());
            }
        }
        return out;
    }

    /** Reads YCSB's stderr: status lines, the warm-up's end, and a tail for error messages. */
    static final class StatusReader {
        private final long warmupSeconds;
        private final Runnable atWarmupEnd;
        private final Consumer<String> progress;
        private final String label;
        private final Deque<String> tail = new ArrayDeque<>();
        volatile long opsAtWarmupEnd = -1;
        volatile long warmupEndEpochMillis = -1;
        volatile long lastOps;
        private long lastReported = -1;

        StatusReader(long warmupSeconds, Runnable atWarmupEnd, Consumer<String> progress, String label) {
            this.warmupSeconds = warmupSeconds;
            this.atWarmupEnd = atWarmupEnd;
            this.progress = progress;
            this.label = label;
        }

        void consume(Process p) {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    line(line);
                }
            } catch (IOException e) {
                line("(reading YCSB's output failed: " + e.getMessage() + ")");
            }
        }

        void line(String line) {
            synchronized (tail) {
                tail.addLast(line);
                if (tail.size() > 30) {
                    tail.removeFirst();
                }
            }
            Matcher m = STATUS.matcher(line);
            if (!m.matches()) {
                return;
            }
            long sec = Long.parseLong(m.group(1));
            long ops = Long.parseLong(m.group(2));
            lastOps = ops;
            if (opsAtWarmupEnd < 0 && sec >= warmupSeconds) {
                warmupEndEpochMillis = System.currentTimeMillis();
                opsAtWarmupEnd = ops;
                atWarmupEnd.run();
            }
            if (sec > 0 && sec % 10 == 0 && sec != lastReported) {
                lastReported = sec;
                progress.accept(label + ": " + sec + " s, " + ops + " operations");
            }
        }

        List<String> tail() {
            synchronized (tail) {
                return List.copyOf(tail);
            }
        }
    }
}

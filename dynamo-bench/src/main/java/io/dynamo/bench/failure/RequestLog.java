package io.dynamo.bench.failure;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Every request of {@link FailureUnderLoad}'s open loop, one slot each, in primitive arrays sized
 * before the loop starts: its intended start, its latency from that intended start, whether it
 * succeeded, its operation, and where the client sent it ({@link io.dynamo.client.AttemptObserver}):
 * the first and last node tried, and the set of nodes tried. Slots are written by whichever thread
 * completes the request and read once every request is done.
 */
public final class RequestLog {

    /** Not answered by the end of the run. */
    public static final byte PENDING = 0;
    /** Succeeded. */
    public static final byte OK = 1;
    /** Failed (an exception from the client). */
    public static final byte FAILED = 2;

    /** No node was tried (the request failed before an attempt). */
    public static final byte NO_NODE = -1;

    private final long[] intendedNanos;
    private final long[] latencyMicros;
    private final byte[] outcome;
    private final byte[] operation;
    private final byte[] firstNode;
    private final byte[] lastNode;
    private final int[] nodesTried;
    private final byte[] error;
    private int size;
    private List<String> operations = List.of();
    private List<String> nodes = List.of();
    private List<String> errors = List.of();

    RequestLog(int capacity) {
        intendedNanos = new long[capacity];
        latencyMicros = new long[capacity];
        outcome = new byte[capacity];
        operation = new byte[capacity];
        firstNode = new byte[capacity];
        lastNode = new byte[capacity];
        nodesTried = new int[capacity];
        error = new byte[capacity];
    }

    int capacity() {
        return intendedNanos.length;
    }

    void issued(int slot, long intendedOffsetNanos, int op) {
        intendedNanos[slot] = intendedOffsetNanos;
        operation[slot] = (byte) op;
        firstNode[slot] = NO_NODE;
        lastNode[slot] = NO_NODE;
    }

    /** {@code errorKind}: 0 for none, else 1 + the index of the error's name. */
    void completed(int slot, long latency, int errorKind, int first, int last, int mask) {
        latencyMicros[slot] = latency;
        firstNode[slot] = (byte) first;
        lastNode[slot] = (byte) last;
        nodesTried[slot] = mask;
        error[slot] = (byte) errorKind;
        outcome[slot] = errorKind == 0 ? OK : FAILED;
    }

    /** Called once the run is over: how many slots were used, and the names behind the codes. */
    void seal(int used, List<String> operationNames, List<String> nodeNames, List<String> errorNames) {
        this.size = used;
        this.operations = List.copyOf(operationNames);
        this.nodes = List.copyOf(nodeNames);
        this.errors = List.copyOf(errorNames);
    }

    /** Requests issued. */
    public int size() {
        return size;
    }

    /** Request {@code i}'s intended start, in nanoseconds since the open loop began. */
    public long intendedNanos(int i) {
        return intendedNanos[check(i)];
    }

    /** From its intended start to its answer (or failure), in microseconds; 0 while pending. */
    public long latencyMicros(int i) {
        return latencyMicros[check(i)];
    }

    /** {@link #OK}, {@link #FAILED} or {@link #PENDING}. */
    public byte outcome(int i) {
        return outcome[check(i)];
    }

    /** The operation's label ({@code read}, {@code update}, ...). */
    public String operation(int i) {
        return operations.get(operation[check(i)]);
    }

    /** The index of the first node tried (see {@link #nodes()}), or {@link #NO_NODE}. */
    public int firstNode(int i) {
        return firstNode[check(i)];
    }

    /** The index of the last node tried, the one that answered when it succeeded, or {@link #NO_NODE}. */
    public int lastNode(int i) {
        return lastNode[check(i)];
    }

    /** Whether node {@code node} (an index of {@link #nodes()}) was tried by request {@code i}. */
    public boolean tried(int i, int node) {
        return node >= 0 && node < 32 && (nodesTried[check(i)] & (1 << node)) != 0;
    }

    /** The failure's type (the exception's simple class name), or null when it did not fail or is pending. */
    public String error(int i) {
        int kind = error[check(i)];
        return kind <= 0 || kind > errors.size() ? null : errors.get(kind - 1);
    }

    /** Names of the nodes by index: the client address, with the node id when known ({@code n1@127.0.0.1:9081}). */
    public List<String> nodes() {
        return nodes;
    }

    private int check(int i) {
        Objects.checkIndex(i, size);
        return i;
    }

    /**
     * Writes the log as CSV:
     * {@code intended_ms,latency_ms,outcome,operation,first_node,last_node,nodes_tried,error}
     * (times in milliseconds since the open loop began; nodes by name, the set separated by {@code |}).
     */
    public void writeCsv(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("intended_ms,latency_ms,outcome,operation,first_node,last_node,nodes_tried,error\n");
            for (int i = 0; i < size; i++) {
                StringBuilder tried = new StringBuilder();
                for (int n = 0; n < nodes.size() && n < 32; n++) {
                    if (tried(i, n)) {
                        tried.append(tried.isEmpty() ? "" : "|").append(nodes.get(n));
                    }
                }
                String e = error(i);
                w.write(String.format(Locale.ROOT, "%.3f,%.3f,%s,%s,%s,%s,%s,%s%n", intendedNanos[i] / 1e6,
                        latencyMicros[i] / 1e3, outcome[i] == OK ? "ok" : outcome[i] == FAILED ? "failed" : "pending",
                        operation(i), name(firstNode[i]), name(lastNode[i]), tried, e == null ? "" : e));
            }
        }
    }

    private String name(int node) {
        return node >= 0 && node < nodes.size() ? nodes.get(node) : "";
    }
}

package io.dynamo.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.bench.load.RunInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import org.HdrHistogram.Histogram;

/**
 * What the benchmark results' JSON forms share: one mapper (indented output), numbers that are
 * null when not measured (NaN), durations in seconds, and histograms in HdrHistogram's compressed
 * encoding (base64), as {@link io.dynamo.bench.load.ReportFormat} writes them.
 */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * A result's first fields, the same in every benchmark's JSON: the format version, which
     * benchmark, the command and target, when it started, its seed and its run tag.
     */
    public static ObjectNode header(int format, String benchmark, RunInfo info, Instant startedAt, long seed,
            String runTag) {
        ObjectNode root = object();
        root.put("format", format);
        root.put("benchmark", benchmark);
        root.put("command", info.commandLine());
        root.put("target", info.target());
        root.put("started_at", startedAt.toString());
        root.put("seed", seed);
        root.put("run_tag", runTag);
        return root;
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** {@code value}, or null when it is NaN or infinite. */
    public static void put(ObjectNode o, String name, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            o.putNull(name);
        } else {
            o.put(name, value);
        }
    }

    /** The duration in seconds, or null. */
    public static void putSeconds(ObjectNode o, String name, Duration d) {
        if (d == null) {
            o.putNull(name);
        } else {
            o.put(name, d.toNanos() / 1e9);
        }
    }

    /** The string, or null. */
    public static void putText(ObjectNode o, String name, Object value) {
        if (value == null) {
            o.putNull(name);
        } else {
            o.put(name, value.toString());
        }
    }

    public static ArrayNode verdicts(Collection<Verdict> verdicts) {
        ArrayNode a = array();
        verdicts.forEach(v -> a.add(v.json()));
        return a;
    }

    /** Indented JSON text, with a final newline. */
    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the result as JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #text} to {@code file}, making its parent folders. */
    public static void write(JsonNode node, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text(node));
    }

    /**
     * The histogram in HdrHistogram's compressed encoding, base64: decode with
     * {@code Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0)}.
     */
    public static String histogram(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}

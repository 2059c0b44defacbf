package io.dynamo.server.coordinator;

import io.dynamo.core.storage.StorageLimits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The properties of a namespace ("bucket"): replication factor N, default read and write quorums
 * R and W, how many of a put's replica writes are durable (DW, the rest buffered: paper section
 * 6.1), the conflict mode, and size limits. Validated on construction; a bad value fails with a
 * message naming the property and the value.
 *
 * @param n replicas per key
 * @param r replies a read waits for
 * @param w acknowledgements a write waits for (fallbacks count: sloppy quorum)
 * @param dw of those, how many must be durable
 * @param conflictMode siblings (default) or lww (lossy)
 * @param limits key, value and sibling-count limits
 */
public record NamespaceProperties(int n, int r, int w, int dw, ConflictMode conflictMode, StorageLimits limits) {

    /** N=3, R=2, W=2, DW=1, siblings, default limits. */
    public static final NamespaceProperties DEFAULTS =
            new NamespaceProperties(3, 2, 2, 1, ConflictMode.SIBLINGS, StorageLimits.DEFAULTS);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    public NamespaceProperties {
        if (n < 1 || n > 16) {
            throw new IllegalArgumentException("n must be between 1 and 16, was " + n);
        }
        if (r < 1 || r > n) {
            throw new IllegalArgumentException("r must be between 1 and n (" + n + "), was " + r);
        }
        if (w < 1 || w > n) {
            throw new IllegalArgumentException("w must be between 1 and n (" + n + "), was " + w);
        }
        if (dw < 0 || dw > w) {
            throw new IllegalArgumentException("dw must be between 0 and w (" + w + "), was " + dw);
        }
        if (conflictMode == null) {
            throw new IllegalArgumentException("conflict_mode must be 'siblings' or 'lww', was null");
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits must be given");
        }
    }

    /** Throws unless {@code name} is a valid namespace name (1 to 255 of letters, digits, '.', '_', '-'). */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bucket name must be 1 to 255 letters, digits, '.', '_' or '-', was '"
                    + name + "'");
        }
        return name;
    }

    /**
     * These properties with the given changes applied, by property name ({@code n}, {@code r},
     * {@code w}, {@code dw}, {@code conflict_mode}, {@code max_key_bytes}, {@code max_value_bytes},
     * {@code max_siblings}). Unknown names and bad values are rejected; nothing changes unless
     * every change is valid.
     */
    public NamespaceProperties with(Map<String, String> changes) {
        Map<String, String> all = new LinkedHashMap<>(toMap());
        for (Map.Entry<String, String> change : changes.entrySet()) {
            if (!all.containsKey(change.getKey())) {
                throw new IllegalArgumentException("unknown bucket property '" + change.getKey() + "'; known: "
                        + String.join(", ", all.keySet()));
            }
            all.put(change.getKey(), change.getValue());
        }
        return new NamespaceProperties(integer(all, "n"), integer(all, "r"), integer(all, "w"), integer(all, "dw"),
                ConflictMode.parse(all.get("conflict_mode")),
                new StorageLimits(integer(all, "max_key_bytes"), integer(all, "max_value_bytes"),
                        integer(all, "max_siblings")));
    }

    /** The properties by name, as {@link #with} and the admin API read and write them. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("n", Integer.toString(n));
        map.put("r", Integer.toString(r));
        map.put("w", Integer.toString(w));
        map.put("dw", Integer.toString(dw));
        map.put("conflict_mode", conflictMode.toString());
        map.put("max_key_bytes", Integer.toString(limits.maxKeyBytes()));
        map.put("max_value_bytes", Integer.toString(limits.maxValueBytes()));
        map.put("max_siblings", Integer.toString(limits.maxSiblings()));
        return map;
    }

    private static int integer(Map<String, String> values, String name) {
        String text = values.get(name);
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + text + "'");
        }
    }
}

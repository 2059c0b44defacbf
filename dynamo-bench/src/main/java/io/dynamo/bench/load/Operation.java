package io.dynamo.bench.load;

import java.util.Locale;

/**
 * The operations of a workload, as {@link LoadGenerator} issues them through the Java client. See
 * the generator's class comment for exactly what each one sends.
 */
public enum Operation {
    /** One {@code get}. */
    READ("read"),
    /** One {@code put} with the key's causal context (a {@code get} first when it is not known). */
    UPDATE("update"),
    /** One {@code put} of a key nobody wrote before, with the empty context. */
    INSERT("insert"),
    /** One {@code client.update}: get, resolve siblings, put with the read's context. */
    READ_MODIFY_WRITE("rmw"),
    /** One {@code delete} with the key's causal context (a {@code get} first when it is not known). */
    DELETE("delete");

    private final String label;

    Operation(String label) {
        this.label = label;
    }

    /** The short name used in options, tables and JSON: read, update, insert, rmw, delete. */
    public String label() {
        return label;
    }

    /** The operation with this label (or enum name), case-insensitive. */
    public static Operation parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (Operation op : values()) {
            if (op.label.equals(t) || op.name().toLowerCase(Locale.ROOT).equals(t)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operation '" + text + "': use read, update, insert, rmw or delete");
    }
}

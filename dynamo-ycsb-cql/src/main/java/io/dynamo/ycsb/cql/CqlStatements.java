package io.dynamo.ycsb.cql;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The CQL of the binding's statements, one per operation, table and field set; a {@link Key}
 * names each, and is what the prepared statement cache ({@link SharedSessions}) is keyed by.
 *
 * <p>Field lists are in ascending order (see {@link #fields}), so every set of fields has one
 * statement whatever order YCSB's map or set gives them in, and a statement's bind markers are
 * in that order: the fields' values first, the key last for {@code UPDATE}; the key first, then
 * the fields' values for {@code INSERT}. Names (the table and the fields) are written as CQL
 * identifiers: as they are if they are lower case letters, digits and underscores, otherwise
 * double quoted (case sensitive), as {@link CqlSchema} creates them.
 */
final class CqlStatements {

    /** The partition key column of every YCSB table: the record's key, as the upstream YCSB binding names it. */
    static final String KEY_COLUMN = "y_id";

    private CqlStatements() {
    }

    /** The operations with a statement of their own. */
    enum Operation {
        READ, SCAN, INSERT, UPDATE, DELETE
    }

    /**
     * A statement of the binding: what it does, on which table, with which fields.
     *
     * @param fields the fields, in ascending order, or null for all ({@code SELECT *})
     */
    record Key(Operation operation, String table, List<String> fields) {

        Key {
            fields = fields == null ? null : List.copyOf(fields);
        }

        /** The CQL. */
        String cql() {
            return switch (operation) {
                case READ -> read(table, fields);
                case SCAN -> scan(table, fields);
                case INSERT -> insert(table, fields);
                case UPDATE -> update(table, fields);
                case DELETE -> delete(table);
            };
        }
    }

    /** The names in ascending order, or null for null (all fields). */
    static List<String> fields(Collection<String> names) {
        return names == null ? null : names.stream().sorted().toList();
    }

    /** A name as a CQL identifier: quoted only if it has to be. */
    static String identifier(String name) {
        return CqlIdentifier.fromInternal(name).asCql(true);
    }

    /**
     * {@code SELECT * FROM t WHERE y_id = ?}, or {@code SELECT f1, f2 FROM t WHERE y_id = ?}; with
     * no field at all, {@code SELECT y_id FROM ...}, which only tells whether the row exists.
     */
    static String read(String table, List<String> fields) {
        return "SELECT " + selection(fields) + " FROM " + identifier(table) + " WHERE " + KEY_COLUMN + " = ?";
    }

    /**
     * {@code SELECT ... FROM t WHERE token(y_id) >= token(?) LIMIT ?}: up to LIMIT rows in token
     * order from the start key's token, as the upstream YCSB Cassandra binding scans (rows are
     * ordered by the hash of their key, not by key).
     */
    static String scan(String table, List<String> fields) {
        return "SELECT " + selection(fields) + " FROM " + identifier(table) + " WHERE token(" + KEY_COLUMN
                + ") >= token(?) LIMIT ?";
    }

    /** {@code INSERT INTO t (y_id, f1, f2) VALUES (?, ?, ?)}. */
    static String insert(String table, List<String> fields) {
        StringBuilder columns = new StringBuilder(KEY_COLUMN);
        StringBuilder markers = new StringBuilder("?");
        for (String field : fields) {
            columns.append(", ").append(identifier(field));
            markers.append(", ?");
        }
        return "INSERT INTO " + identifier(table) + " (" + columns + ") VALUES (" + markers + ")";
    }

    /**
     * {@code UPDATE t SET f1 = ?, f2 = ? WHERE y_id = ?} (an upsert: it writes the fields whether or
     * not the row exists).
     *
     * @throws IllegalArgumentException for no field (there is nothing to set)
     */
    static String update(String table, List<String> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("an update needs at least one field");
        }
        return "UPDATE " + identifier(table) + " SET "
                + fields.stream().map(f -> identifier(f) + " = ?").collect(Collectors.joining(", "))
                + " WHERE " + KEY_COLUMN + " = ?";
    }

    /** {@code DELETE FROM t WHERE y_id = ?}. */
    static String delete(String table) {
        return "DELETE FROM " + identifier(table) + " WHERE " + KEY_COLUMN + " = ?";
    }

    private static String selection(List<String> fields) {
        if (fields == null) {
            return "*";
        }
        if (fields.isEmpty()) {
            return KEY_COLUMN;
        }
        return fields.stream().map(CqlStatements::identifier).collect(Collectors.joining(", "));
    }
}

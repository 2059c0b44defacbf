package io.dynamo.core.ring;

import java.util.regex.Pattern;

/**
 * The stable name of a physical node, chosen by the operator ({@code node1}, {@code db-eu-3}).
 * Letters, digits, '.', '_', ':' and '-'; 1 to 64 characters.
 */
public record NodeId(String value) implements Comparable<NodeId> {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public NodeId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid node id '" + value
                    + "': use 1 to 64 letters, digits, '.', '_', ':' or '-'");
        }
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    @Override
    public int compareTo(NodeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

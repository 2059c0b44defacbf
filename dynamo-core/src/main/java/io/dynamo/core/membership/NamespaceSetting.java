package io.dynamo.core.membership;

import io.dynamo.core.ring.NodeId;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An operator's setting of one namespace's properties, as the cluster state carries it: a
 * last-writer-wins register ordered by {@code version}, then by the node that set it, then by
 * the properties themselves, so that every node picks the same winner whatever order the gossip
 * arrives in. A change is made at one node with the version one above the highest it knows, and
 * reaches the others by gossip.
 *
 * <p>The properties are opaque text here (the server validates them: {@code n}, {@code r},
 * {@code w}, ...). An empty map is a reset: the namespace goes back to what each node's
 * configuration says.
 *
 * @param properties the namespace's properties by name; empty for a reset
 * @param version grows with every change of this namespace's setting, cluster-wide
 * @param by the node where the operator made the change
 */
public record NamespaceSetting(SortedMap<String, String> properties, long version, NodeId by) {

    /** The longest namespace name a setting may carry (the server's own rule is stricter). */
    public static final int MAX_NAME_LENGTH = 255;

    /** How many properties a setting may carry; far more than the server defines. */
    public static final int MAX_PROPERTIES = 64;

    private static final Comparator<NamespaceSetting> ORDER = Comparator.comparingLong(NamespaceSetting::version)
            .thenComparing(NamespaceSetting::by)
            .thenComparing(s -> s.properties().toString());

    public NamespaceSetting {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(by, "by");
        if (version < 1) {
            throw new IllegalArgumentException("a namespace setting's version must be at least 1, was " + version);
        }
        if (properties.size() > MAX_PROPERTIES) {
            throw new IllegalArgumentException("a namespace setting has " + properties.size()
                    + " properties; at most " + MAX_PROPERTIES);
        }
        properties.forEach((k, v) -> {
            Objects.requireNonNull(k, "property name");
            Objects.requireNonNull(v, "property value");
        });
        properties = Collections.unmodifiableSortedMap(new TreeMap<>(properties));
    }

    /** A setting of {@code properties} (empty: a reset) at {@code version}, made at {@code by}. */
    public static NamespaceSetting of(Map<String, String> properties, long version, NodeId by) {
        return new NamespaceSetting(new TreeMap<>(properties), version, by);
    }

    /** Whether this setting sends the namespace back to each node's configuration. */
    public boolean isReset() {
        return properties.isEmpty();
    }

    /** The winner of two settings of one namespace; commutative, associative, idempotent. */
    public static NamespaceSetting merge(NamespaceSetting a, NamespaceSetting b) {
        return ORDER.compare(a, b) >= 0 ? a : b;
    }

    /** Checks a namespace name as the cluster state carries it: 1 to 255 characters. */
    static String checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a namespace name must be 1 to " + MAX_NAME_LENGTH
                    + " characters, was '" + name + "'");
        }
        return name;
    }
}

package io.dynamo.core.membership;

import io.dynamo.core.ring.NodeId;
import java.util.Comparator;
import java.util.Objects;

/**
 * One movement of a ring change: {@code node} must come to hold {@code partition}'s data (it is
 * an owner of the partition under the next ring and was not under the current one).
 */
public record Transfer(int partition, NodeId node) implements Comparable<Transfer> {

    private static final Comparator<Transfer> ORDER = Comparator.comparingInt(Transfer::partition)
            .thenComparing(Transfer::node);

    public Transfer {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative, was " + partition);
        }
        Objects.requireNonNull(node, "node");
    }

    @Override
    public int compareTo(Transfer other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return partition + "->" + node.value();
    }
}

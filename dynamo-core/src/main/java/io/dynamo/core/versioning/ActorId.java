package io.dynamo.core.versioning;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Objects;

/**
 * The identity under which a node issues dots: its name plus the incarnation of its data.
 *
 * <p>A node picks a fresh incarnation (a random 64-bit number, drawn from the injected
 * {@code RandomSource}) whenever it starts with an empty data directory, and keeps it for as long
 * as that directory survives. Why: counters are only safe if an actor never issues the same dot
 * twice. A node that lost its data would restart its counters at 1 and issue dots that old
 * contexts elsewhere already cover, so its new writes would be silently discarded as "already
 * seen" (Riak issue KV679, "key amnesia"). Under a new incarnation it is a new actor that no old
 * context mentions.
 *
 * <p>Ordered by node name (natural {@link String} order), then by incarnation as a signed
 * {@code long}; the order is the same on every JVM, so canonical encodings and digests agree.
 *
 * @param node the node's stable name; 1 to {@value #MAX_NODE_BYTES} bytes of well-formed UTF-8
 * @param incarnation identifies one lifetime of the node's data directory
 */
public record ActorId(String node, long incarnation) implements Comparable<ActorId> {

    /** Longest node name, in UTF-8 bytes; the codecs rely on this bound. */
    public static final int MAX_NODE_BYTES = 255;

    private static final Comparator<ActorId> ORDER =
            Comparator.comparing(ActorId::node).thenComparingLong(ActorId::incarnation);

    public ActorId {
        Objects.requireNonNull(node, "node");
        if (node.isEmpty()) {
            throw new IllegalArgumentException("actor node name must not be empty");
        }
        byte[] utf8 = node.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_NODE_BYTES) {
            throw new IllegalArgumentException("actor node name is " + utf8.length
                    + " UTF-8 bytes; at most " + MAX_NODE_BYTES + " allowed: " + node);
        }
        if (!new String(utf8, StandardCharsets.UTF_8).equals(node)) {
            throw new IllegalArgumentException("actor node name is not well-formed Unicode: " + node);
        }
    }

    @Override
    public int compareTo(ActorId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return node + "#" + Long.toHexString(incarnation);
    }
}

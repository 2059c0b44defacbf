package io.dynamo.client;

import io.dynamo.core.ring.KeyHasher;
import io.dynamo.core.ring.Token;
import io.dynamo.wire.proto.ClientResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's copy of the ring: each partition's owners in preference order and each member's
 * client address. Computes a key's partition exactly as a node does
 * ({@code io.dynamo.core.ring.Ring.partitionOf(namespace, key)} on a ring of equal partitions):
 * the top log2(Q) bits of the key's {@link KeyHasher} token. Immutable.
 */
final class RingView {

    /** One member as the ring describes it. */
    record Node(String id, String clientAddress, String status, boolean reachable) {
    }

    private final long epoch;
    private final int partitions;
    private final int bits;
    private final int n;
    private final List<List<String>> owners;
    private final Map<String, Node> nodes;
    private final String responder;

    private RingView(long epoch, int partitions, int n, List<List<String>> owners, Map<String, Node> nodes,
            String responder) {
        this.epoch = epoch;
        this.partitions = partitions;
        this.bits = Integer.numberOfTrailingZeros(partitions);
        this.n = n;
        this.owners = owners;
        this.nodes = nodes;
        this.responder = responder;
    }

    /**
     * The view of a GetRing answer.
     *
     * @throws IllegalArgumentException if it is inconsistent (a partition count that is not a
     *     power of two, owners missing)
     */
    static RingView of(ClientResponse.Ring ring) {
        int q = ring.getPartitions();
        if (q < 1 || Integer.bitCount(q) != 1) {
            throw new IllegalArgumentException("the ring has " + Integer.toUnsignedString(q)
                    + " partitions, not a power of two");
        }
        if (ring.getOwnersCount() != q) {
            throw new IllegalArgumentException("the ring lists owners of " + ring.getOwnersCount() + " partitions, not "
                    + q);
        }
        List<List<String>> owners = new ArrayList<>(q);
        for (int p = 0; p < q; p++) {
            ClientResponse.Ring.PartitionOwners o = ring.getOwners(p);
            if (o.getPartition() != p || o.getNodesCount() == 0) {
                throw new IllegalArgumentException("the ring's entry " + p + " is for partition "
                        + Integer.toUnsignedString(o.getPartition()) + " with " + o.getNodesCount() + " owners");
            }
            owners.add(List.copyOf(o.getNodesList()));
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (ClientResponse.Ring.Node node : ring.getNodesList()) {
            nodes.put(node.getId(), new Node(node.getId(), node.getClientAddress(), node.getStatus(),
                    node.getReachable()));
        }
        int n = Math.max(1, ring.getN());
        return new RingView(ring.getEpoch(), q, n, Collections.unmodifiableList(owners),
                Collections.unmodifiableMap(nodes), ring.getResponder());
    }

    long epoch() {
        return epoch;
    }

    int partitions() {
        return partitions;
    }

    int n() {
        return n;
    }

    String responder() {
        return responder;
    }

    Map<String, Node> nodes() {
        return nodes;
    }

    /**
     * The partition of a key.
     *
     * @throws IllegalArgumentException if the namespace is over 255 bytes of UTF-8
     */
    int partitionOf(String namespace, byte[] key) {
        return partitionOf(KeyHasher.hash(namespace, key), bits);
    }

    /** The partition holding {@code token} on a ring of 2^bits equal partitions. */
    static int partitionOf(Token token, int bits) {
        return bits == 0 ? 0 : (int) (token.hi() >>> (64 - bits));
    }

    /** The first N owners of {@code partition}, in preference order. */
    List<String> owners(int partition) {
        List<String> all = owners.get(partition);
        return all.size() <= n ? all : all.subList(0, n);
    }

    @Override
    public String toString() {
        return "Ring[epoch=" + epoch + ", partitions=" + partitions + ", n=" + n + ", nodes=" + nodes.keySet() + "]";
    }
}

package io.dynamo.core.membership;

import io.dynamo.core.ring.NodeId;
import java.util.Comparator;
import java.util.Objects;

/**
 * One member as the cluster state records it.
 *
 * @param id the node
 * @param zone its failure domain
 * @param address where other nodes and clients reach it ({@code host:port}), opaque here
 * @param status its place in the member life cycle
 * @param generation grows each time the node starts; heartbeats count within a generation
 * @param version grows with every change of this entry by anyone (an operator command, the
 *     claimant moving it along its life cycle)
 * @param heartbeat grows every gossip round of the node itself; the failure detectors watch it
 */
public record MemberEntry(NodeId id, String zone, String address, MemberStatus status, long generation, long version,
        long heartbeat) {

    /** Whose status, zone and address win: the higher version, then the later status. */
    static final Comparator<MemberEntry> PRECEDENCE = Comparator.comparingLong(MemberEntry::version)
            .thenComparing(MemberEntry::status);

    public MemberEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(status, "status");
        if (generation < 0 || version < 0 || heartbeat < 0) {
            throw new IllegalArgumentException("generation, version and heartbeat must not be negative");
        }
    }

    /**
     * The join of two entries for the same node, field by field: status, zone and address from the
     * one with the higher (version, status) (an operator's change outlives the node's restarts);
     * the higher generation; the heartbeat of the higher generation, or the higher of the two
     * within one generation (a heartbeat never goes back within one run of the node).
     * Commutative, associative, idempotent.
     */
    public MemberEntry merge(MemberEntry other) {
        if (!id.equals(other.id)) {
            throw new IllegalArgumentException("cannot merge entries of " + id + " and " + other.id);
        }
        int c = PRECEDENCE.compare(this, other);
        MemberEntry winner = c > 0 ? this : c < 0 ? other
                // Same version and status, different zone or address: pick deterministically.
                : (zone + '\u0000' + address).compareTo(other.zone + '\u0000' + other.address) >= 0 ? this : other;
        long gen = Math.max(generation, other.generation);
        long beat = generation == other.generation ? Math.max(heartbeat, other.heartbeat)
                : generation > other.generation ? heartbeat : other.heartbeat;
        if (winner.generation == gen && winner.heartbeat == beat) {
            return winner;
        }
        return new MemberEntry(id, winner.zone, winner.address, winner.status, gen, winner.version, beat);
    }

    public MemberEntry withStatus(MemberStatus next) {
        return new MemberEntry(id, zone, address, next, generation, version + 1, heartbeat);
    }

    public MemberEntry withHeartbeat(long beat) {
        return new MemberEntry(id, zone, address, status, generation, version, beat);
    }
}

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
 * @param generation grows each time the node starts: a restarted node's entry supersedes the
 *     one gossiped before its restart
 * @param version grows with every change of this entry by anyone (an operator command, the
 *     claimant moving it along its life cycle)
 * @param heartbeat grows every gossip round of the node itself; the failure detectors watch it
 */
public record MemberEntry(NodeId id, String zone, String address, MemberStatus status, long generation, long version,
        long heartbeat) {

    /** Which of two entries for one node wins: later generation, then version, then status. */
    static final Comparator<MemberEntry> PRECEDENCE = Comparator.comparingLong(MemberEntry::generation)
            .thenComparingLong(MemberEntry::version)
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
     * The join of two entries for the same node: the one that wins on (generation, version,
     * status), with the higher heartbeat of the two if they are of the same generation (a
     * heartbeat never goes back within one run of the node). Commutative, associative, idempotent.
     */
    public MemberEntry merge(MemberEntry other) {
        if (!id.equals(other.id)) {
            throw new IllegalArgumentException("cannot merge entries of " + id + " and " + other.id);
        }
        int c = PRECEDENCE.compare(this, other);
        MemberEntry winner = c >= 0 ? this : other;
        if (c == 0 && !this.equals(other)) {
            // Same precedence, different zone or address: pick deterministically.
            winner = (zone + '\u0000' + address).compareTo(other.zone + '\u0000' + other.address) >= 0 ? this : other;
        }
        long beat = generation == other.generation ? Math.max(heartbeat, other.heartbeat) : winner.heartbeat;
        return beat == winner.heartbeat ? winner
                : new MemberEntry(id, winner.zone, winner.address, winner.status, winner.generation, winner.version, beat);
    }

    public MemberEntry withStatus(MemberStatus next) {
        return new MemberEntry(id, zone, address, next, generation, version + 1, heartbeat);
    }

    public MemberEntry withHeartbeat(long beat) {
        return new MemberEntry(id, zone, address, status, generation, version, beat);
    }
}

package io.dynamo.core.ring;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a strategy-3 ring (equal partitions) for persistence and for the wire:
 *
 * <pre>
 * u8   format version (1)
 * i64  epoch
 * i32  partitions, i32 target N
 * i32  member count; per member: UTF id, UTF zone (sorted by id)
 * per partition: i32 ordinal of its claimant among the members
 * </pre>
 *
 * Rings of strategies 1 and 2 are experiment tools and are not encoded. {@link #decode} throws
 * {@link IllegalArgumentException} naming the problem for any input {@link #encode} could not
 * have produced.
 */
public final class RingCodec {

    public static final int FORMAT_VERSION = 1;

    private RingCodec() {
    }

    public static byte[] encode(Ring ring) {
        if (!(ring.strategy() instanceof EqualPartitionsClaim eq)) {
            throw new IllegalArgumentException("only equal-partition rings (strategy 3) are encoded, not "
                    + ring.strategy().describe());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeLong(ring.epoch());
            out.writeInt(eq.partitions());
            out.writeInt(eq.targetN());
            List<Member> members = ring.members();
            out.writeInt(members.size());
            List<NodeId> ids = new ArrayList<>();
            for (Member m : members) {
                out.writeUTF(m.id().value());
                out.writeUTF(m.zone());
                ids.add(m.id());
            }
            for (NodeId claimant : ring.claims()) {
                out.writeInt(ids.indexOf(claimant));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Ring decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown ring format version " + version);
            }
            long epoch = in.readLong();
            int partitions = in.readInt();
            int targetN = in.readInt();
            if (partitions < 1 || partitions > bytes.length / 4) {
                throw new IllegalArgumentException("partition count " + partitions + " does not fit in "
                        + bytes.length + " bytes");
            }
            ClaimStrategy strategy = ClaimStrategy.equalPartitions(partitions, targetN);
            int count = in.readInt();
            if (count < 1 || count > partitions) {
                throw new IllegalArgumentException("member count " + count + " out of range 1.." + partitions);
            }
            List<Member> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                members.add(Member.of(in.readUTF(), in.readUTF()));
            }
            List<NodeId> claims = new ArrayList<>(partitions);
            for (int p = 0; p < partitions; p++) {
                int o = in.readInt();
                if (o < 0 || o >= count) {
                    throw new IllegalArgumentException("partition " + p + " names member " + o + " of " + count);
                }
                claims.add(members.get(o).id());
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after the ring");
            }
            return Ring.restore(epoch, strategy, members, claims);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated ring: " + e, e);
        }
    }
}

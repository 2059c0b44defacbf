package io.dynamo.core.membership;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.RingCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a {@link ClusterState} for the metadata store (and later the wire):
 *
 * <pre>
 * u8   format version (1)
 * i32  member count; per member: UTF id, UTF zone, UTF address, u8 status, i64 generation,
 *      i64 version, i64 heartbeat
 * i32  ring length, then the {@link RingCodec} bytes
 * </pre>
 *
 * {@link #decode} throws {@link IllegalArgumentException} naming the problem for anything
 * {@link #encode} could not have produced.
 */
public final class ClusterStateCodec {

    public static final int FORMAT_VERSION = 1;

    private ClusterStateCodec() {
    }

    public static byte[] encode(ClusterState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeInt(state.members().size());
            for (MemberEntry e : state.members().values()) {
                out.writeUTF(e.id().value());
                out.writeUTF(e.zone());
                out.writeUTF(e.address());
                out.writeByte(e.status().ordinal());
                out.writeLong(e.generation());
                out.writeLong(e.version());
                out.writeLong(e.heartbeat());
            }
            byte[] ring = RingCodec.encode(state.ring());
            out.writeInt(ring.length);
            out.write(ring);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ClusterState decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown cluster state format version " + version);
            }
            int count = in.readInt();
            if (count < 1 || count > bytes.length) {
                throw new IllegalArgumentException("member count " + count + " out of range");
            }
            List<MemberEntry> entries = new ArrayList<>(count);
            MemberStatus[] statuses = MemberStatus.values();
            for (int i = 0; i < count; i++) {
                NodeId id = NodeId.of(in.readUTF());
                String zone = in.readUTF();
                String address = in.readUTF();
                int status = in.readUnsignedByte();
                if (status >= statuses.length) {
                    throw new IllegalArgumentException("member " + id + " has unknown status " + status);
                }
                entries.add(new MemberEntry(id, zone, address, statuses[status], in.readLong(), in.readLong(),
                        in.readLong()));
            }
            int ringLength = in.readInt();
            if (ringLength < 0 || ringLength > bytes.length) {
                throw new IllegalArgumentException("ring length " + ringLength + " out of range");
            }
            byte[] ring = in.readNBytes(ringLength);
            if (ring.length != ringLength || in.read() != -1) {
                throw new IllegalArgumentException("cluster state truncated or followed by trailing bytes");
            }
            return ClusterState.of(entries, RingCodec.decode(ring));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated cluster state: " + e, e);
        }
    }
}

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
 * Encodes a {@link ClusterState} for the metadata store and for gossip between nodes:
 *
 * <pre>
 * u8   format version (4)
 * i32  member count; per member: UTF id, UTF zone, UTF address, u8 status, i64 generation,
 *      i64 version, i64 heartbeat
 * i32  ring length, then the {@link RingCodec} bytes
 * u8   1 if a ring change is under way, else 0; if 1:
 *      i32 next ring length, then its {@link RingCodec} bytes;
 *      i32 received transfer count; per transfer: i32 partition, UTF node id
 * i32  replacement count; per replacement: UTF replaced id, UTF replacer id
 * UTF  cluster name (empty: a joining node that has not heard from its cluster)
 * i32  namespace setting count; per setting: UTF namespace, i64 version, UTF id of the node that
 *      set it, i32 property count, per property: UTF name, UTF value
 * </pre>
 *
 * Version 3 is the same without the namespace settings, version 2 also without the name, and
 * version 1 (written before ring changes moved data) also lacks the ring change and the
 * replacements. All are still read (versions 1 and 2 as unnamed states).
 *
 * {@link #decode} throws {@link IllegalArgumentException} naming the problem for anything
 * {@link #encode} could not have produced.
 */
public final class ClusterStateCodec {

    public static final int FORMAT_VERSION = 4;

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
            if (state.next().isPresent()) {
                out.writeByte(1);
                byte[] next = RingCodec.encode(state.next().get());
                out.writeInt(next.length);
                out.write(next);
                out.writeInt(state.received().size());
                for (Transfer t : state.received()) {
                    out.writeInt(t.partition());
                    out.writeUTF(t.node().value());
                }
            } else {
                out.writeByte(0);
            }
            out.writeInt(state.replacements().size());
            for (var pair : state.replacements().entrySet()) {
                out.writeUTF(pair.getKey().value());
                out.writeUTF(pair.getValue().value());
            }
            out.writeUTF(state.name());
            out.writeInt(state.namespaces().size());
            for (var ns : state.namespaces().entrySet()) {
                out.writeUTF(ns.getKey());
                out.writeLong(ns.getValue().version());
                out.writeUTF(ns.getValue().by().value());
                out.writeInt(ns.getValue().properties().size());
                for (var p : ns.getValue().properties().entrySet()) {
                    out.writeUTF(p.getKey());
                    out.writeUTF(p.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] ringBytes(DataInputStream in, int max) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("ring length " + length + " out of range");
        }
        byte[] ring = in.readNBytes(length);
        if (ring.length != length) {
            throw new IllegalArgumentException("cluster state truncated inside a ring");
        }
        return ring;
    }

    public static ClusterState decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version < 1 || version > FORMAT_VERSION) {
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
            var ring = RingCodec.decode(ringBytes(in, bytes.length));
            io.dynamo.core.ring.Ring next = null;
            List<Transfer> received = new ArrayList<>();
            if (version >= 2) {
                int hasNext = in.readUnsignedByte();
                if (hasNext > 1) {
                    throw new IllegalArgumentException("bad ring-change flag " + hasNext);
                }
                if (hasNext == 1) {
                    next = RingCodec.decode(ringBytes(in, bytes.length));
                    int marks = in.readInt();
                    if (marks < 0 || marks > bytes.length) {
                        throw new IllegalArgumentException("received transfer count " + marks + " out of range");
                    }
                    for (int i = 0; i < marks; i++) {
                        int partition = in.readInt();
                        if (partition < 0 || partition >= next.partitionCount()) {
                            throw new IllegalArgumentException("received transfer of partition " + partition
                                    + " out of range");
                        }
                        received.add(new Transfer(partition, NodeId.of(in.readUTF())));
                    }
                }
            }
            java.util.Map<NodeId, NodeId> replacements = new java.util.TreeMap<>();
            if (version >= 2) {
                int pairs = in.readInt();
                if (pairs < 0 || pairs > bytes.length) {
                    throw new IllegalArgumentException("replacement count " + pairs + " out of range");
                }
                for (int i = 0; i < pairs; i++) {
                    replacements.put(NodeId.of(in.readUTF()), NodeId.of(in.readUTF()));
                }
            }
            String name = version >= 3 ? in.readUTF() : "";
            java.util.SortedMap<String, NamespaceSetting> namespaces = new java.util.TreeMap<>();
            if (version >= 4) {
                int settings = in.readInt();
                if (settings < 0 || settings > bytes.length) {
                    throw new IllegalArgumentException("namespace setting count " + settings + " out of range");
                }
                for (int i = 0; i < settings; i++) {
                    String namespace = NamespaceSetting.checkName(in.readUTF());
                    long settingVersion = in.readLong();
                    NodeId by = NodeId.of(in.readUTF());
                    int properties = in.readInt();
                    if (properties < 0 || properties > NamespaceSetting.MAX_PROPERTIES) {
                        throw new IllegalArgumentException("namespace " + namespace + " has " + properties
                                + " properties; at most " + NamespaceSetting.MAX_PROPERTIES);
                    }
                    java.util.SortedMap<String, String> values = new java.util.TreeMap<>();
                    for (int k = 0; k < properties; k++) {
                        values.put(in.readUTF(), in.readUTF());
                    }
                    if (namespaces.put(namespace, new NamespaceSetting(values, settingVersion, by)) != null) {
                        throw new IllegalArgumentException("namespace " + namespace + " is set twice");
                    }
                }
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("cluster state followed by trailing bytes");
            }
            ClusterState state = ClusterState.of(entries, ring, next, received, replacements).withName(name);
            return namespaces.isEmpty() ? state : state.withNamespaceSettings(namespaces);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated cluster state: " + e, e);
        }
    }
}

package io.dynamo.net.wire;

import static io.dynamo.core.testing.Theories.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.ContentFormat;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredEntry;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.testing.Gens;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.CoordinatePut;
import io.dynamo.server.transport.Message.CoordinatePutReply;
import io.dynamo.server.transport.Message.GossipPull;
import io.dynamo.server.transport.Message.GossipPush;
import io.dynamo.server.transport.Message.HintDelivery;
import io.dynamo.server.transport.Message.HintDeliveryReply;
import io.dynamo.server.transport.Message.Ping;
import io.dynamo.server.transport.Message.Pong;
import io.dynamo.server.transport.Message.Purge;
import io.dynamo.server.transport.Message.PurgeCheck;
import io.dynamo.server.transport.Message.PurgeCheckReply;
import io.dynamo.server.transport.Message.PurgeReply;
import io.dynamo.server.transport.Message.PutError;
import io.dynamo.server.transport.Message.ReplicaRead;
import io.dynamo.server.transport.Message.ReplicaReadReply;
import io.dynamo.server.transport.Message.ReplicaWrite;
import io.dynamo.server.transport.Message.ReplicaWriteReply;
import io.dynamo.server.transport.Message.SegmentReply;
import io.dynamo.server.transport.Message.SegmentRequest;
import io.dynamo.server.transport.Message.TransferChunkReply;
import io.dynamo.server.transport.Message.TransferChunkRequest;
import io.dynamo.server.transport.Message.TreeLevelReply;
import io.dynamo.server.transport.Message.TreeLevelRequest;
import io.dynamo.wire.proto.PeerMessage;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class PeerCodecTest {

    static final ActorId A = new ActorId("n1", 0x1234_5678_9abc_def0L);
    static final ActorId B = new ActorId("node-ü", -1);
    static final NodeId N1 = NodeId.of("n1");
    static final NodeId N2 = NodeId.of("n2");
    static final NodeId N3 = NodeId.of("db-eu-3:7000");
    static final StoredKey KEY = StoredKey.of("users", "alice".getBytes(StandardCharsets.UTF_8));
    static final StoredKey EMPTY_KEY = StoredKey.of("", new byte[0]);
    static final StoredKey BIG_KEY = StoredKey.of("ns-ünïcode", filled(100_000, 7));

    static byte[] filled(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    static Siblings<Content> empty() {
        return Siblings.empty();
    }

    static Siblings<Content> one() {
        return Siblings.<Content>empty().update(VersionVector.empty(),
                Content.of("v1".getBytes(StandardCharsets.UTF_8), "text/plain", 1_700_000_000_000L), A);
    }

    /** Three concurrent siblings from two actors, one of them empty-valued with a non-ASCII type. */
    static Siblings<Content> multi() {
        return one().update(VersionVector.empty(), Content.of(new byte[0], "application/ünïcode", -5), B)
                .update(VersionVector.empty(), Content.of(filled(1000, 3), "", Long.MAX_VALUE), A);
    }

    static Siblings<Content> tombstone() {
        Siblings<Content> s = one();
        return s.update(s.context(), Content.tombstone(Long.MIN_VALUE), B);
    }

    static Siblings<Content> big() {
        return Siblings.<Content>empty().update(VersionVector.empty(),
                Content.of(filled(1 << 20, 5), "application/octet-stream", 3), A);
    }

    static ClusterState cluster() {
        return ClusterState.bootstrap(List.of(Member.of("n1", "z1"), Member.of("n2", "z2"), Member.of("n3", "z3")),
                ClaimStrategy.equalPartitions(64, 3), RandomSource.seeded(1));
    }

    static ClusterState namedCluster() {
        return ClusterState.bootstrap("billing", List.of(Member.of("x1", "z1")), ClaimStrategy.equalPartitions(8, 1),
                RandomSource.seeded(2));
    }

    /** Representative and edge values of every message type. */
    static Stream<Message> samples() {
        Map<NodeId, NodeId> fallbacks = new LinkedHashMap<>();
        fallbacks.put(N3, N1);
        fallbacks.put(N2, N3);
        return Stream.of(
                new ReplicaWrite(1, 0, KEY, one(), Durability.DURABLE, null),
                new ReplicaWrite(Long.MAX_VALUE, Integer.MAX_VALUE, BIG_KEY, multi(), Durability.BUFFERED, N3),
                new ReplicaWrite(-1, 7, EMPTY_KEY, tombstone(), Durability.DURABLE, N2),
                new ReplicaWrite(Long.MIN_VALUE, 3, KEY, big(), Durability.BUFFERED, null),
                ReplicaWriteReply.stored(2, true),
                ReplicaWriteReply.stored(2, false),
                ReplicaWriteReply.failed(3, "disk full"),
                ReplicaWriteReply.failed(3, ""),
                new ReplicaRead(4, 12, KEY, null),
                new ReplicaRead(4, 0, BIG_KEY, N1),
                ReplicaReadReply.of(5, empty()),
                ReplicaReadReply.of(5, multi()),
                ReplicaReadReply.of(5, tombstone()),
                ReplicaReadReply.failed(5, "storage: corrupt record"),
                new ReplicaReadReply(5, one(), "both set"),
                new HintDelivery(6, 9, KEY, multi()),
                new HintDelivery(6, 0, EMPTY_KEY, empty()),
                new HintDeliveryReply(7, true, false),
                new HintDeliveryReply(7, false, true),
                new HintDeliveryReply(7, false, false, 1500),
                new HintDeliveryReply(7, false, false, -1),
                new CoordinatePut(8, "users", "alice".getBytes(StandardCharsets.UTF_8), VersionVector.empty(),
                        Content.of(filled(10, 1), "text/plain", 99), 0, -1, 5000),
                new CoordinatePut(8, "", new byte[0], multi().context(), Content.tombstone(123), 2, 1, 0),
                new CoordinatePut(8, "ns-ü", BIG_KEY.bytes(), one().context(), Content.of(new byte[0], "", 0),
                        Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE),
                new Message.CoordinatePutAccepted(9),
                new Message.CoordinatePutAccepted(Long.MIN_VALUE),
                new CoordinatePutReply(9, multi().values(), multi().context(), List.of(N1, N2, N3), fallbacks, 2, null),
                new CoordinatePutReply(9, List.of(), VersionVector.empty(), List.of(), Map.of(), 0, null),
                new CoordinatePutReply(9, tombstone().values(), tombstone().context(), List.of(N2), Map.of(N1, N2), 1,
                        null),
                CoordinatePutReply.failed(9, new PutError("insufficient", "only 1 of 2 replicas", 2, 1, 1, 0,
                        Map.of(N2, "timeout", N3, "overloaded: busy"))),
                CoordinatePutReply.failed(9, new PutError("unavailable", "", 0, 0, 0, 0, Map.of())),
                CoordinatePutReply.failed(9, new PutError("overloaded", "-", -3, Integer.MIN_VALUE, Integer.MAX_VALUE,
                        -1, null)),
                new PurgeCheck(10, 5, KEY, List.of(N1, N2, N3)),
                new PurgeCheck(10, 0, EMPTY_KEY, List.of()),
                new PurgeCheckReply(11, tombstone(), true, null),
                new PurgeCheckReply(11, empty(), false, null),
                new PurgeCheckReply(11, null, false, "storage failed"),
                new Purge(12, 5, KEY, tombstone()),
                new Purge(12, 0, BIG_KEY, multi()),
                new PurgeReply(13, true),
                new PurgeReply(13, false),
                new TreeLevelRequest(14, 3, 0, new int[] {0}),
                new TreeLevelRequest(14, 3, 4, new int[] {0, 1, 2, 1023, Integer.MAX_VALUE}),
                new TreeLevelRequest(14, 0, 0, new int[0]),
                new TreeLevelReply(15, new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 42}, null),
                new TreeLevelReply(15, new long[0], null),
                new TreeLevelReply(15, null, "busy: background work is paused"),
                new SegmentRequest(16, 2, new int[] {3, 4, 9}, 1000),
                new SegmentRequest(16, 0, new int[0], 0),
                new SegmentReply(17, List.of(new StoredEntry(KEY, multi()), new StoredEntry(BIG_KEY, tombstone()),
                        new StoredEntry(EMPTY_KEY, empty())), 3, null),
                new SegmentReply(17, List.of(), 0, null),
                new SegmentReply(17, List.of(), 0, "busy"),
                new TransferChunkRequest(18, 6, null, 500),
                new TransferChunkRequest(18, 6, KEY, 0),
                new TransferChunkRequest(18, Integer.MAX_VALUE, EMPTY_KEY, Integer.MAX_VALUE),
                new TransferChunkReply(19, List.of(new StoredEntry(KEY, one()), new StoredEntry(EMPTY_KEY, multi())),
                        true, null),
                new TransferChunkReply(19, List.of(), false, null),
                new TransferChunkReply(19, List.of(), false, "busy: background work is paused"),
                new GossipPush(20, cluster()),
                new GossipPush(20, namedCluster()),
                new GossipPull(21, cluster()),
                new GossipPull(21, namedCluster()),
                new Ping(22),
                new Ping(Long.MIN_VALUE),
                new Pong(23),
                new Pong(0),
                new Message.StatusRequest(24, 0),
                new Message.StatusRequest(24, 1_763_900_000_000L),
                new Message.StatusReply(25, "{\"node\":\"n1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new Message.StatusReply(25, new byte[0]));
    }

    // ---- round trips

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughBytes(Message message) {
        byte[] bytes = PeerCodec.encode(message);
        assertSameMessage(message, PeerCodec.decode(bytes));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughAByteBufferWithoutMovingIt(Message message) {
        byte[] bytes = PeerCodec.encode(message);
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 5);
        buffer.position(3);
        buffer.put(bytes);
        buffer.position(3).limit(3 + bytes.length);
        assertSameMessage(message, PeerCodec.decode(buffer));
        assertThat(buffer.position()).isEqualTo(3);
        assertThat(buffer.limit()).isEqualTo(3 + bytes.length);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughTheProto(Message message) {
        PeerMessage proto = PeerCodec.toProto(message);
        assertThat(proto.getBodyCase()).isNotEqualTo(PeerMessage.BodyCase.BODY_NOT_SET);
        assertSameMessage(message, PeerCodec.fromProto(proto));
    }

    @Test
    void everyMessageTypeHasARoundTripCase() {
        Set<Class<?>> covered = samples().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).containsAll(List.of(Message.class.getPermittedSubclasses()));
    }

    @Test
    void nullListsAndMapsTravelAsEmpty() {
        assertSameMessage(new CoordinatePutReply(1, List.of(), null, List.of(), Map.of(), 0, null),
                PeerCodec.decode(PeerCodec.encode(new CoordinatePutReply(1, null, null, null, null, 0, null))));
        assertSameMessage(new SegmentReply(2, List.of(), 0, "x"),
                PeerCodec.decode(PeerCodec.encode(new SegmentReply(2, null, 0, "x"))));
        assertSameMessage(new TransferChunkReply(3, List.of(), false, "x"),
                PeerCodec.decode(PeerCodec.encode(new TransferChunkReply(3, null, false, "x"))));
    }

    @Test
    void bytesFieldsUseTheProjectCodecs() {
        Siblings<Content> state = multi();
        var proto = PeerCodec.toProto(new ReplicaWrite(1, 2, KEY, state, Durability.DURABLE, null)).getReplicaWrite();
        assertThat(proto.getState().toByteArray()).isEqualTo(ContentFormat.siblingsCodec().encode(state));
        assertThat(proto.getKey().getNamespace()).isEqualTo("users");
        assertThat(proto.getKey().getKey().toByteArray()).isEqualTo(KEY.bytes());
        Content value = Content.of(new byte[] {1, 2}, "text/plain", 4);
        var put = PeerCodec.toProto(new CoordinatePut(1, "ns", new byte[] {9}, state.context(), value, 0, -1, 10))
                .getCoordinatePut();
        assertThat(put.getContext().toByteArray()).isEqualTo(ContextCodec.encode(state.context()));
        assertThat(put.getValue().toByteArray()).isEqualTo(ContentFormat.INSTANCE.encode(value));
    }

    // ---- rejection

    @Test
    void anEmptyPeerMessageIsRejected() {
        assertThatThrownBy(() -> PeerCodec.decode(new byte[0])).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("no body");
        assertThatThrownBy(() -> PeerCodec.decode(ByteBuffer.allocate(0))).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("no body");
        assertThatThrownBy(() -> PeerCodec.fromProto(PeerMessage.getDefaultInstance()))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("no body");
    }

    @Test
    void anUnknownBodyIsRejected() {
        PeerMessage unknown = PeerMessage.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
                .build()).build();
        assertThatThrownBy(() -> PeerCodec.fromProto(unknown)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("unknown field numbers [99]");
        assertThatThrownBy(() -> PeerCodec.decode(unknown.toByteArray())).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("unknown field numbers [99]");
        // A known field number with the wrong wire type is not that body either.
        byte[] varintPing = {(byte) 0xA8, 0x01, 0x01}; // field 21, wire type 0 (varint), value 1
        assertThatThrownBy(() -> PeerCodec.decode(varintPing)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("no body this version knows");
    }

    @Test
    void bytesThatDoNotParseAreRejected() {
        assertThatThrownBy(() -> PeerCodec.decode(new byte[] {(byte) 0x0A, 5, 1})).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("does not parse");
        assertThatThrownBy(() -> PeerCodec.decode((byte[]) null)).isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> PeerCodec.fromProto(null)).isInstanceOf(WireFormatException.class);
    }

    @Test
    void missingRequiredFieldsAreRejected() {
        PeerMessage valid = PeerCodec.toProto(new ReplicaWrite(1, 2, KEY, one(), Durability.DURABLE, N1));
        var write = valid.getReplicaWrite();
        assertRejected(PeerMessage.newBuilder().setReplicaWrite(write.toBuilder().clearKey()).build(), "key is missing");
        assertRejected(PeerMessage.newBuilder().setReplicaWrite(write.toBuilder().clearState()).build(),
                "state is missing");
        assertRejected(PeerMessage.newBuilder().setReplicaWrite(write.toBuilder().clearDurability()).build(),
                "durability is not set");
        assertRejected(PeerMessage.newBuilder().setReplicaWrite(write.toBuilder().setDurabilityValue(7)).build(),
                "unknown durability 7");
        assertRejected(PeerMessage.newBuilder().setGossipPush(io.dynamo.wire.proto.GossipPush.newBuilder().setRequestId(1))
                .build(), "state is missing");
        assertRejected(PeerMessage.newBuilder().setCoordinatePut(io.dynamo.wire.proto.CoordinatePut.newBuilder()
                .setValue(ByteString.copyFrom(ContentFormat.INSTANCE.encode(Content.tombstone(1))))).build(),
                "context is missing");
        var reply = PeerCodec.toProto(new CoordinatePutReply(1, one().values(), one().context(), List.of(), Map.of(),
                0, null)).getCoordinatePutReply();
        assertRejected(PeerMessage.newBuilder().setCoordinatePutReply(reply.toBuilder()
                .setValues(0, reply.getValues(0).toBuilder().clearDot())).build(), "values[0].dot is missing");
        var segments = PeerCodec.toProto(new SegmentReply(1, List.of(new StoredEntry(KEY, one())), 1, null))
                .getSegmentReply();
        assertRejected(PeerMessage.newBuilder().setSegmentReply(segments.toBuilder()
                .setEntries(0, segments.getEntries(0).toBuilder().clearKey())).build(), "entries[0].key is missing");
    }

    @Test
    void outOfRangeNumbersAreRejected() {
        PeerMessage read = PeerCodec.toProto(new ReplicaRead(1, 2, KEY, null));
        assertRejected(read.toBuilder().setReplicaRead(read.getReplicaRead().toBuilder().setPartition(-1)).build(),
                "partition 4294967295 is out of range");
        PeerMessage tree = PeerCodec.toProto(new TreeLevelRequest(1, 2, 3, new int[] {1, 2}));
        assertRejected(tree.toBuilder().setTreeLevelRequest(tree.getTreeLevelRequest().toBuilder().setNodes(1, -5))
                .build(), "nodes[1]");
        assertRejected(tree.toBuilder().setTreeLevelRequest(tree.getTreeLevelRequest().toBuilder().setLevel(-1))
                .build(), "level");
        PeerMessage chunk = PeerCodec.toProto(new TransferChunkRequest(1, 2, null, 10));
        assertRejected(chunk.toBuilder().setTransferChunkRequest(chunk.getTransferChunkRequest().toBuilder()
                .setLimit(Integer.MIN_VALUE)).build(), "limit");
        PeerMessage reply = PeerCodec.toProto(new CoordinatePutReply(1, one().values(), one().context(), List.of(),
                Map.of(), 0, null));
        var bad = reply.getCoordinatePutReply().getValues(0).toBuilder();
        bad.setDot(bad.getDot().toBuilder().setCounter(0));
        assertRejected(reply.toBuilder().setCoordinatePutReply(reply.getCoordinatePutReply().toBuilder()
                .setValues(0, bad)).build(), "dot counter must be at least 1");
    }

    @Test
    void bytesTheirCodecRejectsAreRejected() {
        PeerMessage write = PeerCodec.toProto(new ReplicaWrite(1, 2, KEY, one(), Durability.DURABLE, null));
        assertRejected(write.toBuilder().setReplicaWrite(write.getReplicaWrite().toBuilder()
                .setState(ByteString.copyFrom(new byte[] {9, 0, 0}))).build(), "sibling set format version 9");
        byte[] state = ContentFormat.siblingsCodec().encode(one());
        assertRejected(write.toBuilder().setReplicaWrite(write.getReplicaWrite().toBuilder()
                .setState(ByteString.copyFrom(Arrays.copyOf(state, state.length - 1)))).build(), "state");
        assertRejected(write.toBuilder().setReplicaWrite(write.getReplicaWrite().toBuilder()
                .setHintFor("not a node id")).build(), "hint_for");
        PeerMessage push = PeerCodec.toProto(new GossipPush(1, cluster()));
        assertRejected(push.toBuilder().setGossipPush(push.getGossipPush().toBuilder()
                .setState(ByteString.copyFrom(new byte[] {3, 0}))).build(), "state");
        PeerMessage put = PeerCodec.toProto(new CoordinatePut(1, "ns", new byte[] {1}, VersionVector.empty(),
                Content.tombstone(1), 0, -1, 10));
        assertRejected(put.toBuilder().setCoordinatePut(put.getCoordinatePut().toBuilder()
                .setContext(ByteString.copyFrom(new byte[] {1, 0, 0, 7}))).build(), "context");
        assertRejected(put.toBuilder().setCoordinatePut(put.getCoordinatePut().toBuilder()
                .setValue(ByteString.copyFrom(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))).build(),
                "unknown content flags 2");
        PeerMessage check = PeerCodec.toProto(new PurgeCheck(1, 2, KEY, List.of(N1)));
        assertRejected(check.toBuilder().setPurgeCheck(check.getPurgeCheck().toBuilder().setOwners(0, "")).build(),
                "owners[0]");
        PeerMessage reply = PeerCodec.toProto(new CoordinatePutReply(1, List.of(), null, List.of(N1), Map.of(N1, N2), 0,
                null));
        assertRejected(reply.toBuilder().setCoordinatePutReply(reply.getCoordinatePutReply().toBuilder()
                .putFallbacks("n1", "bad id!")).build(), "fallbacks value");
    }

    static void assertRejected(PeerMessage proto, String detail) {
        for (ThrowingDecode decode : List.<ThrowingDecode>of(() -> PeerCodec.fromProto(proto),
                () -> PeerCodec.decode(proto.toByteArray()))) {
            try {
                fail("expected a WireFormatException about '" + detail + "', decoded " + decode.run());
            } catch (WireFormatException e) {
                assertThat(e).hasMessageContaining(detail).hasMessageStartingWith("malformed ");
            }
        }
    }

    interface ThrowingDecode {
        Message run();
    }

    // ---- robustness

    @Test
    void randomBytesDecodeOrAreRejected() {
        qt(2000).forAll(Gens.byteArrays(0, 300)).checkAssert(PeerCodecTest::decodesOrRejects);
    }

    /** Random bytes inside a known (or unknown) body field, so that each body's decoder sees garbage. */
    @Test
    void randomBodiesDecodeOrAreRejected() {
        qt(2000).forAll(Generate.range(1, 30), Gens.byteArrays(0, 200)).checkAssert((field, body) -> {
            byte[] framed = new byte[body.length + 4];
            framed[0] = (byte) ((field << 3) | 2);
            int at = 1;
            if (field >= 16) {
                framed[0] |= (byte) 0x80;
                framed[1] = (byte) (field >>> 4);
                at = 2;
            }
            int length = body.length;
            if (length >= 0x80) {
                framed[at++] = (byte) (length | 0x80);
                framed[at++] = (byte) (length >>> 7);
            } else {
                framed[at++] = (byte) length;
            }
            System.arraycopy(body, 0, framed, at, length);
            decodesOrRejects(Arrays.copyOf(framed, at + length));
        });
    }

    @Test
    void damagedEncodingsDecodeOrAreRejected() {
        qt(3000).forAll(damagedEncodings()).checkAssert(PeerCodecTest::decodesOrRejects);
    }

    static Gen<byte[]> damagedEncodings() {
        List<byte[]> valid = samples().map(PeerCodec::encode).filter(b -> b.length <= 64 * 1024).toList();
        Gen<byte[]> damaged = Generate.pick(valid).flatMap(bytes -> Generate.oneOf(
                truncated(bytes), bitsFlipped(bytes), byteReplaced(bytes)));
        return damaged.describedAs(bytes -> bytes.length + " bytes, starting "
                + Arrays.toString(Arrays.copyOf(bytes, Math.min(bytes.length, 64))));
    }

    static Gen<byte[]> truncated(byte[] bytes) {
        return Generate.range(0, bytes.length - 1).map(n -> Arrays.copyOf(bytes, n));
    }

    static Gen<byte[]> bitsFlipped(byte[] bytes) {
        return lists().of(Generate.range(0, bytes.length * 8 - 1)).ofSizeBetween(1, 4).map(bits -> {
            byte[] copy = bytes.clone();
            for (int bit : bits) {
                copy[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            return copy;
        });
    }

    static Gen<byte[]> byteReplaced(byte[] bytes) {
        return Generate.range(0, bytes.length - 1).zip(Gens.bytes(), (at, value) -> {
            byte[] copy = bytes.clone();
            copy[at] = value;
            return copy;
        });
    }

    /**
     * Decoding either fails with {@link WireFormatException} or yields a complete message, which
     * then encodes again and decodes to the same message.
     */
    static void decodesOrRejects(byte[] bytes) {
        Message decoded;
        try {
            decoded = PeerCodec.decode(bytes);
        } catch (WireFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(decoded).isNotNull();
        assertSameMessage(decoded, PeerCodec.decode(PeerCodec.encode(decoded)));
    }

    // ---- comparison

    /** Field by field, arrays by content (records compare arrays by identity). */
    static void assertSameMessage(Message expected, Message actual) {
        assertThat(actual).isNotNull();
        assertThat(actual.getClass()).isEqualTo(expected.getClass());
        List<String> differences = new ArrayList<>();
        for (RecordComponent c : expected.getClass().getRecordComponents()) {
            Object e = component(c, expected);
            Object a = component(c, actual);
            if (!Objects.deepEquals(e, a)) {
                differences.add(c.getName() + ": expected " + Arrays.deepToString(new Object[] {e}) + " but was "
                        + Arrays.deepToString(new Object[] {a}));
            }
        }
        assertThat(differences).as("fields of %s that differ", expected.getClass().getSimpleName()).isEmpty();
    }

    static Object component(RecordComponent c, Message m) {
        try {
            return c.getAccessor().invoke(m);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}

package io.dynamo.net.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.ClusterStateCodec;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.ContentFormat;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.StoredEntry;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.SiblingsCodec;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.server.transport.Message;
import io.dynamo.wire.proto.CoordinatePut;
import io.dynamo.wire.proto.CoordinatePutReply;
import io.dynamo.wire.proto.Entry;
import io.dynamo.wire.proto.GossipPull;
import io.dynamo.wire.proto.GossipPush;
import io.dynamo.wire.proto.Hashes;
import io.dynamo.wire.proto.HintDelivery;
import io.dynamo.wire.proto.HintDeliveryReply;
import io.dynamo.wire.proto.Key;
import io.dynamo.wire.proto.PeerMessage;
import io.dynamo.wire.proto.Ping;
import io.dynamo.wire.proto.Pong;
import io.dynamo.wire.proto.Purge;
import io.dynamo.wire.proto.PurgeCheck;
import io.dynamo.wire.proto.PurgeCheckReply;
import io.dynamo.wire.proto.PurgeReply;
import io.dynamo.wire.proto.PutError;
import io.dynamo.wire.proto.ReplicaRead;
import io.dynamo.wire.proto.ReplicaReadReply;
import io.dynamo.wire.proto.ReplicaWrite;
import io.dynamo.wire.proto.ReplicaWriteReply;
import io.dynamo.wire.proto.SegmentReply;
import io.dynamo.wire.proto.SegmentRequest;
import io.dynamo.wire.proto.StatusReply;
import io.dynamo.wire.proto.StatusRequest;
import io.dynamo.wire.proto.TransferChunkReply;
import io.dynamo.wire.proto.TransferChunkRequest;
import io.dynamo.wire.proto.TreeLevelReply;
import io.dynamo.wire.proto.TreeLevelRequest;
import io.dynamo.wire.proto.VersionedContent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Converts every peer {@link Message} to and from its protobuf form, the {@link PeerMessage} of
 * {@code dynamo-wire/src/main/proto/peer.proto}, which documents the wire contract field by
 * field. Sibling sets and values travel as bytes in {@link SiblingsCodec} and
 * {@link ContentFormat} (the same as on disk), contexts in {@link ContextCodec}, cluster state in
 * {@link ClusterStateCodec}.
 *
 * <p>Encoding is total for every message the records can hold, except that a {@code null} list
 * or map is sent as empty (null elements are programming errors and throw
 * {@link NullPointerException}). Decoding is strict: anything a correct encoder could not have
 * produced, or that a record or codec rejects, throws {@link WireFormatException} and nothing
 * else, and never yields a partially built message. A decoded message shares no mutable state
 * with its input.
 *
 * <p>Stateless and thread-safe.
 */
public final class PeerCodec {

    private static final SiblingsCodec<Content> SIBLINGS = ContentFormat.siblingsCodec();

    private PeerCodec() {
    }

    // ---- bytes

    /** The wire bytes of {@code message}: its {@link #toProto(Message) PeerMessage}, serialized. */
    public static byte[] encode(Message message) {
        return toProto(message).toByteArray();
    }

    /**
     * The message in {@code bytes}, a serialized {@link PeerMessage}.
     *
     * @throws WireFormatException if the bytes do not parse or do not hold a valid message
     */
    public static Message decode(byte[] bytes) {
        if (bytes == null) {
            throw new WireFormatException("no peer message bytes");
        }
        PeerMessage parsed;
        try {
            parsed = PeerMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new WireFormatException("peer message does not parse: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new WireFormatException("peer message does not parse: " + e, e);
        }
        return fromProto(parsed);
    }

    /**
     * The message in the remaining bytes of {@code buffer}, a serialized {@link PeerMessage}; the
     * buffer's position and limit are left unchanged.
     *
     * @throws WireFormatException if the bytes do not parse or do not hold a valid message
     */
    public static Message decode(ByteBuffer buffer) {
        if (buffer == null) {
            throw new WireFormatException("no peer message bytes");
        }
        PeerMessage parsed;
        try {
            parsed = PeerMessage.parseFrom(buffer.duplicate());
        } catch (InvalidProtocolBufferException e) {
            throw new WireFormatException("peer message does not parse: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new WireFormatException("peer message does not parse: " + e, e);
        }
        return fromProto(parsed);
    }

    // ---- encoding

    /** The protobuf form of {@code message}. */
    public static PeerMessage toProto(Message message) {
        Objects.requireNonNull(message, "message");
        PeerMessage.Builder out = PeerMessage.newBuilder();
        // Exhaustive over the sealed interface: a new Message record does not compile until it is here.
        switch (message) {
            case Message.ReplicaWrite m -> {
                ReplicaWrite.Builder b = ReplicaWrite.newBuilder().setRequestId(m.requestId())
                        .setPartition(m.partition()).setKey(key(m.key())).setState(siblings(m.state()))
                        .setDurability(durability(m.durability()));
                if (m.hintFor() != null) {
                    b.setHintFor(m.hintFor().value());
                }
                out.setReplicaWrite(b);
            }
            case Message.ReplicaWriteReply m -> {
                ReplicaWriteReply.Builder b = ReplicaWriteReply.newBuilder().setRequestId(m.requestId())
                        .setOk(m.ok()).setDurable(m.durable());
                if (m.error() != null) {
                    b.setError(m.error());
                }
                out.setReplicaWriteReply(b);
            }
            case Message.ReplicaRead m -> {
                ReplicaRead.Builder b = ReplicaRead.newBuilder().setRequestId(m.requestId())
                        .setPartition(m.partition()).setKey(key(m.key()));
                if (m.hintFor() != null) {
                    b.setHintFor(m.hintFor().value());
                }
                out.setReplicaRead(b);
            }
            case Message.ReplicaReadReply m -> {
                ReplicaReadReply.Builder b = ReplicaReadReply.newBuilder().setRequestId(m.requestId());
                if (m.state() != null) {
                    b.setState(siblings(m.state()));
                }
                if (m.error() != null) {
                    b.setError(m.error());
                }
                out.setReplicaReadReply(b);
            }
            case Message.HintDelivery m -> out.setHintDelivery(HintDelivery.newBuilder().setRequestId(m.requestId())
                    .setPartition(m.partition()).setKey(key(m.key())).setState(siblings(m.state())));
            case Message.HintDeliveryReply m -> out.setHintDeliveryReply(HintDeliveryReply.newBuilder()
                    .setRequestId(m.requestId()).setOk(m.ok()).setRejected(m.rejected())
                    .setRetryAfterMillis(m.retryAfterMillis()));
            case Message.CoordinatePut m -> out.setCoordinatePut(CoordinatePut.newBuilder()
                    .setRequestId(m.requestId()).setNamespace(m.namespace()).setKey(ByteString.copyFrom(m.key()))
                    .setContext(context(m.context())).setValue(content(m.value())).setW(m.w()).setDw(m.dw())
                    .setTimeoutMillis(m.timeoutMillis()));
            case Message.CoordinatePutAccepted m -> out.setCoordinatePutAccepted(
                    io.dynamo.wire.proto.CoordinatePutAccepted.newBuilder().setRequestId(m.requestId()));
            case Message.CoordinatePutReply m -> {
                CoordinatePutReply.Builder b = CoordinatePutReply.newBuilder().setRequestId(m.requestId())
                        .setDurable(m.durable());
                for (Versioned<Content> v : orEmpty(m.values())) {
                    b.addValues(versioned(v));
                }
                if (m.context() != null) {
                    b.setContext(context(m.context()));
                }
                for (NodeId n : orEmpty(m.acknowledged())) {
                    b.addAcknowledged(n.value());
                }
                if (m.fallbacks() != null) {
                    m.fallbacks().forEach((fallback, owner) -> b.putFallbacks(fallback.value(), owner.value()));
                }
                if (m.error() != null) {
                    b.setError(putError(m.error()));
                }
                out.setCoordinatePutReply(b);
            }
            case Message.PurgeCheck m -> {
                PurgeCheck.Builder b = PurgeCheck.newBuilder().setRequestId(m.requestId()).setPartition(m.partition())
                        .setKey(key(m.key()));
                for (NodeId n : m.owners()) {
                    b.addOwners(n.value());
                }
                out.setPurgeCheck(b);
            }
            case Message.PurgeCheckReply m -> {
                PurgeCheckReply.Builder b = PurgeCheckReply.newBuilder().setRequestId(m.requestId())
                        .setHoldsHint(m.holdsHint());
                if (m.state() != null) {
                    b.setState(siblings(m.state()));
                }
                if (m.error() != null) {
                    b.setError(m.error());
                }
                out.setPurgeCheckReply(b);
            }
            case Message.Purge m -> out.setPurge(Purge.newBuilder().setRequestId(m.requestId())
                    .setPartition(m.partition()).setKey(key(m.key())).setExpected(siblings(m.expected())));
            case Message.PurgeReply m -> out.setPurgeReply(PurgeReply.newBuilder().setRequestId(m.requestId())
                    .setRemoved(m.removed()));
            case Message.TreeLevelRequest m -> {
                TreeLevelRequest.Builder b = TreeLevelRequest.newBuilder().setRequestId(m.requestId())
                        .setPartition(m.partition()).setLevel(m.level());
                for (int node : m.nodes()) {
                    b.addNodes(node);
                }
                out.setTreeLevelRequest(b);
            }
            case Message.TreeLevelReply m -> {
                TreeLevelReply.Builder b = TreeLevelReply.newBuilder().setRequestId(m.requestId());
                if (m.hashes() != null) {
                    Hashes.Builder h = Hashes.newBuilder();
                    for (long hash : m.hashes()) {
                        h.addValues(hash);
                    }
                    b.setHashes(h);
                }
                if (m.error() != null) {
                    b.setError(m.error());
                }
                out.setTreeLevelReply(b);
            }
            case Message.SegmentRequest m -> {
                SegmentRequest.Builder b = SegmentRequest.newBuilder().setRequestId(m.requestId())
                        .setPartition(m.partition()).setMaxEntries(m.maxEntries());
                for (int segment : m.segments()) {
                    b.addSegments(segment);
                }
                out.setSegmentRequest(b);
            }
            case Message.SegmentReply m -> {
                SegmentReply.Builder b = SegmentReply.newBuilder().setRequestId(m.requestId()).setServed(m.served());
                for (StoredEntry e : orEmpty(m.entries())) {
                    b.addEntries(entry(e));
                }
                if (m.error() != null) {
                    b.setError(m.error());
                }
                out.setSegmentReply(b);
            }
            case Message.TransferChunkRequest m -> {
                TransferChunkRequest.Builder b = TransferChunkRequest.newBuilder().setRequestId(m.requestId())
                        .setPartition(m.partition()).setLimit(m.limit());
                if (m.after() != null) {
                    b.setAfter(key(m.after()));
                }
                out.setTransferChunkRequest(b);
            }
            case Message.TransferChunkReply m -> {
                TransferChunkReply.Builder b = TransferChunkReply.newBuilder().setRequestId(m.requestId())
                        .setLast(m.last());
                for (StoredEntry e : orEmpty(m.entries())) {
                    b.addEntries(entry(e));
                }
                if (m.error() != null) {
                    b.setError(m.error());
                }
                out.setTransferChunkReply(b);
            }
            case Message.GossipPush m -> out.setGossipPush(GossipPush.newBuilder().setRequestId(m.requestId())
                    .setState(clusterState(m.state())));
            case Message.GossipPull m -> out.setGossipPull(GossipPull.newBuilder().setRequestId(m.requestId())
                    .setState(clusterState(m.state())));
            case Message.Ping m -> out.setPing(Ping.newBuilder().setRequestId(m.requestId()));
            case Message.Pong m -> out.setPong(Pong.newBuilder().setRequestId(m.requestId()));
            case Message.StatusRequest m -> out.setStatusRequest(StatusRequest.newBuilder().setRequestId(m.requestId())
                    .setTrafficSinceMs(m.trafficSinceMillis()));
            case Message.StatusReply m -> out.setStatusReply(StatusReply.newBuilder().setRequestId(m.requestId())
                    .setJson(ByteString.copyFrom(m.json())));
        }
        return out.build();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Wraps a freshly encoded array that nothing else holds, without copying it. */
    private static ByteString own(byte[] fresh) {
        return UnsafeByteOperations.unsafeWrap(fresh);
    }

    private static Key key(StoredKey key) {
        return Key.newBuilder().setNamespace(key.namespace()).setKey(own(key.bytes())).build();
    }

    private static ByteString siblings(Siblings<Content> state) {
        return own(SIBLINGS.encode(state));
    }

    private static ByteString content(Content value) {
        return own(ContentFormat.INSTANCE.encode(value));
    }

    private static ByteString context(VersionVector context) {
        return own(ContextCodec.encode(context));
    }

    private static ByteString clusterState(ClusterState state) {
        return own(ClusterStateCodec.encode(state));
    }

    private static Entry entry(StoredEntry e) {
        return Entry.newBuilder().setKey(key(e.key())).setState(siblings(e.state())).build();
    }

    private static io.dynamo.wire.proto.Durability durability(Durability d) {
        return switch (d) {
            case DURABLE -> io.dynamo.wire.proto.Durability.DURABLE;
            case BUFFERED -> io.dynamo.wire.proto.Durability.BUFFERED;
        };
    }

    private static VersionedContent versioned(Versioned<Content> v) {
        ActorId actor = v.dot().actor();
        return VersionedContent.newBuilder()
                .setDot(io.dynamo.wire.proto.Dot.newBuilder().setNode(actor.node())
                        .setIncarnation(actor.incarnation()).setCounter(v.dot().counter()))
                .setContent(content(v.value())).build();
    }

    private static PutError putError(Message.PutError e) {
        PutError.Builder b = PutError.newBuilder().setKind(e.kind()).setMessage(e.message())
                .setRequiredW(e.requiredW()).setAchievedW(e.achievedW()).setRequiredDw(e.requiredDW())
                .setAchievedDw(e.achievedDW());
        e.failures().forEach((node, why) -> b.putFailures(node.value(), why));
        return b.build();
    }

    // ---- decoding

    /**
     * The message {@code proto} holds.
     *
     * @throws WireFormatException if it holds no body, a body this version does not know, or a
     *     body that is not a valid message
     */
    public static Message fromProto(PeerMessage proto) {
        if (proto == null) {
            throw new WireFormatException("no peer message");
        }
        PeerMessage.BodyCase body = proto.getBodyCase();
        if (body == PeerMessage.BodyCase.BODY_NOT_SET) {
            Map<Integer, ?> unknown = proto.getUnknownFields().asMap();
            throw new WireFormatException(unknown.isEmpty() ? "peer message has no body"
                    : "peer message has no body this version knows (unknown field numbers " + unknown.keySet() + ")");
        }
        String name = body.name().toLowerCase(Locale.ROOT);
        try {
            return switch (body) {
                case REPLICA_WRITE -> replicaWrite(proto.getReplicaWrite());
                case REPLICA_WRITE_REPLY -> {
                    ReplicaWriteReply m = proto.getReplicaWriteReply();
                    yield new Message.ReplicaWriteReply(m.getRequestId(), m.getOk(), m.getDurable(),
                            m.hasError() ? m.getError() : null);
                }
                case REPLICA_READ -> {
                    ReplicaRead m = proto.getReplicaRead();
                    yield new Message.ReplicaRead(m.getRequestId(), partition(m.getPartition()),
                            key(m.hasKey(), m.getKey(), "key"), m.hasHintFor() ? nodeId(m.getHintFor(), "hint_for") : null);
                }
                case REPLICA_READ_REPLY -> {
                    ReplicaReadReply m = proto.getReplicaReadReply();
                    yield new Message.ReplicaReadReply(m.getRequestId(),
                            m.hasState() ? siblings(m.getState(), "state") : null, m.hasError() ? m.getError() : null);
                }
                case HINT_DELIVERY -> {
                    HintDelivery m = proto.getHintDelivery();
                    yield new Message.HintDelivery(m.getRequestId(), partition(m.getPartition()),
                            key(m.hasKey(), m.getKey(), "key"), siblings(m.getState(), "state"));
                }
                case HINT_DELIVERY_REPLY -> {
                    HintDeliveryReply m = proto.getHintDeliveryReply();
                    yield new Message.HintDeliveryReply(m.getRequestId(), m.getOk(), m.getRejected(),
                            m.getRetryAfterMillis());
                }
                case COORDINATE_PUT -> {
                    CoordinatePut m = proto.getCoordinatePut();
                    yield new Message.CoordinatePut(m.getRequestId(), m.getNamespace(), m.getKey().toByteArray(),
                            context(m.getContext(), "context"), content(m.getValue(), "value"), m.getW(), m.getDw(),
                            m.getTimeoutMillis());
                }
                case COORDINATE_PUT_ACCEPTED -> new Message.CoordinatePutAccepted(
                        proto.getCoordinatePutAccepted().getRequestId());
                case COORDINATE_PUT_REPLY -> coordinatePutReply(proto.getCoordinatePutReply());
                case PURGE_CHECK -> {
                    PurgeCheck m = proto.getPurgeCheck();
                    List<NodeId> owners = new ArrayList<>(m.getOwnersCount());
                    for (int i = 0; i < m.getOwnersCount(); i++) {
                        owners.add(nodeId(m.getOwners(i), "owners[" + i + "]"));
                    }
                    yield new Message.PurgeCheck(m.getRequestId(), partition(m.getPartition()),
                            key(m.hasKey(), m.getKey(), "key"), owners);
                }
                case PURGE_CHECK_REPLY -> {
                    PurgeCheckReply m = proto.getPurgeCheckReply();
                    yield new Message.PurgeCheckReply(m.getRequestId(),
                            m.hasState() ? siblings(m.getState(), "state") : null, m.getHoldsHint(),
                            m.hasError() ? m.getError() : null);
                }
                case PURGE -> {
                    Purge m = proto.getPurge();
                    yield new Message.Purge(m.getRequestId(), partition(m.getPartition()),
                            key(m.hasKey(), m.getKey(), "key"), siblings(m.getExpected(), "expected"));
                }
                case PURGE_REPLY -> {
                    PurgeReply m = proto.getPurgeReply();
                    yield new Message.PurgeReply(m.getRequestId(), m.getRemoved());
                }
                case TREE_LEVEL_REQUEST -> {
                    TreeLevelRequest m = proto.getTreeLevelRequest();
                    int[] nodes = new int[m.getNodesCount()];
                    for (int i = 0; i < nodes.length; i++) {
                        nodes[i] = nonNegative(m.getNodes(i), "nodes[" + i + "]");
                    }
                    yield new Message.TreeLevelRequest(m.getRequestId(), partition(m.getPartition()),
                            nonNegative(m.getLevel(), "level"), nodes);
                }
                case TREE_LEVEL_REPLY -> {
                    TreeLevelReply m = proto.getTreeLevelReply();
                    long[] hashes = null;
                    if (m.hasHashes()) {
                        Hashes h = m.getHashes();
                        hashes = new long[h.getValuesCount()];
                        for (int i = 0; i < hashes.length; i++) {
                            hashes[i] = h.getValues(i);
                        }
                    }
                    yield new Message.TreeLevelReply(m.getRequestId(), hashes, m.hasError() ? m.getError() : null);
                }
                case SEGMENT_REQUEST -> {
                    SegmentRequest m = proto.getSegmentRequest();
                    int[] segments = new int[m.getSegmentsCount()];
                    for (int i = 0; i < segments.length; i++) {
                        segments[i] = nonNegative(m.getSegments(i), "segments[" + i + "]");
                    }
                    yield new Message.SegmentRequest(m.getRequestId(), partition(m.getPartition()), segments,
                            nonNegative(m.getMaxEntries(), "max_entries"));
                }
                case SEGMENT_REPLY -> {
                    SegmentReply m = proto.getSegmentReply();
                    yield new Message.SegmentReply(m.getRequestId(), entries(m.getEntriesList()),
                            nonNegative(m.getServed(), "served"), m.hasError() ? m.getError() : null);
                }
                case TRANSFER_CHUNK_REQUEST -> {
                    TransferChunkRequest m = proto.getTransferChunkRequest();
                    yield new Message.TransferChunkRequest(m.getRequestId(), partition(m.getPartition()),
                            m.hasAfter() ? key(true, m.getAfter(), "after") : null,
                            nonNegative(m.getLimit(), "limit"));
                }
                case TRANSFER_CHUNK_REPLY -> {
                    TransferChunkReply m = proto.getTransferChunkReply();
                    yield new Message.TransferChunkReply(m.getRequestId(), entries(m.getEntriesList()), m.getLast(),
                            m.hasError() ? m.getError() : null);
                }
                case GOSSIP_PUSH -> {
                    GossipPush m = proto.getGossipPush();
                    yield new Message.GossipPush(m.getRequestId(), clusterState(m.getState(), "state"));
                }
                case GOSSIP_PULL -> {
                    GossipPull m = proto.getGossipPull();
                    yield new Message.GossipPull(m.getRequestId(), clusterState(m.getState(), "state"));
                }
                case PING -> new Message.Ping(proto.getPing().getRequestId());
                case PONG -> new Message.Pong(proto.getPong().getRequestId());
                case STATUS_REQUEST -> new Message.StatusRequest(proto.getStatusRequest().getRequestId(),
                        proto.getStatusRequest().getTrafficSinceMs());
                case STATUS_REPLY -> new Message.StatusReply(proto.getStatusReply().getRequestId(),
                        proto.getStatusReply().getJson().toByteArray());
                case BODY_NOT_SET -> throw new WireFormatException("peer message has no body");
            };
        } catch (WireFormatException e) {
            throw new WireFormatException("malformed " + name + ": " + e.getMessage(), e.getCause());
        } catch (RuntimeException e) {
            // A record's own check (or anything else the checks above missed): still bad input.
            throw new WireFormatException("malformed " + name + ": " + e, e);
        }
    }

    private static Message replicaWrite(ReplicaWrite m) {
        Durability durability = switch (m.getDurability()) {
            case DURABLE -> Durability.DURABLE;
            case BUFFERED -> Durability.BUFFERED;
            case DURABILITY_UNSPECIFIED -> throw new WireFormatException("durability is not set");
            case UNRECOGNIZED -> throw new WireFormatException("unknown durability " + m.getDurabilityValue());
        };
        return new Message.ReplicaWrite(m.getRequestId(), partition(m.getPartition()),
                key(m.hasKey(), m.getKey(), "key"), siblings(m.getState(), "state"), durability,
                m.hasHintFor() ? nodeId(m.getHintFor(), "hint_for") : null);
    }

    private static Message coordinatePutReply(CoordinatePutReply m) {
        List<Versioned<Content>> values = new ArrayList<>(m.getValuesCount());
        for (int i = 0; i < m.getValuesCount(); i++) {
            values.add(versioned(m.getValues(i), "values[" + i + "]"));
        }
        List<NodeId> acknowledged = new ArrayList<>(m.getAcknowledgedCount());
        for (int i = 0; i < m.getAcknowledgedCount(); i++) {
            acknowledged.add(nodeId(m.getAcknowledged(i), "acknowledged[" + i + "]"));
        }
        Map<NodeId, NodeId> fallbacks = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : m.getFallbacksMap().entrySet()) {
            fallbacks.put(nodeId(e.getKey(), "fallbacks key"), nodeId(e.getValue(), "fallbacks value"));
        }
        return new Message.CoordinatePutReply(m.getRequestId(), Collections.unmodifiableList(values),
                m.hasContext() ? context(m.getContext(), "context") : null, Collections.unmodifiableList(acknowledged),
                Collections.unmodifiableMap(fallbacks), nonNegative(m.getDurable(), "durable"),
                m.hasError() ? putError(m.getError()) : null);
    }

    private static Message.PutError putError(PutError e) {
        Map<NodeId, String> failures = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : e.getFailuresMap().entrySet()) {
            failures.put(nodeId(f.getKey(), "error.failures key"), f.getValue());
        }
        return new Message.PutError(e.getKind(), e.getMessage(), e.getRequiredW(), e.getAchievedW(),
                e.getRequiredDw(), e.getAchievedDw(), failures);
    }

    private static Versioned<Content> versioned(VersionedContent v, String what) {
        if (!v.hasDot()) {
            throw new WireFormatException(what + ".dot is missing");
        }
        io.dynamo.wire.proto.Dot d = v.getDot();
        io.dynamo.core.versioning.Dot dot;
        try {
            dot = new io.dynamo.core.versioning.Dot(new ActorId(d.getNode(), d.getIncarnation()), d.getCounter());
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(what + ".dot: " + e.getMessage(), e);
        }
        return new Versioned<>(dot, content(v.getContent(), what + ".content"));
    }

    private static List<StoredEntry> entries(List<Entry> entries) {
        List<StoredEntry> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String what = "entries[" + i + "]";
            out.add(new StoredEntry(key(e.hasKey(), e.getKey(), what + ".key"), siblings(e.getState(), what + ".state")));
        }
        return Collections.unmodifiableList(out);
    }

    private static int partition(int partition) {
        return nonNegative(partition, "partition");
    }

    /** uint32 fields hold non-negative Java ints; a value above 2^31-1 arrives negative. */
    private static int nonNegative(int value, String what) {
        if (value < 0) {
            throw new WireFormatException(what + " " + Integer.toUnsignedString(value) + " is out of range (above "
                    + Integer.MAX_VALUE + ")");
        }
        return value;
    }

    private static NodeId nodeId(String value, String what) {
        try {
            return NodeId.of(value);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException(what + ": " + e.getMessage(), e);
        }
    }

    private static StoredKey key(boolean present, Key key, String what) {
        if (!present) {
            throw new WireFormatException(what + " is missing");
        }
        return StoredKey.of(key.getNamespace(), key.getKey().toByteArray());
    }

    private static ByteString required(ByteString bytes, String what) {
        if (bytes.isEmpty()) {
            throw new WireFormatException(what + " is missing or empty");
        }
        return bytes;
    }

    private static Siblings<Content> siblings(ByteString bytes, String what) {
        byte[] array = required(bytes, what).toByteArray();
        try {
            return SIBLINGS.decode(array);
        } catch (RuntimeException e) {
            throw new WireFormatException(what + ": " + e.getMessage(), e);
        }
    }

    private static Content content(ByteString bytes, String what) {
        byte[] array = required(bytes, what).toByteArray();
        try {
            return ContentFormat.INSTANCE.decode(array);
        } catch (RuntimeException e) {
            throw new WireFormatException(what + ": " + e.getMessage(), e);
        }
    }

    private static VersionVector context(ByteString bytes, String what) {
        byte[] array = required(bytes, what).toByteArray();
        try {
            return ContextCodec.decode(array);
        } catch (RuntimeException e) {
            throw new WireFormatException(what + ": " + e.getMessage(), e);
        }
    }

    private static ClusterState clusterState(ByteString bytes, String what) {
        byte[] array = required(bytes, what).toByteArray();
        try {
            return ClusterStateCodec.decode(array);
        } catch (RuntimeException e) {
            throw new WireFormatException(what + ": " + e.getMessage(), e);
        }
    }
}

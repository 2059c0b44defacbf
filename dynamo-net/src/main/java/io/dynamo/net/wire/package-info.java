/**
 * The peer protocol's codec: {@link io.dynamo.net.wire.PeerCodec} converts every node-to-node
 * {@link io.dynamo.server.transport.Message} to and from the protobuf {@code PeerMessage} of
 * {@code dynamo-wire/src/main/proto/peer.proto}, the documented wire contract. Versioned state,
 * values, contexts and cluster state travel inside it as bytes in the project's own codecs (the
 * same as on disk); anything malformed is reported as {@link io.dynamo.net.wire.WireFormatException}.
 */
package io.dynamo.net.wire;

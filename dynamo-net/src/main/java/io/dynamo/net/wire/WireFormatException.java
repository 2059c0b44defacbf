package io.dynamo.net.wire;

/**
 * Bytes or a protobuf message received from a peer do not decode to a valid
 * {@link io.dynamo.server.transport.Message}: they do not parse, carry no body or a body this
 * version does not know, miss a required field, hold an out-of-range number, or hold a bytes
 * field its codec rejects. The message says what was wrong; the cause, when there is one, is the
 * codec's own exception. This is the only exception {@link PeerCodec}'s decoders throw for bad
 * input, and they never return a partially built message.
 */
public final class WireFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.dynamo.wire.netty;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * The frame format of both TCP protocols: a 4-byte big-endian length, then that many bytes of
 * one protobuf message. A frame over the receiver's maximum fails the decoder, which closes the
 * connection.
 */
public final class Frames {

    /** The default largest frame, 16 MiB: the largest value (8 MiB by default) with room to spare. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;

    /** The protocol version this build speaks, sent in every {@code Hello}. */
    public static final int PROTOCOL_VERSION = 1;

    private Frames() {
    }

    /** Adds the frame decoder and encoder at the front of {@code pipeline}. */
    public static void install(ChannelPipeline pipeline, int maxFrameBytes) {
        pipeline.addLast("frame-decoder", new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4));
        pipeline.addLast("frame-encoder", new LengthFieldPrepender(4));
    }
}

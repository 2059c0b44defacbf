package io.dynamo.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.dynamo.wire.proto.ClientRequest;
import io.dynamo.wire.proto.ClientResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open connection to a node, after its Hello: requests are pipelined on it, each waiting in
 * {@link #calls} under its correlation id until its response, its deadline, or the connection's
 * end. It is the last handler of its channel's pipeline.
 */
final class NodeConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(NodeConnection.class);

    /** One request waiting for its answer. */
    private static final class Call {
        final CompletableFuture<ClientResponse> future = new CompletableFuture<>();
        volatile boolean written;
        volatile ScheduledFuture<?> timer;
    }

    private final Channel channel;
    private final String node;
    private final Map<Long, Call> calls = new ConcurrentHashMap<>();

    NodeConnection(Channel channel, String node) {
        this.channel = channel;
        this.node = node;
    }

    boolean isActive() {
        return channel.isActive();
    }

    /** Requests sent and not yet answered. */
    int pending() {
        return calls.size();
    }

    /**
     * Sends {@code request} (whose id must be unique among this connection's calls) and answers
     * its response. Fails with {@link NotSentException} if the frame never left, with
     * {@link ConnectionLostException} if the connection ends after it did, and with
     * {@link RequestTimeoutException} after {@code timeoutNanos}.
     */
    CompletableFuture<ClientResponse> send(ClientRequest request, long timeoutNanos) {
        long id = request.getId();
        Call call = new Call();
        if (calls.putIfAbsent(id, call) != null) {
            call.future.completeExceptionally(new IllegalStateException("request id " + id + " is in use"));
            return call.future;
        }
        try {
            call.timer = channel.eventLoop().schedule(() -> {
                if (calls.remove(id, call)) {
                    call.future.completeExceptionally(new RequestTimeoutException("no answer from " + node + " in "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
                }
            }, Math.max(1, timeoutNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            calls.remove(id, call);
            call.future.completeExceptionally(new NotSentException("the client is closing", e));
            return call.future;
        }
        ByteBuf frame = Unpooled.wrappedBuffer(request.toByteArray());
        // The listener goes on the promise before the write is handed over: added afterwards to a
        // promise the event loop had already completed, it would run later as a task, possibly
        // after channelInactive had taken a sent request for an unsent one and retried a write.
        ChannelPromise promise = channel.newPromise();
        promise.addListener(f -> {
            if (f.isSuccess()) {
                call.written = true;
            } else if (calls.remove(id, call)) {
                cancel(call);
                call.future.completeExceptionally(new NotSentException("cannot send to " + node + ": "
                        + f.cause(), f.cause()));
            }
        });
        channel.writeAndFlush(frame, promise);
        return call.future;
    }

    void close() {
        channel.close();
    }

    private static void cancel(Call call) {
        ScheduledFuture<?> t = call.timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        ClientResponse response;
        try {
            response = ClientResponse.parseFrom(frame.nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("closing the connection to {}: a frame is not a ClientResponse: {}", node, e.getMessage());
            ctx.close();
            return;
        } finally {
            frame.release();
        }
        Call call = calls.remove(response.getId());
        if (call == null) {
            return; // timed out already
        }
        cancel(call);
        call.future.complete(response);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        List<Long> ids = new ArrayList<>(calls.keySet());
        for (Long id : ids) {
            Call call = calls.remove(id);
            if (call != null) {
                cancel(call);
                call.future.completeExceptionally(call.written
                        ? new ConnectionLostException("the connection to " + node
                                + " closed before the answer came; a write's outcome is unknown")
                        : new NotSentException("the connection to " + node + " closed before the request was sent",
                                null));
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            LOG.warn("closing the connection to {}: {}", node, cause.getMessage());
        } else if (!(cause instanceof IOException)) {
            LOG.warn("closing the connection to {}: {}", node, cause.toString());
        } else {
            LOG.debug("the connection to {} failed: {}", node, cause.toString());
        }
        ctx.close();
    }
}

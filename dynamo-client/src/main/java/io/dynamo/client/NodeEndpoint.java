package io.dynamo.client;

import io.dynamo.wire.netty.Frames;
import io.dynamo.wire.netty.NettyIo;
import io.dynamo.wire.proto.Hello;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's address and its small pool of connections (one or two), each made on first use and
 * remade when it closes. A failed connect backs the endpoint off: until the backoff (100 ms,
 * doubling to 5 s) passes, requests for it fail at once without a connect attempt, so routing
 * moves on to the next node.
 */
final class NodeEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(NodeEndpoint.class);
    private static final long MIN_BACKOFF_NANOS = Duration.ofMillis(100).toNanos();
    private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(5).toNanos();

    private final String hostPort;
    private final InetSocketAddress address;
    private final EventLoopGroup group;
    private final int maxFrameBytes;
    private final int connectTimeoutMillis;
    private final byte[] hello;
    private final AtomicInteger next = new AtomicInteger();
    private final List<CompletableFuture<NodeConnection>> slots; // guarded by this
    private volatile String nodeId;
    private int failures; // guarded by this
    private long retryAtNanos; // guarded by this
    private volatile boolean backingOff;
    private boolean closed; // guarded by this

    NodeEndpoint(String hostPort, InetSocketAddress address, EventLoopGroup group, int connections, int maxFrameBytes,
            int connectTimeoutMillis, String clusterName) {
        this.hostPort = hostPort;
        this.address = address;
        this.group = group;
        this.maxFrameBytes = maxFrameBytes;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.slots = new ArrayList<>(Collections.nCopies(connections, null));
        this.hello = Hello.newBuilder().setProtocolVersion(Frames.PROTOCOL_VERSION).setClusterName(clusterName)
                .build().toByteArray();
    }

    String hostPort() {
        return hostPort;
    }

    /** The node's id once a ring named it; null for a seed not yet seen in a ring. */
    String nodeId() {
        return nodeId;
    }

    void nodeId(String id) {
        this.nodeId = id;
    }

    /** Whether the last connect failed and its backoff has not passed. */
    boolean backingOff() {
        if (!backingOff) {
            return false;
        }
        synchronized (this) {
            return System.nanoTime() - retryAtNanos < 0;
        }
    }

    /** A connection to the node: an open one, one being made, or a new one. */
    CompletableFuture<NodeConnection> connection() {
        int slot = Math.floorMod(next.getAndIncrement(), slots.size());
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new NotSentException("the client is closed", null));
            }
            CompletableFuture<NodeConnection> c = slots.get(slot);
            if (c != null && (!c.isDone() || (!c.isCompletedExceptionally() && c.join().isActive()))) {
                return c;
            }
            // Another slot's open connection beats a new connect while backing off.
            if (System.nanoTime() - retryAtNanos < 0 && failures > 0) {
                for (CompletableFuture<NodeConnection> other : slots) {
                    if (other != null && other.isDone() && !other.isCompletedExceptionally() && other.join().isActive()) {
                        return other;
                    }
                }
                return CompletableFuture.failedFuture(new NotSentException("cannot connect to " + label()
                        + " (retrying in " + Math.max(0, (retryAtNanos - System.nanoTime()) / 1_000_000) + " ms)", null));
            }
            CompletableFuture<NodeConnection> made = connect();
            slots.set(slot, made);
            return made;
        }
    }

    private String label() {
        String id = nodeId;
        return id == null ? hostPort : id + " at " + hostPort;
    }

    private CompletableFuture<NodeConnection> connect() {
        CompletableFuture<NodeConnection> out = new CompletableFuture<>();
        String label = label();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NettyIo.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Frames.install(ch.pipeline(), maxFrameBytes);
                        ch.pipeline().addLast("calls", new NodeConnection(ch, label));
                    }
                });
        ChannelFuture f;
        try {
            f = b.connect(address);
        } catch (RuntimeException e) {
            failed(e);
            out.completeExceptionally(new NotSentException("cannot connect to " + label + ": " + e, e));
            return out;
        }
        f.addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                failed(cf.cause());
                out.completeExceptionally(new NotSentException("cannot connect to " + label + ": " + cf.cause(),
                        cf.cause()));
                return;
            }
            Channel ch = cf.channel();
            synchronized (this) {
                failures = 0;
                backingOff = false;
                if (closed) {
                    ch.close();
                    out.completeExceptionally(new NotSentException("the client is closed", null));
                    return;
                }
            }
            ch.writeAndFlush(Unpooled.wrappedBuffer(hello)); // first, before any request
            out.complete(ch.pipeline().get(NodeConnection.class));
        });
        return out;
    }

    private synchronized void failed(Throwable cause) {
        failures++;
        long backoff = Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << Math.min(failures - 1, 16));
        retryAtNanos = System.nanoTime() + backoff;
        backingOff = true;
        LOG.debug("cannot connect to {} ({} failures in a row; next try in {} ms): {}", label(), failures,
                backoff / 1_000_000, cause.toString());
    }

    /** Closes the connections; later requests fail. */
    void close() {
        List<CompletableFuture<NodeConnection>> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(slots);
        }
        for (CompletableFuture<NodeConnection> c : open) {
            if (c != null) {
                c.thenAccept(NodeConnection::close);
            }
        }
    }

    @Override
    public String toString() {
        return label();
    }
}

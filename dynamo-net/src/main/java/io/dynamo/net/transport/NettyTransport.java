package io.dynamo.net.transport;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.Scheduler;
import io.dynamo.net.wire.PeerCodec;
import io.dynamo.net.wire.WireFormatException;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Transport;
import io.dynamo.wire.HostPort;
import io.dynamo.wire.netty.Frames;
import io.dynamo.wire.netty.NettyIo;
import io.dynamo.wire.proto.Hello;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-to-node {@link Transport} over TCP, with Netty.
 *
 * <p>Each node opens one connection to each peer it sends to and only sends on it; the peer
 * answers over its own connection back (so a connection is one-way, and "who sent this" is the
 * node id in the connection's first frame, a {@link Hello}). Frames are length-prefixed
 * protobuf {@code PeerMessage}s ({@code dynamo-wire/src/main/proto/peer.proto}).
 *
 * <p>Nothing here blocks the node thread or an event loop:
 * <ul>
 *   <li>{@link #send} encodes on the caller's thread and hands the bytes to the peer's channel.
 *       Bytes waiting per peer (while connecting, or not yet written to the socket) are bounded;
 *       past the bound a message is refused and counted as an overload, like any lost message
 *       (the sender's request times out; node logic is built for loss).
 *   <li>A peer that cannot be reached is retried with exponential backoff; while it backs off,
 *       messages to it are dropped at once rather than queued.
 *   <li>Inbound messages are decoded on the event loop and queued for the node thread; the queue
 *       is bounded too, and how long each message waited is reported to admission control.
 *   <li>A frame that is too long, does not parse, or names an unknown message closes that one
 *       connection, with the reason logged; every other connection goes on.
 * </ul>
 */
public final class NettyTransport implements Transport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

    /**
     * @param clusterName connections from nodes of another cluster are closed
     * @param maxFrameBytes the largest frame accepted; larger ones close the connection
     * @param maxQueuedBytesPerPeer bytes waiting to be written to one peer, past which sends fail
     * @param maxInboundQueued messages received and waiting for the node thread, past which new
     *     ones are dropped
     * @param connectTimeout how long one connection attempt may take
     * @param backoffMin the first wait after a failed connection
     * @param backoffMax the longest wait between attempts
     * @param helloTimeout how long an accepted connection may take to send its Hello
     */
    public record Settings(String clusterName, int maxFrameBytes, long maxQueuedBytesPerPeer, int maxInboundQueued,
            Duration connectTimeout, Duration backoffMin, Duration backoffMax, Duration helloTimeout) {
        public Settings {
            Objects.requireNonNull(clusterName, "clusterName");
            if (helloTimeout == null || helloTimeout.isNegative() || helloTimeout.isZero()) {
                throw new IllegalArgumentException("the Hello timeout must be positive, was " + helloTimeout);
            }
            if (maxFrameBytes < 1024) {
                throw new IllegalArgumentException("max_frame_bytes must be at least 1024, was " + maxFrameBytes);
            }
            if (maxQueuedBytesPerPeer < maxFrameBytes) {
                throw new IllegalArgumentException("the per-peer queue (" + maxQueuedBytesPerPeer
                        + " bytes) must hold at least one frame (" + maxFrameBytes + ")");
            }
            if (maxInboundQueued < 1) {
                throw new IllegalArgumentException("max inbound queue must be at least 1, was " + maxInboundQueued);
            }
        }

        public static Settings defaults(String clusterName) {
            return new Settings(clusterName, Frames.DEFAULT_MAX_FRAME_BYTES, 64L << 20, 100_000,
                    Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(10));
        }

        public Settings withMaxFrameBytes(int bytes) {
            return new Settings(clusterName, bytes, Math.max(maxQueuedBytesPerPeer, bytes), maxInboundQueued,
                    connectTimeout, backoffMin, backoffMax, helloTimeout);
        }

        public Settings withMaxQueuedBytesPerPeer(long bytes) {
            return new Settings(clusterName, maxFrameBytes, bytes, maxInboundQueued, connectTimeout, backoffMin,
                    backoffMax, helloTimeout);
        }

        public Settings withMaxInboundQueued(int messages) {
            return new Settings(clusterName, maxFrameBytes, maxQueuedBytesPerPeer, messages, connectTimeout,
                    backoffMin, backoffMax, helloTimeout);
        }

        /** How long an accepted connection may take to send its Hello before it is closed. */
        public Settings withHelloTimeout(Duration timeout) {
            return new Settings(clusterName, maxFrameBytes, maxQueuedBytesPerPeer, maxInboundQueued, connectTimeout,
                    backoffMin, backoffMax, timeout);
        }
    }

    /** What the transport has seen, for metrics and tests. */
    public record Stats(long sent, long received, long overloadDrops, long unreachableDrops, long inboundDrops,
            long closedForBadInput, long connectFailures, int openOutbound, int openInbound) {
    }

    private final NodeId self;
    private final InetSocketAddress listen;
    private final Function<NodeId, InetSocketAddress> addresses;
    private final Scheduler node;
    private final Settings settings;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Map<NodeId, Peer> peers = new ConcurrentHashMap<>();
    private final Set<Channel> inbound = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inboundQueued = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong overloadDrops = new AtomicLong();
    private final AtomicLong unreachableDrops = new AtomicLong();
    private final AtomicLong inboundDrops = new AtomicLong();
    private final AtomicLong closedForBadInput = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final byte[] hello;
    private volatile Set<NodeId> isolatedFrom = Set.of();
    private volatile Handler handler;
    private volatile LongConsumer queueWaits = w -> { };
    private volatile ConnectionListener connectionLost = (peer, reason, maybeDelivered) -> { };
    private volatile Channel server;
    private volatile boolean closed;

    /**
     * @param listen where to accept peers' connections (port 0 picks a free one; see {@link #address()})
     * @param addresses where a node listens, or null when it is not known
     * @param node the node's thread, where inbound messages are handed to the handler
     * @param group the event loops to use, or null for a group of this transport's own
     */
    public NettyTransport(NodeId self, InetSocketAddress listen, Function<NodeId, InetSocketAddress> addresses,
            Scheduler node, Settings settings, EventLoopGroup group) {
        this.self = Objects.requireNonNull(self, "self");
        this.listen = Objects.requireNonNull(listen, "listen");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.node = Objects.requireNonNull(node, "node");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ownsGroup = group == null;
        this.group = group != null ? group : NettyIo.group(2, "peer-io-" + self.value());
        this.hello = Hello.newBuilder().setProtocolVersion(Frames.PROTOCOL_VERSION).setNodeId(self.value())
                .setClusterName(settings.clusterName()).build().toByteArray();
    }

    /** Binds the listening socket; returns the bound address. */
    public InetSocketAddress start() {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NettyIo.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("wrong-port", wrongPortGuard());
                        Frames.install(ch.pipeline(), settings.maxFrameBytes());
                        ch.pipeline().addLast("inbound", new Inbound());
                    }
                });
        try {
            server = b.bind(listen).syncUninterruptibly().channel();
        } catch (Exception e) { // also the native transport's IOException, which Netty rethrows unchecked
            throw new IllegalStateException("cannot listen for peers on " + listen + ": " + e.getMessage(), e);
        }
        LOG.info("{} listens for peers on {} ({})", self, server.localAddress(), NettyIo.flavour());
        return address();
    }

    /** The address peers connect to. */
    public InetSocketAddress address() {
        Channel s = server;
        return s == null ? listen : (InetSocketAddress) s.localAddress();
    }

    @Override
    public NodeId self() {
        return self;
    }

    @Override
    public void setHandler(Handler h) {
        Objects.requireNonNull(h, "handler");
        synchronized (this) {
            if (handler != null) {
                throw new IllegalStateException("the handler of " + self + " is already set");
            }
            handler = h;
        }
    }

    @Override
    public void reportQueueWaits(LongConsumer sink) {
        queueWaits = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Tells {@code listener}, on the node's thread, when an outbound connection closes (a crashed
     * peer's kernel closes it at once) or cannot be opened; messages queued on it are lost.
     */
    @Override
    public void onConnectionLost(ConnectionListener listener) {
        connectionLost = Objects.requireNonNull(listener, "listener");
    }

    private void lost(NodeId peer, String reason, boolean maybeDelivered) {
        if (!closed) {
            node.execute(() -> connectionLost.connectionLost(peer, reason, maybeDelivered));
        }
    }

    @Override
    public Sent send(NodeId to, Message message) {
        if (closed) {
            return Sent.UNREACHABLE;
        }
        if (to.equals(self)) {
            deliver(self, message, System.nanoTime());
            return Sent.QUEUED;
        }
        if (isolatedFrom.contains(to)) {
            return Sent.QUEUED; // a test's network partition: lost on the way, as a real one would lose it
        }
        byte[] bytes;
        try {
            bytes = PeerCodec.encode(message);
        } catch (RuntimeException e) {
            LOG.error("cannot encode {} for {}", message.getClass().getSimpleName(), to, e);
            return Sent.QUEUED; // a bug, logged; the request times out
        }
        if (bytes.length > settings.maxFrameBytes()) {
            LOG.warn("dropping a {} of {} bytes for {}: over max_frame_bytes ({})",
                    message.getClass().getSimpleName(), bytes.length, to, settings.maxFrameBytes());
            overloadDrops.incrementAndGet();
            return Sent.OVERLOADED;
        }
        return peers.computeIfAbsent(to, Peer::new).send(bytes);
    }

    /**
     * Fault injection for tests of network partitions: drops every message to and from
     * {@code peers} until called again with an empty set. Only reachable when the server's
     * {@code fault_injection} setting is on.
     */
    public void isolateFrom(Set<NodeId> peers) {
        isolatedFrom = Set.copyOf(peers);
    }

    /** The peers {@link #isolateFrom} cut off. */
    public Set<NodeId> isolatedFrom() {
        return isolatedFrom;
    }

    /** Counters, for metrics and tests. */
    public Stats stats() {
        int open = 0;
        for (Peer p : peers.values()) {
            if (p.isOpen()) {
                open++;
            }
        }
        return new Stats(sent.get(), received.get(), overloadDrops.get(), unreachableDrops.get(), inboundDrops.get(),
                closedForBadInput.get(), connectFailures.get(), open, inbound.size());
    }

    /**
     * Stops accepting connections, writes out what was sent before this call, closes every
     * connection and, if it owns them, the event loops.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Channel s = server;
        if (s != null) {
            s.close().syncUninterruptibly();
        }
        for (Peer p : peers.values()) {
            p.close();
        }
        for (Channel c : inbound) {
            c.close();
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void deliver(NodeId from, Message message, long arrived) {
        if (isolatedFrom.contains(from)) {
            return;
        }
        if (inboundQueued.incrementAndGet() > settings.maxInboundQueued()) {
            inboundQueued.decrementAndGet();
            inboundDrops.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        node.execute(() -> {
            inboundQueued.decrementAndGet();
            Handler h = handler;
            if (h == null) {
                inboundDrops.incrementAndGet();
                return;
            }
            queueWaits.accept(System.nanoTime() - arrived);
            h.onMessage(from, message);
        });
    }

    // ------------------------------------------------------------------ inbound

    /** The node's HTTP API, named to clients that reach the peer port by mistake; null until known. */
    private volatile InetSocketAddress httpAddress;

    /** Tells clients that send HTTP to the peer port by mistake where the HTTP API is. */
    public void httpAddress(InetSocketAddress http) {
        httpAddress = http;
    }

    /** Answers HTTP (and TLS) sent to the peer port with where the HTTP API is, instead of a silent close. */
    private WrongPortGuard wrongPortGuard() {
        return new WrongPortGuard("the peer port of node " + self + ", for node-to-node traffic", () -> {
            InetSocketAddress http = httpAddress;
            return http == null ? null : "http://" + HostPort.format(http);
        }, closedForBadInput::incrementAndGet);
    }

    /** One accepted connection: a Hello naming the peer, then its messages. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        private NodeId peer;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            inbound.add(ctx.channel());
            // A connection that never says who it is would hold its slot for ever.
            ctx.executor().schedule(() -> {
                if (peer == null && ctx.channel().isActive()) {
                    refuse(ctx, "no Hello within " + settings.helloTimeout().toMillis() + " ms");
                }
            }, settings.helloTimeout().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inbound.remove(ctx.channel());
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            long arrived = System.nanoTime();
            try {
                byte[] bytes = ByteBufUtil.getBytes(frame);
                if (peer == null) {
                    peer = greet(bytes);
                    return;
                }
                deliver(peer, PeerCodec.decode(bytes), arrived);
            } catch (WireFormatException | BadPeerException e) {
                refuse(ctx, e.getMessage());
            } finally {
                frame.release();
            }
        }

        private NodeId greet(byte[] bytes) {
            Hello h;
            try {
                h = Hello.parseFrom(bytes);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new BadPeerException("the first frame is not a Hello: " + e.getMessage());
            }
            if (h.getProtocolVersion() != Frames.PROTOCOL_VERSION) {
                throw new BadPeerException("protocol version " + h.getProtocolVersion() + ", this node speaks "
                        + Frames.PROTOCOL_VERSION);
            }
            if (!h.getClusterName().equals(settings.clusterName())) {
                throw new BadPeerException("node of cluster '" + h.getClusterName() + "', this is cluster '"
                        + settings.clusterName() + "' (check cluster_name)");
            }
            try {
                return NodeId.of(h.getNodeId());
            } catch (IllegalArgumentException e) {
                throw new BadPeerException("bad node id in Hello: " + e.getMessage());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                refuse(ctx, "frame over max_frame_bytes (" + settings.maxFrameBytes() + "): " + cause.getMessage());
            } else if (cause instanceof java.io.IOException) {
                ctx.close(); // the peer went away
            } else {
                refuse(ctx, cause.toString());
            }
        }

        private void refuse(ChannelHandlerContext ctx, String reason) {
            closedForBadInput.incrementAndGet();
            LOG.warn("{} closes the connection from {} ({}): {}", self, ctx.channel().remoteAddress(),
                    peer == null ? "before Hello" : peer, reason);
            ctx.close();
        }
    }

    /** A peer that broke the protocol. */
    private static final class BadPeerException extends RuntimeException {
        BadPeerException(String message) {
            super(message, null, false, false);
        }
    }

    // ------------------------------------------------------------------ outbound

    /**
     * The outbound connection to one peer. Its state changes under its own lock, held only for
     * a few field updates (never across I/O).
     */
    private final class Peer {
        private final NodeId id;
        private final AtomicLong queuedBytes = new AtomicLong();
        private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        private Channel channel;
        private boolean connecting;
        private long retryAtNanos;
        private long backoffNanos;

        Peer(NodeId id) {
            this.id = id;
        }

        boolean isOpen() {
            synchronized (this) {
                return channel != null && channel.isActive();
            }
        }

        Sent send(byte[] bytes) {
            if (queuedBytes.addAndGet(bytes.length) > settings.maxQueuedBytesPerPeer()) {
                queuedBytes.addAndGet(-bytes.length);
                overloadDrops.incrementAndGet();
                return Sent.OVERLOADED;
            }
            Channel ch;
            synchronized (this) {
                ch = channel;
                if (ch == null || !ch.isActive()) {
                    if (ch != null) {
                        // Closed, and its close not told yet: what was written to it may have
                        // arrived. Told before the reconnect's outcome, so that those requests are
                        // never taken for ones that certainly did not arrive.
                        channel = null;
                        lost(id, "the connection to " + id + " closed", true);
                    }
                    if (connecting) {
                        pending.add(bytes);
                        return Sent.QUEUED;
                    }
                    if (System.nanoTime() - retryAtNanos < 0) {
                        queuedBytes.addAndGet(-bytes.length);
                        unreachableDrops.incrementAndGet();
                        return Sent.UNREACHABLE;
                    }
                    InetSocketAddress address = addresses.apply(id);
                    if (address == null) {
                        queuedBytes.addAndGet(-bytes.length);
                        unreachableDrops.incrementAndGet();
                        return Sent.UNREACHABLE;
                    }
                    pending.add(bytes);
                    connecting = true;
                    channel = null;
                    connect(address);
                    return Sent.QUEUED;
                }
            }
            write(ch, bytes);
            return Sent.QUEUED;
        }

        private void write(Channel ch, byte[] bytes) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(f -> {
                queuedBytes.addAndGet(-bytes.length);
                if (f.isSuccess()) {
                    sent.incrementAndGet();
                }
            });
        }

        private void connect(InetSocketAddress address) {
            Bootstrap b = new Bootstrap()
                    .group(group)
                    .channel(NettyIo.clientChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("flush", new FlushConsolidationHandler(256, true));
                            Frames.install(ch.pipeline(), settings.maxFrameBytes());
                            ch.pipeline().addLast("outbound-only", new OutboundOnly(id));
                        }
                    });
            ChannelFuture f = b.connect(address);
            f.addListener(done -> onConnected(f.channel(), done.isSuccess(), done.cause(), address));
        }

        private void onConnected(Channel ch, boolean ok, Throwable cause, InetSocketAddress address) {
            synchronized (this) {
                connecting = false;
                if (!ok || closed) {
                    long dropped = 0;
                    for (byte[] b : pending) {
                        dropped += b.length;
                    }
                    unreachableDrops.addAndGet(pending.size());
                    queuedBytes.addAndGet(-dropped);
                    pending.clear();
                    backoffNanos = backoffNanos == 0 ? settings.backoffMin().toNanos()
                            : Math.min(backoffNanos * 2, settings.backoffMax().toNanos());
                    retryAtNanos = System.nanoTime() + backoffNanos;
                    if (!ok) {
                        connectFailures.incrementAndGet();
                        LOG.debug("{} cannot connect to {} at {}: {}; retrying in {} ms", self, id, address,
                                cause == null ? "closed" : cause.getMessage(), backoffNanos / 1_000_000);
                        lost(id, "cannot connect to " + id + " at " + address + ": "
                                + (cause == null ? "closed" : cause.getMessage()), false);
                    }
                    if (ch != null && closed) {
                        ch.close();
                    }
                    return;
                }
                backoffNanos = 0;
                // The Hello and the waiting messages go first, before other threads see the channel.
                ch.write(Unpooled.wrappedBuffer(hello));
                for (byte[] b : pending) {
                    write(ch, b);
                }
                pending.clear();
                ch.flush();
                channel = ch;
                ch.closeFuture().addListener(f -> onClosed(ch));
            }
        }

        /** The connection closed: whatever was written to it and not answered may be lost. */
        private void onClosed(Channel ch) {
            synchronized (this) {
                if (channel != ch) {
                    return; // closed by close(), or already replaced
                }
                channel = null;
            }
            lost(id, "the connection to " + id + " closed", true);
        }

        void close() {
            Channel ch;
            synchronized (this) {
                ch = channel;
                channel = null;
            }
            if (ch != null) {
                ch.close();
            }
        }
    }

    /** Our outbound connections carry nothing back; a peer that writes to one is ignored. */
    private final class OutboundOnly extends ChannelInboundHandlerAdapter {
        private final NodeId peer;

        OutboundOnly(NodeId peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: connection to {} failed: {}", self, peer, cause.toString());
            ctx.close();
        }
    }
}

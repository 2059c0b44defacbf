package io.dynamo.net.server;

import io.dynamo.wire.netty.NettyIo;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One listening socket of the server (HTTP, the client protocol) and the life cycle both share:
 * bind, count the requests being served, stop accepting at shutdown (requests still arriving on
 * open connections are then refused), and close every connection.
 */
public final class Listener {

    private final String what;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger open = new AtomicInteger();
    private volatile Channel channel;
    private volatile boolean accepting = true;

    /** @param what what is served, for error messages ("HTTP", "the client protocol") */
    public Listener(String what) {
        this.what = what;
    }

    /**
     * Binds {@code address} (resolving it if needed) on {@code io}; {@code pipeline} sets up each
     * accepted connection. Returns the bound address.
     */
    public InetSocketAddress bind(EventLoopGroup io, InetSocketAddress address, Consumer<ChannelPipeline> pipeline) {
        ServerBootstrap b = new ServerBootstrap()
                .group(io)
                .channel(NettyIo.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        pipeline.accept(ch.pipeline());
                    }
                });
        InetSocketAddress bind = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        try {
            channel = b.bind(bind).syncUninterruptibly().channel();
        } catch (Exception e) { // also the native transport's IOException, which Netty rethrows unchecked
            throw new IllegalStateException("cannot serve " + what + " on " + address + ": " + e.getMessage(), e);
        }
        return address();
    }

    /** The bound address, or null before {@link #bind}. */
    public InetSocketAddress address() {
        Channel c = channel;
        return c == null ? null : (InetSocketAddress) c.localAddress();
    }

    /** False once {@link #stopAccepting} was called: new requests are refused. */
    public boolean accepting() {
        return accepting;
    }

    public void requestStarted() {
        open.incrementAndGet();
    }

    public void requestDone() {
        open.decrementAndGet();
    }

    /** Requests being served, over all connections. */
    public int openRequests() {
        return open.get();
    }

    /** Closes the listening socket; open connections stay, and their new requests are refused. */
    public void stopAccepting() {
        accepting = false;
        Channel c = channel;
        if (c != null) {
            c.close().syncUninterruptibly();
        }
    }

    /** Stops accepting and closes every connection. */
    public void close() {
        stopAccepting();
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}

package io.dynamo.wire.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Netty's I/O flavour for this machine: native epoll where it loads (Linux), NIO otherwise.
 * {@code -Ddynamo.netty.nio=true} forces NIO.
 */
public final class NettyIo {

    private static final boolean EPOLL = !Boolean.getBoolean("dynamo.netty.nio") && Epoll.isAvailable();

    private NettyIo() {
    }

    /** Whether native epoll is in use. */
    public static boolean epoll() {
        return EPOLL;
    }

    /** "epoll" or "nio", for logs and status pages. */
    public static String flavour() {
        return EPOLL ? "epoll" : "nio";
    }

    /** An event loop group of {@code threads} daemon threads named {@code name-N}. */
    public static EventLoopGroup group(int threads, String name) {
        IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
    }

    public static Class<? extends ServerSocketChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> clientChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}

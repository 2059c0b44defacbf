package io.dynamo.net.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler on an accepted connection of a length-prefixed protocol (the peer port, the
 * client port): it looks at the first bytes and, if they are an HTTP request or a TLS
 * ClientHello (curl or a browser pointed at the wrong port), answers with a short plain
 * HTTP/1.1 400 saying which port this is and where the HTTP API is, then closes. Otherwise it
 * removes itself and hands the bytes on untouched.
 *
 * <p>Neither can be mistaken for a frame: a frame starts with its 4-byte big-endian length, and
 * the first frame is a small Hello, so its first byte is 0.
 */
public final class WrongPortGuard extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(WrongPortGuard.class);

    /** The first four bytes of the requests curl, browsers and HTTP libraries send. */
    private static final List<String> HTTP_STARTS = List.of("GET ", "PUT ", "POST", "HEAD", "DELE", "OPTI", "PATC",
            "CONN", "TRAC", "PRI ");

    private final String what;
    private final Supplier<String> httpUrl;
    private final Runnable counter;
    private boolean answered;

    /**
     * @param what what this port is, for the answer ("the peer port of node n1, for node-to-node traffic")
     * @param httpUrl the HTTP API's URL ({@code http://HOST:PORT}), or null while it is not known
     * @param counter called once per connection answered (a connection closed for bad input)
     */
    public WrongPortGuard(String what, Supplier<String> httpUrl, Runnable counter) {
        this.what = what;
        this.httpUrl = httpUrl;
        this.counter = counter;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (answered) {
            in.skipBytes(in.readableBytes()); // the rest of the request, arriving while the answer goes out
            return;
        }
        if (in.readableBytes() < 4) {
            return; // the Hello timeout closes a connection that never sends four bytes
        }
        int at = in.readerIndex();
        String start = in.toString(at, 4, StandardCharsets.ISO_8859_1);
        boolean tls = in.getByte(at) == 0x16 && in.getByte(at + 1) == 0x03; // a TLS handshake record
        if (!tls && !HTTP_STARTS.contains(start)) {
            ctx.pipeline().remove(this); // hands what was read to the next handler
            return;
        }
        answered = true;
        in.skipBytes(in.readableBytes());
        String url = httpUrl.get();
        String body = "this is " + what + "; the HTTP API is "
                + (url != null ? "at " + url : "at the node's http_address (see its configuration)")
                + (tls ? " (plain HTTP: the node does not speak TLS)" : "") + "\n";
        counter.run();
        LOG.info("{} sent {} to {}; told it where the HTTP API is, and closed the connection",
                ctx.channel().remoteAddress(), tls ? "a TLS ClientHello" : "an HTTP request (" + start.trim() + " ...)",
                what);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n";
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.ISO_8859_1), bytes))
                .addListener(ChannelFutureListener.CLOSE);
    }
}

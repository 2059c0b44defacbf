package io.dynamo.net.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The requests Netty's HTTP codec refuses before they are whole (a request line or headers over
 * the decoder's limits, bytes that are not HTTP, a body over the aggregator's limit, an
 * expectation it cannot meet), answered like every other refusal of the API: with a JSON error
 * naming the limit and the size where known, in order with the connection's other answers.
 * Netty's own answers to these have an empty body.
 *
 * <p>Every refusal reaches the API's handler as a request whose decoding failed; the cause is a
 * {@link Refused} when this class already knows the answer.
 */
final class CodecRefusals {

    /** The longest request line (method, URI, version) the decoder reads. */
    static final int MAX_REQUEST_LINE_BYTES = 8192;
    /** The most bytes of headers the decoder reads. */
    static final int MAX_HEADER_BYTES = 16384;
    /** The largest piece of a body the decoder hands on at once (not a limit on the body). */
    static final int MAX_CHUNK_BYTES = 16384;

    private CodecRefusals() {
    }

    /** A request refused before it was whole, with its answer. */
    static final class Refused extends RuntimeException {
        final HttpError error;
        /** Whether the connection may carry on after the answer (the decoder is still in step). */
        final boolean mayKeepAlive;

        Refused(HttpError error, boolean mayKeepAlive) {
            super(error.getMessage(), null, false, false);
            this.error = error;
            this.mayKeepAlive = mayKeepAlive;
        }
    }

    /** The answer to a request the decoder could not decode. */
    static Refused refusal(Throwable cause) {
        return switch (cause) {
            case Refused r -> r;
            case TooLongHttpLineException e -> new Refused(new HttpError(HttpResponseStatus.REQUEST_URI_TOO_LONG,
                    "uri_too_long", "the request line (method, URI and version) is longer than "
                            + MAX_REQUEST_LINE_BYTES + " bytes, the most this node reads: shorten the URI (a key "
                            + "may be at most its bucket's max_key_bytes anyway)").with("limit", MAX_REQUEST_LINE_BYTES),
                    false);
            case TooLongHttpHeaderException e -> new Refused(new HttpError(
                    HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large", "the request's headers "
                            + "are larger than " + MAX_HEADER_BYTES + " bytes, the most this node reads: send fewer or "
                            + "shorter headers").with("limit", MAX_HEADER_BYTES), false);
            default -> new Refused(new HttpError(HttpResponseStatus.BAD_REQUEST, "malformed_request",
                    "the request is not valid HTTP: " + Objects.requireNonNullElse(cause.getMessage(),
                            cause.toString())), false);
        };
    }

    /** An {@code Expect} other than {@code 100-continue}, the one expectation HTTP/1.1 defines. */
    static boolean unsupportedExpectation(HttpMessage m) {
        String expect = m.headers().get(HttpHeaderNames.EXPECT);
        return expect != null && m.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0
                && !expect.equalsIgnoreCase("100-continue");
    }

    /** The 417 for {@link #unsupportedExpectation}. */
    static HttpError expectationFailed(HttpMessage m) {
        return new HttpError(HttpResponseStatus.EXPECTATION_FAILED, "expectation_failed", "Expect: "
                + m.headers().get(HttpHeaderNames.EXPECT) + " is not something this node can meet; it knows only "
                + "Expect: 100-continue (or send no Expect header)");
    }

    /**
     * The aggregator, refusing a body over its limit with the API's JSON error instead of
     * Netty's empty 413. The refusal goes to the handler to be answered in turn; the rest of the
     * body is read and dropped, so the connection stays usable when the client keeps it alive.
     * A client that sent {@code Expect: 100-continue} is refused before it sends the body, and
     * its connection closed after the answer (RFC 9110 section 10.1.1 leaves it open whether
     * the body follows anyway).
     */
    static final class Aggregator extends HttpObjectAggregator {
        /** The error for a request whose body is too large: its size, or -1 when it came without a length. */
        private final BiFunction<HttpRequest, Long, HttpError> tooLarge;

        Aggregator(int maxContentLength, BiFunction<HttpRequest, Long, HttpError> tooLarge) {
            super(maxContentLength);
            this.tooLarge = tooLarge;
        }

        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            // Only the interim 100 Continue is written here; refusals go to the handler, as JSON and in order.
            if (unsupportedExpectation(start) || isContentLengthInvalid(start, maxContentLength)) {
                return null;
            }
            return super.newContinueResponse(start, maxContentLength, pipeline);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            if (!(oversized instanceof HttpRequest request)) {
                super.handleOversizedMessage(ctx, oversized);
                return;
            }
            // A full message is one whose body came without a Content-Length and outgrew the limit.
            long size = oversized instanceof FullHttpMessage ? -1 : HttpUtil.getContentLength(request, -1L);
            DefaultFullHttpRequest refused = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                    request.uri(), Unpooled.EMPTY_BUFFER);
            refused.headers().set(request.headers());
            // A client that expected 100 Continue has not sent the body, and the decoder still waits for it: the
            // connection closes after the answer. Any other body is read and dropped, and the connection goes on.
            boolean bodyComes = !HttpUtil.is100ContinueExpected(request);
            refused.setDecoderResult(DecoderResult.failure(new Refused(tooLarge.apply(request, size), bodyComes)));
            ctx.fireChannelRead(refused);
        }
    }
}

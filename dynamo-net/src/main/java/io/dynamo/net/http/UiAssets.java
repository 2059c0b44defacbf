package io.dynamo.net.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's static files, built from {@code dynamo-ui/} into this module's resources and
 * served at {@code /ui/} by every node: no separate install, no CDN. Read from the classpath once.
 */
final class UiAssets {

    /** The resource folder the front-end build writes to. */
    static final String FOLDER = "io/dynamo/net/ui/";

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    UiAssets() {
        ClassLoader loader = UiAssets.class.getClassLoader();
        for (String name : TYPES.keySet()) {
            try (InputStream in = loader.getResourceAsStream(FOLDER + name)) {
                if (in != null) {
                    files.put(name, in.readAllBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the dashboard's " + name, e);
            }
        }
    }

    /** Whether the built dashboard is on the classpath. */
    boolean present() {
        return files.size() == TYPES.size();
    }

    /** The file {@code name} ("" for the page itself), or empty if there is no such file. */
    Optional<FullHttpResponse> file(String name) {
        String key = name.isEmpty() ? "index.html" : name;
        byte[] body = files.get(key);
        if (body == null) {
            return Optional.empty();
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPES.get(key));
        // Revalidate every time: after an upgrade the browser must not run the old front end
        // against the new endpoints. The files are small.
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        r.headers().set("X-Content-Type-Options", "nosniff");
        r.headers().set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
        return Optional.of(r);
    }
}

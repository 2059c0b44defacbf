package io.dynamo.wire;

import java.net.InetSocketAddress;

/** {@code HOST:PORT} text (IPv6 hosts in brackets), as configs, gossiped addresses and rings carry it. */
public final class HostPort {

    private HostPort() {
    }

    /** {@code address} as {@code HOST:PORT}. */
    public static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * {@code text} as an unresolved address with a port from {@code minPort} to 65535; null if it
     * is not one.
     */
    public static InetSocketAddress parse(String text, int minPort) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return null;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return port < minPort || port > 65535 || host.isEmpty() ? null
                    : InetSocketAddress.createUnresolved(host, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** As {@link #parse(String, int)} with ports 1 to 65535: an address to connect to. */
    public static InetSocketAddress parse(String text) {
        return parse(text, 1);
    }
}

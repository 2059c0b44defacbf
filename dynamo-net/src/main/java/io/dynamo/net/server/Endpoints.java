package io.dynamo.net.server;

import io.dynamo.wire.HostPort;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where a node is reached: its peer, client-protocol and HTTP addresses. A member's gossiped
 * address holds all three as {@code peer=HOST:PORT client=HOST:PORT http=HOST:PORT}.
 */
public record Endpoints(InetSocketAddress peer, InetSocketAddress client, InetSocketAddress http) {

    public String format() {
        return "peer=" + hostPort(peer) + " client=" + hostPort(client) + " http=" + hostPort(http);
    }

    /** The endpoints in a gossiped address; empty if it is not in this form (a simulated node's, say). */
    public static Optional<Endpoints> parse(String address) {
        InetSocketAddress peer = null;
        InetSocketAddress client = null;
        InetSocketAddress http = null;
        for (String part : address.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                return Optional.empty();
            }
            InetSocketAddress a = hostPort(part.substring(eq + 1));
            if (a == null) {
                return Optional.empty();
            }
            switch (part.substring(0, eq)) {
                case "peer" -> peer = a;
                case "client" -> client = a;
                case "http" -> http = a;
                default -> {
                    // a later version's endpoint: ignored
                }
            }
        }
        return peer == null || client == null || http == null ? Optional.empty()
                : Optional.of(new Endpoints(peer, client, http));
    }

    public static String hostPort(InetSocketAddress a) {
        return HostPort.format(a);
    }

    static InetSocketAddress hostPort(String text) {
        return HostPort.parse(text);
    }
}

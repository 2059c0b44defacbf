package io.dynamo.ycsb;

import io.dynamo.client.Routing;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * The binding's settings, read from YCSB's properties ({@code -p name=value} or a {@code -P} file).
 *
 * @param seeds     {@value #SEEDS}: client-protocol addresses of some nodes, {@code HOST:PORT,...}
 *                  (an IPv6 host in brackets); required
 * @param namespace {@value #NAMESPACE}: the namespace of every operation, or null to use the table
 *                  name YCSB passes (its {@code table} property, {@code usertable} by default)
 * @param r         {@value #R}: the read quorum of every get, or empty for the namespace's
 * @param w         {@value #W}: the write quorum of every put and delete, or empty for the namespace's
 * @param routing   {@value #ROUTING}: {@code client} (default; straight to a replica of the key) or
 *                  {@code server} (round-robin to any node)
 * @param timeout   {@value #TIMEOUT_MS}: the timeout of every request, in milliseconds (1 to
 *                  300,000), or null for the client's default (5 s)
 */
public record BindingSettings(List<InetSocketAddress> seeds, String namespace, OptionalInt r, OptionalInt w,
        Routing routing, Duration timeout) {

    public static final String SEEDS = "dynamo.seeds";
    public static final String NAMESPACE = "dynamo.namespace";
    public static final String R = "dynamo.r";
    public static final String W = "dynamo.w";
    public static final String ROUTING = "dynamo.routing";
    public static final String TIMEOUT_MS = "dynamo.timeout_ms";

    public BindingSettings {
        seeds = List.copyOf(seeds);
    }

    /**
     * Reads and checks the settings.
     *
     * @throws IllegalArgumentException naming the property, for a missing or malformed one
     */
    public static BindingSettings from(Properties p) {
        String seedText = p.getProperty(SEEDS);
        if (seedText == null || seedText.isBlank()) {
            throw new IllegalArgumentException(SEEDS + " is required: the client addresses (client_address) of some "
                    + "nodes, as HOST:PORT,HOST:PORT (for ./dynamo dev up, node i's is 127.0.0.1:908i), e.g. -p "
                    + SEEDS + "=127.0.0.1:9081,127.0.0.1:9082");
        }
        List<InetSocketAddress> seeds = new ArrayList<>();
        for (String part : seedText.split(",", -1)) {
            seeds.add(seed(part.trim(), seedText));
        }
        String namespace = p.getProperty(NAMESPACE);
        if (namespace != null) {
            namespace = namespace.trim();
            if (namespace.isEmpty()) {
                throw new IllegalArgumentException(NAMESPACE + " is empty: give a namespace name, or leave it out to use "
                        + "YCSB's table name");
            }
        }
        return new BindingSettings(seeds, namespace, quorum(p, R), quorum(p, W), routing(p), timeout(p));
    }

    /** The namespace of an operation on YCSB's {@code table}. */
    public String namespaceFor(String table) {
        return namespace != null ? namespace : table;
    }

    private static InetSocketAddress seed(String part, String all) {
        String problem = "";
        int colon = part.lastIndexOf(':');
        if (part.isEmpty()) {
            problem = "an empty address";
        } else if (colon <= 0 || colon == part.length() - 1) {
            problem = "'" + part + "' is not HOST:PORT";
        } else {
            String host = part.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                problem = "'" + part + "' is not HOST:PORT (write an IPv6 host in brackets: [::1]:9081)";
            }
            if (problem.isEmpty()) {
                int port = -1;
                try {
                    port = Integer.parseInt(part.substring(colon + 1));
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (port < 1 || port > 65535) {
                    problem = "'" + part + "' has no valid port (1 to 65535)";
                } else if (host.isEmpty()) {
                    problem = "'" + part + "' has no host";
                } else {
                    InetSocketAddress address = new InetSocketAddress(host, port);
                    if (!address.isUnresolved()) {
                        return address;
                    }
                    problem = "host '" + host + "' of '" + part + "' does not resolve";
                }
            }
        }
        throw new IllegalArgumentException(SEEDS + "=" + all + ": " + problem
                + "; expected HOST:PORT,HOST:PORT (client-protocol addresses)");
    }

    private static OptionalInt quorum(Properties p, String name) {
        String text = p.getProperty(name);
        if (text == null || text.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1) {
                return OptionalInt.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + text + ": expected a whole number from 1 to the namespace's N "
                + "(leave it out for the namespace's own)");
    }

    private static Routing routing(Properties p) {
        String text = p.getProperty(ROUTING);
        if (text == null || text.isBlank()) {
            return Routing.CLIENT;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "client" -> Routing.CLIENT;
            case "server" -> Routing.SERVER;
            default -> throw new IllegalArgumentException(ROUTING + "=" + text + ": expected client or server");
        };
    }

    private static Duration timeout(Properties p) {
        String text = p.getProperty(TIMEOUT_MS);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long ms = Long.parseLong(text.trim());
            if (ms >= 1 && ms <= 300_000) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(TIMEOUT_MS + "=" + text + ": expected milliseconds from 1 to 300000");
    }
}

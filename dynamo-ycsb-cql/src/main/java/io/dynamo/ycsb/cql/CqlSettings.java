package io.dynamo.ycsb.cql;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The binding's settings, read from YCSB's properties ({@code -p name=value} or a {@code -P} file).
 *
 * @param hosts              {@value #HOSTS}: contact points, {@code HOST} or {@code HOST:PORT},
 *                           comma separated (an IPv6 host with a port in brackets:
 *                           {@code [::1]:9042}); required. The driver finds the other nodes
 *                           of the cluster from them
 * @param keyspace           {@value #KEYSPACE}: the keyspace of the table (default
 *                           {@value #DEFAULT_KEYSPACE}); the session is bound to it
 * @param localDatacenter    {@value #LOCAL_DATACENTER}: the driver's local datacenter (default
 *                           {@value #DEFAULT_DATACENTER}, the one name SimpleSnitch reports); the
 *                           load balancer only sends requests to nodes of it
 * @param readConsistency    {@value #READ_CONSISTENCY}: the consistency level of reads and scans
 *                           (default {@code QUORUM}; {@code ANY} is not one for reads)
 * @param writeConsistency   {@value #WRITE_CONSISTENCY}: the consistency level of inserts,
 *                           updates and deletes (default {@code QUORUM}; not {@code SERIAL} or
 *                           {@code LOCAL_SERIAL}, which are for lightweight transactions)
 * @param timeout            {@value #TIMEOUT_MS}: the driver's request timeout, in milliseconds
 *                           (1 to 300,000; default {@value #DEFAULT_TIMEOUT_MS})
 * @param connectionsPerHost {@value #CONNECTIONS_PER_HOST}: connections to each node (1 to
 *                           {@value #MAX_CONNECTIONS_PER_HOST}), or empty for the driver's
 *                           default (1, with up to 1,024 requests in flight on it)
 * @param table              YCSB's {@value #TABLE} property (default {@value #DEFAULT_TABLE}):
 *                           the table that {@code init()} checks exists; the operations use the
 *                           table YCSB passes them, which is this one
 */
public record CqlSettings(List<InetSocketAddress> hosts, String keyspace, String localDatacenter,
        ConsistencyLevel readConsistency, ConsistencyLevel writeConsistency, Duration timeout,
        OptionalInt connectionsPerHost, String table) {

    public static final String HOSTS = "cql.hosts";
    public static final String PORT = "cql.port";
    public static final String KEYSPACE = "cql.keyspace";
    public static final String LOCAL_DATACENTER = "cql.local_datacenter";
    public static final String READ_CONSISTENCY = "cql.read_consistency";
    public static final String WRITE_CONSISTENCY = "cql.write_consistency";
    public static final String TIMEOUT_MS = "cql.timeout_ms";
    public static final String CONNECTIONS_PER_HOST = "cql.connections_per_host";
    /** YCSB's own property (CoreWorkload's {@code table}). */
    public static final String TABLE = "table";

    public static final int DEFAULT_PORT = 9042;
    public static final String DEFAULT_KEYSPACE = "ycsb";
    public static final String DEFAULT_DATACENTER = "datacenter1";
    public static final String DEFAULT_CONSISTENCY = "QUORUM";
    public static final long DEFAULT_TIMEOUT_MS = 2000;
    public static final int MAX_CONNECTIONS_PER_HOST = 1024;
    public static final String DEFAULT_TABLE = "usertable";

    public CqlSettings {
        hosts = List.copyOf(hosts);
    }

    /**
     * Reads and checks the settings.
     *
     * @throws IllegalArgumentException naming the property, for a missing or malformed one
     */
    public static CqlSettings from(Properties p) {
        String hostText = p.getProperty(HOSTS);
        if (hostText == null || hostText.isBlank()) {
            throw new IllegalArgumentException(HOSTS + " is required: the CQL contact points of some Cassandra nodes, "
                    + "as HOST or HOST:PORT, comma separated (the port defaults to " + PORT + ", " + DEFAULT_PORT
                    + "), e.g. -p " + HOSTS + "=10.0.0.1,10.0.0.2");
        }
        int port = port(p.getProperty(PORT), PORT);
        List<InetSocketAddress> hosts = hosts(hostText, port, HOSTS);
        String keyspace = name(p, KEYSPACE, DEFAULT_KEYSPACE);
        String datacenter = name(p, LOCAL_DATACENTER, DEFAULT_DATACENTER);
        String table = name(p, TABLE, DEFAULT_TABLE);
        ConsistencyLevel read = consistency(p, READ_CONSISTENCY, true);
        ConsistencyLevel write = consistency(p, WRITE_CONSISTENCY, false);
        return new CqlSettings(hosts, keyspace, datacenter, read, write, timeout(p), connections(p), table);
    }

    /**
     * Parses a port number.
     *
     * @param text the number, or null or blank for {@link #DEFAULT_PORT}
     * @param name the property or option named in the error
     * @throws IllegalArgumentException unless it is a whole number from 1 to 65535
     */
    static int port(String text, String name) {
        if (text == null || text.isBlank()) {
            return DEFAULT_PORT;
        }
        int port = parsePort(text.trim());
        if (port < 0) {
            throw new IllegalArgumentException(name + "=" + text + ": expected a port number from 1 to 65535");
        }
        return port;
    }

    /**
     * Parses and resolves a list of contact points, {@code HOST} or {@code HOST:PORT}, comma
     * separated: a host without a port gets {@code defaultPort}. An IPv6 address is written in
     * brackets when it has a port ({@code [::1]:9042}); bare ({@code ::1}) it has none.
     *
     * @param name the property or option named in the error
     * @throws IllegalArgumentException for an empty entry, a bad port or a host that does not resolve
     */
    static List<InetSocketAddress> hosts(String text, int defaultPort, String name) {
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            hosts.add(host(part.trim(), defaultPort, name, text));
        }
        return hosts;
    }

    private static InetSocketAddress host(String part, int defaultPort, String name, String all) {
        String host;
        String portText = null;
        String problem = null;
        if (part.isEmpty()) {
            problem = "an empty host";
            host = "";
        } else if (part.startsWith("[")) {
            int close = part.indexOf(']');
            host = close < 0 ? "" : part.substring(1, close);
            String rest = close < 0 ? "" : part.substring(close + 1);
            if (close < 0 || !(rest.isEmpty() || rest.startsWith(":"))) {
                problem = "'" + part + "' is not [IPV6] or [IPV6]:PORT";
            } else if (!rest.isEmpty()) {
                portText = rest.substring(1);
            }
        } else {
            int colon = part.indexOf(':');
            if (colon >= 0 && colon == part.lastIndexOf(':')) {
                host = part.substring(0, colon);
                portText = part.substring(colon + 1);
            } else {
                host = part; // no colon, or several: a bare IPv6 address
            }
        }
        if (problem == null && host.isEmpty()) {
            problem = "'" + part + "' has no host";
        }
        int port = defaultPort;
        if (problem == null && portText != null) {
            port = parsePort(portText);
            if (port < 0) {
                problem = "'" + part + "' has no valid port (1 to 65535)";
            }
        }
        if (problem == null) {
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (!address.isUnresolved()) {
                return address;
            }
            problem = "host '" + host + "' does not resolve";
        }
        throw new IllegalArgumentException(name + "=" + all + ": " + problem
                + "; expected HOST or HOST:PORT, comma separated (an IPv6 address with a port in brackets: "
                + "[::1]:9042)");
    }

    /** Contact points as {@code HOST:PORT,...} (an IPv6 host in brackets), as {@link #hosts} reads them. */
    static String format(List<InetSocketAddress> hosts) {
        return hosts.stream().map(a -> {
            String host = a.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }).collect(Collectors.joining(","));
    }

    /** The port, or -1 if the text is not a whole number from 1 to 65535. */
    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 1 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String name(Properties p, String property, String fallback) {
        String text = p.getProperty(property);
        if (text == null) {
            return fallback;
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException(property + " is empty: give a name, or leave it out for " + fallback);
        }
        return text.trim();
    }

    /**
     * Parses a consistency level name (case insensitive, {@code -} for {@code _} accepted).
     *
     * @param forReads whether it is for reads ({@code ANY} is refused) or writes ({@code SERIAL}
     *                 and {@code LOCAL_SERIAL} are refused)
     * @throws IllegalArgumentException naming the property and the valid levels
     */
    static ConsistencyLevel consistency(String text, String name, boolean forReads) {
        String level = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        List<DefaultConsistencyLevel> valid = validLevels(forReads);
        for (DefaultConsistencyLevel candidate : valid) {
            if (candidate.name().equals(level)) {
                return candidate;
            }
        }
        String why = "";
        if (Arrays.stream(DefaultConsistencyLevel.values()).anyMatch(l -> l.name().equals(level))) {
            why = forReads ? " (" + level + " is not a consistency level for reads)"
                    : " (" + level + " is for the conditions of lightweight transactions, not for writes)";
        }
        throw new IllegalArgumentException(name + "=" + text + ": not a consistency level" + why + "; expected one of "
                + valid.stream().map(Enum::name).collect(Collectors.joining(", ")));
    }

    private static List<DefaultConsistencyLevel> validLevels(boolean forReads) {
        return Arrays.stream(DefaultConsistencyLevel.values())
                .filter(l -> forReads ? l != DefaultConsistencyLevel.ANY
                        : l != DefaultConsistencyLevel.SERIAL && l != DefaultConsistencyLevel.LOCAL_SERIAL)
                .toList();
    }

    private static ConsistencyLevel consistency(Properties p, String name, boolean forReads) {
        String text = p.getProperty(name);
        return consistency(text == null || text.isBlank() ? DEFAULT_CONSISTENCY : text, name, forReads);
    }

    private static Duration timeout(Properties p) {
        String text = p.getProperty(TIMEOUT_MS);
        if (text == null || text.isBlank()) {
            return Duration.ofMillis(DEFAULT_TIMEOUT_MS);
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

    private static OptionalInt connections(Properties p) {
        String text = p.getProperty(CONNECTIONS_PER_HOST);
        if (text == null || text.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= MAX_CONNECTIONS_PER_HOST) {
                return OptionalInt.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(CONNECTIONS_PER_HOST + "=" + text + ": expected a whole number from 1 to "
                + MAX_CONNECTIONS_PER_HOST + " (leave it out for the driver's default, 1)");
    }
}

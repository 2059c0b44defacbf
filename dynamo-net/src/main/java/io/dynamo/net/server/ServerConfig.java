package io.dynamo.net.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.StorageLimits;
import io.dynamo.server.coordinator.NamespaceProperties;
import io.dynamo.storage.rocksdb.RocksDbConfig;
import io.dynamo.wire.netty.Frames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A server's settings, read from a YAML file ({@code ./dynamo server --config node.yaml}) with
 * environment overrides, and validated before anything starts: a bad value fails with a message
 * naming the key and the value. Every key and its default are listed in {@link #KEYS} and in
 * {@code docs/configuration.md}.
 *
 * <p>An environment variable {@code DYNAMO_} + the key in upper case, dots as underscores,
 * overrides the file: {@code DYNAMO_HTTP_ADDRESS=0.0.0.0:8081},
 * {@code DYNAMO_DEFAULTS_W=3}, {@code DYNAMO_SEEDS=n1@10.0.0.1:7001,n2@10.0.0.2:7001}.
 */
public record ServerConfig(NodeId nodeId, String clusterName, String zone, Path dataDir, InetSocketAddress peerAddress,
        InetSocketAddress clientAddress, InetSocketAddress httpAddress, String advertiseHost,
        Map<NodeId, InetSocketAddress> seeds, List<NodeId> initialMembers, int partitions,
        NamespaceProperties defaults, Map<String, NamespaceProperties> namespaces, Duration gossipInterval,
        Duration replicaTimeout, int maxInFlight, int maxFrameBytes, int ioThreads, RocksDbConfig storage,
        Duration shutdownGrace, boolean allowAnyNamespace, boolean faultInjection) {

    /** Every key this version knows, with its default ("" for required or computed ones). */
    public static final Map<String, String> KEYS;

    static {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("node_id", "");
        k.put("cluster_name", ClusterState.DEFAULT_NAME);
        k.put("zone", "default");
        k.put("data_dir", "");
        k.put("peer_address", "127.0.0.1:7000");
        k.put("client_address", "127.0.0.1:9000");
        k.put("http_address", "127.0.0.1:8080");
        k.put("advertise_host", "");
        k.put("seeds", "");
        k.put("initial_members", "");
        k.put("partitions", "64");
        k.put("defaults.n", "3");
        k.put("defaults.r", "2");
        k.put("defaults.w", "2");
        k.put("defaults.dw", "1");
        k.put("defaults.conflict_mode", "siblings");
        k.put("defaults.max_key_bytes", Integer.toString(StorageLimits.DEFAULTS.maxKeyBytes()));
        k.put("defaults.max_value_bytes", Integer.toString(StorageLimits.DEFAULTS.maxValueBytes()));
        k.put("defaults.max_siblings", Integer.toString(StorageLimits.DEFAULTS.maxSiblings()));
        k.put("namespaces", "");
        k.put("allow_any_namespace", "true");
        k.put("fault_injection", "false");
        k.put("gossip_interval_ms", "1000");
        k.put("replica_timeout_ms", "1000");
        k.put("max_in_flight", "1024");
        k.put("max_frame_bytes", Integer.toString(Frames.DEFAULT_MAX_FRAME_BYTES));
        k.put("io_threads", "2");
        k.put("shutdown_grace_ms", "10000");
        k.put("storage.flush_interval_ms", "1000");
        k.put("storage.block_cache_mb", "256");
        k.put("storage.write_buffer_mb", "64");
        k.put("storage.compression", "lz4");
        KEYS = java.util.Collections.unmodifiableMap(k);
    }

    /** A setting that is missing or bad; its message names the key and the value. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    /** Reads {@code file} with overrides from the process environment. */
    public static ServerConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Reads {@code file} (null: no file) with overrides from {@code env}. */
    public static ServerConfig load(Path file, Map<String, String> env) {
        ObjectNode tree;
        if (file == null) {
            tree = JsonNodeFactory.instance.objectNode();
        } else {
            try {
                JsonNode read = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
                if (read == null || read.isMissingNode() || read.isNull()) {
                    tree = JsonNodeFactory.instance.objectNode();
                } else if (!read.isObject()) {
                    throw new ConfigException(file + ": expected a YAML mapping of settings");
                } else {
                    tree = (ObjectNode) read;
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read " + file + ": " + e.getMessage());
            }
        }
        return fromTree(flatten(tree), env, file == null ? "config" : file.toString());
    }

    /** Builds a config from flat {@code key -> value} settings (as the keys in {@link #KEYS}). */
    public static ServerConfig of(Map<String, String> settings) {
        return fromTree(new LinkedHashMap<>(settings), Map.of(), "config");
    }

    private static Map<String, String> flatten(ObjectNode tree) {
        Map<String, String> flat = new LinkedHashMap<>();
        flattenInto("", tree, flat);
        return flat;
    }

    private static void flattenInto(String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix + f.getKey();
            JsonNode v = f.getValue();
            boolean namespace = prefix.equals("namespaces."); // one namespace: a mapping of its properties
            if (namespace && !v.isObject()) {
                throw new ConfigException("namespaces." + f.getKey() + ": expected a mapping of properties (n, r, w, ...)");
            }
            if (namespace && v.isEmpty()) {
                out.put(key + ".", ""); // a namespace of the defaults' properties: keep its name
            }
            if (v.isObject() && (key.equals("defaults") || key.equals("storage") || key.equals("namespaces")
                    || namespace)) {
                flattenInto(key + ".", v, out);
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(item.asText()));
                out.put(key, String.join(",", items));
            } else if (v.isObject()) {
                throw new ConfigException(key + ": expected a single value, not a mapping");
            } else {
                out.put(key, v.isNull() ? "" : v.asText());
            }
        }
    }

    private static ServerConfig fromTree(Map<String, String> flat, Map<String, String> env, String source) {
        for (String key : flat.keySet()) {
            if (!KEYS.containsKey(key) && !key.startsWith("namespaces.")) {
                throw new ConfigException(source + ": unknown setting '" + key + "'; known settings: "
                        + String.join(", ", KEYS.keySet()));
            }
        }
        Map<String, String> v = new LinkedHashMap<>();
        KEYS.forEach((key, def) -> v.put(key, flat.getOrDefault(key, def)));
        for (String key : KEYS.keySet()) {
            String name = envName(key);
            if (env.containsKey(name)) {
                v.put(key, env.get(name));
            }
        }
        Reader r = new Reader(v, source);
        NodeId nodeId = r.nodeId("node_id", r.required("node_id"));
        String cluster = r.clusterName();
        String zone = r.text("zone");
        if (zone.isBlank()) {
            throw r.bad("zone", zone, "a non-empty zone name");
        }
        Path dataDir = Path.of(r.required("data_dir"));
        InetSocketAddress peer = r.address("peer_address");
        InetSocketAddress client = r.address("client_address");
        InetSocketAddress http = r.address("http_address");
        Set<Integer> ports = new TreeSet<>();
        for (InetSocketAddress a : List.of(peer, client, http)) {
            if (a.getPort() != 0 && !ports.add(a.getPort())) {
                throw new ConfigException(source + ": peer_address, client_address and http_address must use "
                        + "different ports; " + a.getPort() + " is used twice");
            }
        }
        Map<NodeId, InetSocketAddress> seeds = r.seeds("seeds");
        List<NodeId> initial = new ArrayList<>();
        for (String id : r.list("initial_members")) {
            initial.add(r.nodeId("initial_members", id));
        }
        if (initial.contains(nodeId) && initial.size() > 1) {
            for (NodeId other : initial) {
                if (!other.equals(nodeId) && !seeds.containsKey(other)) {
                    throw new ConfigException(source + ": seeds must give the address of every other initial member ("
                            + other + " is missing), as in seeds: [" + other + "@HOST:PEER_PORT]");
                }
            }
        }
        if (!initial.isEmpty() && new TreeSet<>(initial).size() != initial.size()) {
            throw r.bad("initial_members", v.get("initial_members"), "distinct node ids");
        }
        int partitions = r.integer("partitions", 1, 1 << 16);
        NamespaceProperties defaults = r.namespace("defaults", NamespaceProperties.DEFAULTS);
        Map<String, NamespaceProperties> namespaces = new TreeMap<>();
        Set<String> names = new TreeSet<>();
        for (String key : flat.keySet()) {
            if (key.startsWith("namespaces.")) {
                String rest = key.substring("namespaces.".length());
                int dot = rest.lastIndexOf('.');
                names.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        for (String name : names) {
            try {
                NamespaceProperties.checkName(name);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source + ": namespaces." + name + ": " + e.getMessage());
            }
            Map<String, String> props = new LinkedHashMap<>();
            String prefix = "namespaces." + name + ".";
            flat.forEach((key, value) -> {
                if (key.startsWith(prefix) && key.length() > prefix.length()) {
                    props.put(key.substring(prefix.length()), value);
                }
            });
            NamespaceProperties properties;
            try {
                properties = defaults.with(props);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source + ": namespaces." + name + ": " + e.getMessage());
            }
            if (properties.limits().maxSiblings() != defaults.limits().maxSiblings()) {
                throw new ConfigException(source + ": namespaces." + name + ".max_siblings: the sibling limit is "
                        + "the storage engine's, the same for every bucket; set defaults.max_siblings instead");
            }
            namespaces.put(name, properties);
        }
        Duration gossip = r.millis("gossip_interval_ms", 10, 60_000);
        Duration replicaTimeout = r.millis("replica_timeout_ms", 10, 600_000);
        int maxInFlight = r.integer("max_in_flight", 1, 1 << 20);
        int maxFrame = r.integer("max_frame_bytes", 64 * 1024, 1 << 30);
        int largestValue = defaults.limits().maxValueBytes();
        for (NamespaceProperties p : namespaces.values()) {
            largestValue = Math.max(largestValue, p.limits().maxValueBytes());
        }
        if (maxFrame < largestValue + 64 * 1024) {
            throw new ConfigException(source + ": max_frame_bytes (" + maxFrame + ") must exceed the largest "
                    + "max_value_bytes (" + largestValue + ") by 64 KiB, or such values could never be replicated");
        }
        int ioThreads = r.integer("io_threads", 1, 64);
        Duration grace = r.millis("shutdown_grace_ms", 0, 600_000);
        RocksDbConfig storage;
        try {
            storage = RocksDbConfig.defaults(dataDir.resolve("rocksdb"))
                    .withFlushInterval(r.millis("storage.flush_interval_ms", 1, 600_000))
                    .withCache((long) r.integer("storage.block_cache_mb", 0, 1 << 20) << 20,
                            (long) r.integer("storage.write_buffer_mb", 1, 1 << 16) << 20)
                    .withCompression(r.compression("storage.compression"))
                    .withLimits(storageLimits(defaults, namespaces.values()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        return new ServerConfig(nodeId, cluster, zone, dataDir, peer, client, http, r.text("advertise_host"), seeds,
                List.copyOf(initial), partitions, defaults, namespaces, gossip, replicaTimeout, maxInFlight, maxFrame,
                ioThreads, storage, grace, r.bool("allow_any_namespace"),
                r.bool("fault_injection"));
    }

    /**
     * The limits storage enforces for every namespace: the longest key and largest value any
     * namespace allows (the coordinator holds each namespace to its own), the defaults' sibling cap.
     */
    private static StorageLimits storageLimits(NamespaceProperties defaults, Iterable<NamespaceProperties> namespaces) {
        StorageLimits d = defaults.limits();
        int key = d.maxKeyBytes();
        int value = d.maxValueBytes();
        for (NamespaceProperties p : namespaces) {
            key = Math.max(key, p.limits().maxKeyBytes());
            value = Math.max(value, p.limits().maxValueBytes());
        }
        return new StorageLimits(key, value, d.maxSiblings());
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "DYNAMO_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** The host other nodes and clients use to reach this one. */
    public String publicHost() {
        if (!advertiseHost.isBlank()) {
            return advertiseHost;
        }
        String host = peerAddress.getHostString();
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    /** Whether this node forms a new cluster (it is one of the initial members) rather than joining one. */
    public boolean formsCluster() {
        return initialMembers.contains(nodeId);
    }

    /** Typed reads of the flat settings, each failing with the key and the value. */
    private record Reader(Map<String, String> values, String source) {

        String text(String key) {
            return values.get(key).trim();
        }

        String required(String key) {
            String value = text(key);
            if (value.isEmpty()) {
                throw new ConfigException(source + ": " + key + " is required (or set " + envName(key) + ")");
            }
            return value;
        }

        ConfigException bad(String key, String value, String expected) {
            return new ConfigException(source + ": " + key + ": bad value '" + value + "', expected " + expected);
        }

        NodeId nodeId(String key, String value) {
            try {
                return NodeId.of(value.trim());
            } catch (IllegalArgumentException e) {
                throw bad(key, value, "a node id (" + e.getMessage() + ")");
            }
        }

        String clusterName() {
            String value = text("cluster_name");
            try {
                ClusterState.checkName(value);
            } catch (IllegalArgumentException e) {
                throw bad("cluster_name", value, "a valid cluster name (" + e.getMessage() + ")");
            }
            if (value.isEmpty()) {
                throw bad("cluster_name", value, "a non-empty cluster name");
            }
            return value;
        }

        int integer(String key, int min, int max) {
            String value = text(key);
            try {
                int i = Integer.parseInt(value);
                if (i < min || i > max) {
                    throw bad(key, value, "a whole number from " + min + " to " + max);
                }
                return i;
            } catch (NumberFormatException e) {
                throw bad(key, value, "a whole number from " + min + " to " + max);
            }
        }

        boolean bool(String key) {
            String value = text(key);
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw bad(key, value, "true or false");
            };
        }

        Duration millis(String key, int min, int max) {
            return Duration.ofMillis(integer(key, min, max));
        }

        InetSocketAddress address(String key) {
            return parseAddress(key, text(key));
        }

        InetSocketAddress parseAddress(String key, String value) {
            InetSocketAddress a = io.dynamo.wire.HostPort.parse(value, 0);
            if (a == null) {
                throw bad(key, value, "host:port with a port from 0 to 65535, such as 127.0.0.1:8081");
            }
            return a;
        }

        List<String> list(String key) {
            List<String> out = new ArrayList<>();
            for (String item : text(key).split(",")) {
                if (!item.isBlank()) {
                    out.add(item.trim());
                }
            }
            return out;
        }

        Map<NodeId, InetSocketAddress> seeds(String key) {
            Map<NodeId, InetSocketAddress> out = new LinkedHashMap<>();
            for (String item : list(key)) {
                int at = item.indexOf('@');
                if (at <= 0) {
                    throw bad(key, item, "node@host:port, such as n1@127.0.0.1:7001");
                }
                out.put(nodeId(key, item.substring(0, at)), parseAddress(key, item.substring(at + 1)));
            }
            return out;
        }

        NamespaceProperties namespace(String prefix, NamespaceProperties base) {
            Map<String, String> props = new LinkedHashMap<>();
            values.forEach((key, value) -> {
                if (key.startsWith(prefix + ".")) {
                    props.put(key.substring(prefix.length() + 1), value);
                }
            });
            try {
                return base.with(props);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source + ": " + prefix + ": " + e.getMessage());
            }
        }

        RocksDbConfig.Compression compression(String key) {
            String value = text(key);
            try {
                return RocksDbConfig.Compression.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(key, value, "one of none, lz4, zstd, snappy");
            }
        }
    }
}

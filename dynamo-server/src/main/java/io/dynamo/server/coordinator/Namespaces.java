package io.dynamo.server.coordinator;

import io.dynamo.core.membership.NamespaceSetting;
import io.dynamo.server.NodeConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The properties every namespace has at this node: the node's configuration (its defaults and
 * its {@code namespaces} section), overridden by the operators' settings the cluster state
 * carries ({@link NamespaceSetting}), which an admin command makes at one node and gossip takes
 * to all. A setting holds the whole property map, so every node that has heard of it uses the
 * same properties whatever its own file says; a reset (an empty setting) sends the namespace
 * back to each node's configuration.
 *
 * <p>{@link #refresh} runs on the node's thread whenever the cluster state changes; it
 * publishes an immutable {@link View} that any thread may read ({@link #view}), so the HTTP and
 * client-protocol threads see what the node sees, at most one state change late.
 *
 * <p>A gossiped setting this node cannot apply (a bad value, written by a newer node) is left out,
 * with the reason in {@link View#problems}; the namespace keeps this node's configured
 * properties. Properties this node does not know are ignored, and named there too.
 */
public final class Namespaces {

    /** The properties of every namespace, as of one cluster state. Immutable. */
    public static final class View {
        private final NamespaceProperties defaults;
        private final Map<String, NamespaceProperties> defined;
        private final Map<String, NamespaceSetting> settings;
        private final Map<String, String> problems;
        private final int largestN;
        private final Set<Integer> replicationFactors;

        View(NamespaceProperties defaults, Map<String, NamespaceProperties> defined,
                Map<String, NamespaceSetting> settings, Map<String, String> problems) {
            this.defaults = defaults;
            this.problems = Collections.unmodifiableMap(new TreeMap<>(problems));
            this.defined = Collections.unmodifiableMap(new TreeMap<>(defined));
            this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
            Set<Integer> factors = new TreeSet<>();
            factors.add(defaults.n());
            defined.values().forEach(p -> factors.add(p.n()));
            this.replicationFactors = Collections.unmodifiableSet(factors);
            this.largestN = ((TreeSet<Integer>) factors).last();
        }

        /** The properties of {@code namespace}, after checking its name. */
        public NamespaceProperties properties(String namespace) {
            NamespaceProperties.checkName(namespace);
            return defined.getOrDefault(namespace, defaults);
        }

        /** Whether {@code namespace} has properties of its own: configured, or set by an operator. */
        public boolean isDefined(String namespace) {
            return defined.containsKey(namespace);
        }

        /** Every namespace with properties of its own, by name. */
        public Map<String, NamespaceProperties> defined() {
            return defined;
        }

        /** The properties of every namespace without its own. */
        public NamespaceProperties defaults() {
            return defaults;
        }

        /** The operator's setting in force for {@code namespace}, if one was made (a reset included). */
        public Optional<NamespaceSetting> setting(String namespace) {
            return Optional.ofNullable(settings.get(namespace));
        }

        /** Why this node could not apply an operator's setting, or part of it, by namespace. */
        public Map<String, String> problems() {
            return problems;
        }

        /** The largest N of any namespace: how many owners a partition has at most. */
        public int largestN() {
            return largestN;
        }

        /** Every replication factor in use (ring changes move partitions for each). */
        public Set<Integer> replicationFactors() {
            return replicationFactors;
        }
    }

    private final NodeConfig config;
    private final Supplier<SortedMap<String, NamespaceSetting>> settings;
    private SortedMap<String, NamespaceSetting> applied; // node thread
    private volatile View view;

    /**
     * @param config this node's configuration
     * @param settings the operators' settings in the current cluster state (read on the node's
     *     thread, by {@link #refresh})
     */
    public Namespaces(NodeConfig config, Supplier<SortedMap<String, NamespaceSetting>> settings) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(settings, "settings");
        refresh();
    }

    /** The configuration alone, for a node without membership (nothing is ever set at run time). */
    public static Namespaces fixed(NodeConfig config) {
        return new Namespaces(config, Collections::emptySortedMap);
    }

    /** The properties as of the last {@link #refresh}; any thread. */
    public View view() {
        return view;
    }

    /** Shorthand for {@code view().properties(namespace)}. */
    public NamespaceProperties properties(String namespace) {
        return view.properties(namespace);
    }

    /** Publishes the properties of the current cluster state, if its settings changed. Node thread. */
    public void refresh() {
        SortedMap<String, NamespaceSetting> now = settings.get();
        if (now == applied) {
            return;
        }
        Map<String, NamespaceProperties> defined = new LinkedHashMap<>(config.namespaces());
        Map<String, String> problems = new TreeMap<>();
        for (Map.Entry<String, NamespaceSetting> e : now.entrySet()) {
            String name = e.getKey();
            NamespaceSetting s = e.getValue();
            if (s.isReset()) {
                continue; // back to the configuration: already in defined, or the defaults
            }
            try {
                NamespaceProperties.checkName(name);
                NamespaceProperties base = config.namespaces().getOrDefault(name, config.defaults());
                Map<String, String> known = new TreeMap<>(s.properties());
                known.keySet().retainAll(base.toMap().keySet());
                if (known.size() != s.properties().size()) {
                    problems.put(name, "ignored properties this node does not know: "
                            + unknown(s.properties(), base));
                }
                defined.put(name, base.with(known));
            } catch (IllegalArgumentException ex) {
                problems.put(name, "cannot apply the setting made at " + s.by() + " (version " + s.version()
                        + "): " + ex.getMessage() + "; this node keeps its configured properties");
            }
        }
        view = new View(config.defaults(), defined, now, problems);
        applied = now;
    }

    private static Set<String> unknown(Map<String, String> properties, NamespaceProperties base) {
        Set<String> out = new TreeSet<>(properties.keySet());
        out.removeAll(base.toMap().keySet());
        return out;
    }
}

package io.dynamo.server;

import io.dynamo.core.ring.NodeId;
import io.dynamo.server.admission.AdmissionController;
import io.dynamo.server.coordinator.NamespaceProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One node's settings, validated on construction: a bad value fails with a message naming it.
 *
 * @param self this node's id
 * @param defaults the properties of every namespace not listed in {@code namespaces} (as in Riak,
 *     any valid namespace name may be used without creating it first)
 * @param namespaces namespaces with properties of their own
 * @param maxInFlight requests this node coordinates at once; past it a request fails with an
 *     overload error instead of queueing
 * @param replicaTimeout how long a coordinator waits for one replica before counting it failed
 *     and marking it unreachable for routing
 * @param readRepairWait how long a get waits, after answering, for the replicas that had not
 *     answered yet, before repairing the stale ones it has heard from
 * @param probeInterval how often an unreachable peer is pinged
 * @param hintInterval how often the hint deliverer looks for hints to deliver
 * @param hintBatch hints in flight to one target at most
 * @param hintsPerSecond delivery rate limit over all targets
 * @param hintBackoffMin first wait after a failed delivery to a target
 * @param hintBackoffMax longest wait between delivery attempts to a target
 * @param tombstoneGrace how long after a delete that all N owners acknowledged its coordinator
 *     waits before it checks that no node holds a hint for the key and purges the tombstone;
 *     longer than {@code replicaTimeout + readRepairWait}, and than any delay a message may see
 * @param antiEntropyInterval how often the node starts an anti-entropy exchange of its next
 *     partition (one at a time)
 * @param transferInterval how often the node looks for ownership transfers to run, and for
 *     partitions to hand off and drop
 * @param transferBatch keys per chunk of a transfer stream
 * @param handoffDelay how long a ring must have been in force before a node that no longer owns
 *     a partition hands it off and drops it (time for every node to learn the ring)
 * @param admission how the admission controller shares the node between foreground requests and
 *     background work (hint delivery, anti-entropy, transfers)
 */
public record NodeConfig(NodeId self, NamespaceProperties defaults, Map<String, NamespaceProperties> namespaces,
        int maxInFlight, Duration replicaTimeout, Duration readRepairWait, Duration probeInterval,
        Duration hintInterval, int hintBatch, int hintsPerSecond, Duration hintBackoffMin, Duration hintBackoffMax,
        Duration tombstoneGrace, Duration antiEntropyInterval, Duration transferInterval, int transferBatch,
        Duration handoffDelay, AdmissionController.Settings admission) {

    public NodeConfig {
        if (admission == null) {
            throw new IllegalArgumentException(
                    "admission settings are required (AdmissionController.Settings.DEFAULTS)");
        }
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(defaults, "defaults");
        namespaces = Map.copyOf(new TreeMap<>(namespaces));
        namespaces.keySet().forEach(NamespaceProperties::checkName);
        positive("max_in_flight", maxInFlight);
        positive("replica_timeout", replicaTimeout);
        positive("read_repair_wait", readRepairWait);
        positive("probe_interval", probeInterval);
        positive("hint_interval", hintInterval);
        positive("hint_batch", hintBatch);
        positive("hints_per_second", hintsPerSecond);
        positive("hint_backoff_min", hintBackoffMin);
        positive("hint_backoff_max", hintBackoffMax);
        positive("tombstone_grace", tombstoneGrace);
        positive("anti_entropy_interval", antiEntropyInterval);
        positive("transfer_interval", transferInterval);
        positive("transfer_batch", transferBatch);
        positive("handoff_delay", handoffDelay);
        Duration inFlight = replicaTimeout.plus(readRepairWait);
        if (tombstoneGrace.compareTo(inFlight) <= 0) {
            throw new IllegalArgumentException("tombstone_grace (" + tombstoneGrace.toMillis()
                    + " ms) must be longer than replica_timeout + read_repair_wait (" + inFlight.toMillis()
                    + " ms): writes and repairs still in flight when a tombstone is purged would bring "
                    + "the deleted value back");
        }
        if (hintBackoffMax.compareTo(hintBackoffMin) < 0) {
            throw new IllegalArgumentException("hint_backoff_max (" + hintBackoffMax.toMillis()
                    + " ms) must not be below hint_backoff_min (" + hintBackoffMin.toMillis() + " ms)");
        }
    }

    /**
     * The defaults for {@code self}: N=3 R=2 W=2 DW=1 namespaces, 1,024 requests in flight, 1 s
     * replica timeout, 10 s tombstone grace, an anti-entropy exchange every 2 s, transfers looked
     * for every 500 ms in chunks of 256 keys, partitions handed off 10 s after a ring change,
     * and {@link AdmissionController.Settings#DEFAULTS admission control's defaults}.
     */
    public static NodeConfig defaults(NodeId self) {
        return new NodeConfig(self, NamespaceProperties.DEFAULTS, Map.of(), 1024, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(200), 64, 1000,
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofMillis(500), 256, Duration.ofSeconds(10), AdmissionController.Settings.DEFAULTS);
    }

    /**
     * The properties {@code namespace} has by this configuration, after checking its name.
     * Operators may override them cluster-wide at run time: the node reads
     * {@link io.dynamo.server.coordinator.Namespaces}, not this.
     */
    public NamespaceProperties namespace(String namespace) {
        NamespaceProperties.checkName(namespace);
        return namespaces.getOrDefault(namespace, defaults);
    }

    public NodeConfig withNamespace(String name, NamespaceProperties properties) {
        Map<String, NamespaceProperties> all = new TreeMap<>(namespaces);
        all.put(NamespaceProperties.checkName(name), properties);
        return change(b -> b.namespaces = all);
    }

    public NodeConfig withDefaults(NamespaceProperties properties) {
        return change(b -> b.defaults = properties);
    }

    public NodeConfig withMaxInFlight(int limit) {
        return change(b -> b.maxInFlight = limit);
    }

    public NodeConfig withReplicaTimeout(Duration timeout) {
        return change(b -> b.replicaTimeout = timeout);
    }

    public NodeConfig withHintDelivery(Duration interval, int batch, int perSecond, Duration backoffMin,
            Duration backoffMax) {
        return change(b -> {
            b.hintInterval = interval;
            b.hintBatch = batch;
            b.hintsPerSecond = perSecond;
            b.hintBackoffMin = backoffMin;
            b.hintBackoffMax = backoffMax;
        });
    }

    public NodeConfig withTombstoneGrace(Duration grace) {
        return change(b -> b.tombstoneGrace = grace);
    }

    public NodeConfig withAntiEntropyInterval(Duration interval) {
        return change(b -> b.antiEntropyInterval = interval);
    }

    public NodeConfig withTransfers(Duration interval, int batch, Duration handoffDelay) {
        return change(b -> {
            b.transferInterval = interval;
            b.transferBatch = batch;
            b.handoffDelay = handoffDelay;
        });
    }

    public NodeConfig withAdmission(AdmissionController.Settings settings) {
        return change(b -> b.admission = settings);
    }

    /** This config with {@code edit} applied to a copy of its values; validated like any config. */
    private NodeConfig change(java.util.function.Consumer<Values> edit) {
        Values v = new Values(this);
        edit.accept(v);
        return new NodeConfig(self, v.defaults, v.namespaces, v.maxInFlight, v.replicaTimeout, v.readRepairWait,
                v.probeInterval, v.hintInterval, v.hintBatch, v.hintsPerSecond, v.hintBackoffMin, v.hintBackoffMax,
                v.tombstoneGrace, v.antiEntropyInterval, v.transferInterval, v.transferBatch, v.handoffDelay,
                v.admission);
    }

    /** The mutable values {@link #change} edits. */
    private static final class Values {
        NamespaceProperties defaults;
        Map<String, NamespaceProperties> namespaces;
        int maxInFlight;
        Duration replicaTimeout;
        Duration readRepairWait;
        Duration probeInterval;
        Duration hintInterval;
        int hintBatch;
        int hintsPerSecond;
        Duration hintBackoffMin;
        Duration hintBackoffMax;
        Duration tombstoneGrace;
        Duration antiEntropyInterval;
        Duration transferInterval;
        int transferBatch;
        Duration handoffDelay;
        AdmissionController.Settings admission;

        Values(NodeConfig c) {
            defaults = c.defaults;
            namespaces = c.namespaces;
            maxInFlight = c.maxInFlight;
            replicaTimeout = c.replicaTimeout;
            readRepairWait = c.readRepairWait;
            probeInterval = c.probeInterval;
            hintInterval = c.hintInterval;
            hintBatch = c.hintBatch;
            hintsPerSecond = c.hintsPerSecond;
            hintBackoffMin = c.hintBackoffMin;
            hintBackoffMax = c.hintBackoffMax;
            tombstoneGrace = c.tombstoneGrace;
            antiEntropyInterval = c.antiEntropyInterval;
            transferInterval = c.transferInterval;
            transferBatch = c.transferBatch;
            handoffDelay = c.handoffDelay;
            admission = c.admission;
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}

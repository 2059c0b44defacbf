package io.dynamo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.ring.NodeId;
import io.dynamo.server.coordinator.NamespaceProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeConfigTest {

    private static final NodeId SELF = NodeId.of("n1");

    /** The constructor's arguments, by property name, so a test can spoil one of them. */
    private static final class Args {
        Map<String, NamespaceProperties> namespaces = new HashMap<>();
        int maxInFlight = 16;
        Duration replicaTimeout = Duration.ofSeconds(1);
        Duration readRepairWait = Duration.ofSeconds(1);
        Duration probeInterval = Duration.ofSeconds(1);
        Duration hintInterval = Duration.ofMillis(200);
        int hintBatch = 8;
        int hintsPerSecond = 100;
        Duration hintBackoffMin = Duration.ofSeconds(1);
        Duration hintBackoffMax = Duration.ofSeconds(30);
        Duration tombstoneGrace = Duration.ofSeconds(10);
        Duration antiEntropyInterval = Duration.ofSeconds(2);
        Duration transferInterval = Duration.ofMillis(500);
        int transferBatch = 256;
        Duration handoffDelay = Duration.ofSeconds(10);
        io.dynamo.server.admission.AdmissionController.Settings admission =
                io.dynamo.server.admission.AdmissionController.Settings.DEFAULTS;

        NodeConfig build() {
            return new NodeConfig(SELF, NamespaceProperties.DEFAULTS, namespaces, maxInFlight, replicaTimeout,
                    readRepairWait, probeInterval, hintInterval, hintBatch, hintsPerSecond, hintBackoffMin,
                    hintBackoffMax, tombstoneGrace, antiEntropyInterval, transferInterval, transferBatch, handoffDelay,
                    admission);
        }
    }

    private static Arguments bad(String property, Consumer<Args> spoil) {
        return Arguments.of(property, spoil);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("max_in_flight", a -> a.maxInFlight = 0),
                bad("max_in_flight", a -> a.maxInFlight = -5),
                bad("hint_batch", a -> a.hintBatch = 0),
                bad("hint_batch", a -> a.hintBatch = -1),
                bad("hints_per_second", a -> a.hintsPerSecond = 0),
                bad("hints_per_second", a -> a.hintsPerSecond = Integer.MIN_VALUE),
                bad("replica_timeout", a -> a.replicaTimeout = Duration.ZERO),
                bad("replica_timeout", a -> a.replicaTimeout = Duration.ofMillis(-1)),
                bad("replica_timeout", a -> a.replicaTimeout = null),
                bad("anti_entropy_interval", a -> a.antiEntropyInterval = Duration.ZERO),
                bad("transfer_interval", a -> a.transferInterval = Duration.ofMillis(-3)),
                bad("transfer_batch", a -> a.transferBatch = 0),
                bad("handoff_delay", a -> a.handoffDelay = null),
                bad("admission", a -> a.admission = null),
                bad("read_repair_wait", a -> a.readRepairWait = Duration.ZERO),
                bad("read_repair_wait", a -> a.readRepairWait = Duration.ofSeconds(-1)),
                bad("probe_interval", a -> a.probeInterval = Duration.ZERO),
                bad("probe_interval", a -> a.probeInterval = Duration.ofNanos(-1)),
                bad("hint_interval", a -> a.hintInterval = Duration.ZERO),
                bad("hint_interval", a -> a.hintInterval = Duration.ofMillis(-200)),
                bad("hint_backoff_min", a -> a.hintBackoffMin = Duration.ZERO),
                bad("hint_backoff_min", a -> a.hintBackoffMin = Duration.ofSeconds(-1)),
                bad("hint_backoff_max", a -> a.hintBackoffMax = Duration.ZERO),
                bad("hint_backoff_max", a -> a.hintBackoffMax = Duration.ofSeconds(-30)),
                bad("tombstone_grace", a -> a.tombstoneGrace = Duration.ZERO),
                bad("tombstone_grace", a -> a.tombstoneGrace = Duration.ofSeconds(-10)),
                bad("hint_backoff_max", a -> {
                    a.hintBackoffMin = Duration.ofSeconds(5);
                    a.hintBackoffMax = Duration.ofSeconds(4);
                }),
                bad("bucket name", a -> a.namespaces.put("bad/name", NamespaceProperties.DEFAULTS)),
                bad("bucket name", a -> a.namespaces.put("", NamespaceProperties.DEFAULTS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueFailsWithAMessageNamingTheProperty(String property, Consumer<Args> spoil) {
        Args args = new Args();
        args.build(); // valid as it stands
        spoil.accept(args);

        assertThatThrownBy(args::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(property);
    }

    @Test
    void aBackoffMaxBelowTheMinNamesBothWithTheirValues() {
        Args args = new Args();
        args.hintBackoffMin = Duration.ofSeconds(5);
        args.hintBackoffMax = Duration.ofSeconds(4);

        assertThatThrownBy(args::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hint_backoff_max (4000 ms) must not be below hint_backoff_min (5000 ms)");
    }

    @Test
    void aBadValueIsShownInTheMessage() {
        Args args = new Args();
        args.hintBatch = 0;
        assertThatThrownBy(args::build).hasMessage("hint_batch must be at least 1, was 0");

        Args durations = new Args();
        durations.probeInterval = Duration.ofMillis(-3);
        assertThatThrownBy(durations::build).hasMessage("probe_interval must be a positive duration, was PT-0.003S");
    }

    @Test
    void equalBackoffBoundsAndOneNanosecondAreValid() {
        Args args = new Args();
        args.hintBackoffMin = Duration.ofSeconds(3);
        args.hintBackoffMax = Duration.ofSeconds(3);
        args.replicaTimeout = Duration.ofNanos(1);
        args.maxInFlight = 1;

        NodeConfig config = args.build();

        assertThat(config.hintBackoffMax()).isEqualTo(config.hintBackoffMin());
        assertThat(config.replicaTimeout()).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void theDefaultsAreValid() {
        NodeConfig config = NodeConfig.defaults(SELF);

        assertThat(config.self()).isEqualTo(SELF);
        assertThat(config.maxInFlight()).isEqualTo(1024);
        assertThat(config.hintBackoffMax()).isGreaterThanOrEqualTo(config.hintBackoffMin());
        assertThat(config.namespace("anything")).isEqualTo(NamespaceProperties.DEFAULTS);
    }

    @Test
    void theWithersValidateToo() {
        NodeConfig config = NodeConfig.defaults(SELF);

        assertThatThrownBy(() -> config.withReplicaTimeout(Duration.ZERO)).hasMessageContaining("replica_timeout");
        assertThatThrownBy(() -> config.withMaxInFlight(0)).hasMessageContaining("max_in_flight");
        assertThatThrownBy(() -> config.withTombstoneGrace(Duration.ofSeconds(-1))).hasMessageContaining("tombstone_grace");
        assertThatThrownBy(() -> config.withHintDelivery(Duration.ofMillis(100), 1, 1, Duration.ofSeconds(2),
                Duration.ofSeconds(1))).hasMessageContaining("hint_backoff_max");
        assertThatThrownBy(() -> config.withNamespace("no spaces", NamespaceProperties.DEFAULTS))
                .hasMessageContaining("bucket name");
        assertThatThrownBy(() -> config.namespace("a/b")).hasMessageContaining("bucket name");
    }

    @Test
    void namespacesWithTheirOwnPropertiesAreFoundByName() {
        NamespaceProperties five = NamespaceProperties.DEFAULTS.with(Map.of("n", "5"));
        NodeConfig config = NodeConfig.defaults(SELF).withNamespace("carts", five);

        assertThat(config.namespace("carts")).isEqualTo(five);
        assertThat(config.namespace("other")).isEqualTo(NamespaceProperties.DEFAULTS);
        assertThat(config.namespaces()).containsOnlyKeys("carts");
    }

    @Test
    void theTombstoneGraceMustOutlastAReplicaTimeoutAndARepairWait() {
        NodeConfig config = NodeConfig.defaults(NodeId.of("n1"));
        assertThatThrownBy(() -> config.withTombstoneGrace(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tombstone_grace (2000 ms) must be longer than replica_timeout + read_repair_wait (2000 ms)");
        assertThat(config.withTombstoneGrace(Duration.ofMillis(2001)).tombstoneGrace()).isEqualTo(Duration.ofMillis(2001));
    }
}

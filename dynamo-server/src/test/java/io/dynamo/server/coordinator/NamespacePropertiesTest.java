package io.dynamo.server.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NamespacePropertiesTest {

    @Test
    void defaultsAreTheDynamoPapersCommonConfiguration() {
        assertThat(NamespaceProperties.DEFAULTS.toMap()).containsEntry("n", "3").containsEntry("r", "2")
                .containsEntry("w", "2").containsEntry("dw", "1").containsEntry("conflict_mode", "siblings");
    }

    @Test
    void changesApplyByNameAndRoundTrip() {
        NamespaceProperties changed = NamespaceProperties.DEFAULTS.with(Map.of("n", "5", "w", "3", "conflict_mode", "LWW"));

        assertThat(changed.n()).isEqualTo(5);
        assertThat(changed.w()).isEqualTo(3);
        assertThat(changed.conflictMode()).isEqualTo(ConflictMode.LWW);
        assertThat(NamespaceProperties.DEFAULTS.with(changed.toMap())).isEqualTo(changed);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "n|0|n must be between 1 and 16, was 0",
        "r|4|r must be between 1 and n (3), was 4",
        "w|0|w must be between 1 and n (3), was 0",
        "dw|3|dw must be between 0 and w (2), was 3",
        "conflict_mode|newest|conflict mode must be 'siblings' or 'lww', was 'newest'",
        "max_value_bytes|-1|storage.max-value-bytes must be between 0 and 268435456, was -1",
        "n|three|n must be a whole number, was 'three'",
        "replicas|3|unknown bucket property 'replicas'"
    })
    void aBadPropertyIsRejectedWithItsNameAndValueAndChangesNothing(String name, String value, String message) {
        NamespaceProperties before = NamespaceProperties.DEFAULTS;

        assertThatThrownBy(() -> before.with(Map.of(name, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
        assertThat(before).isEqualTo(NamespaceProperties.DEFAULTS);
    }

    @Test
    void namespaceNamesAreChecked() {
        assertThat(NamespaceProperties.checkName("carts.v2")).isEqualTo("carts.v2");
        assertThatThrownBy(() -> NamespaceProperties.checkName("has/slash")).hasMessageContaining("'has/slash'");
        assertThatThrownBy(() -> NamespaceProperties.checkName("")).hasMessageContaining("bucket name");
        assertThatThrownBy(() -> NamespaceProperties.checkName("x".repeat(256))).hasMessageContaining("1 to 255");
    }

    @Test
    void requestOptionsOverrideRAndWWithinOneToN() {
        RequestOptions options = RequestOptions.parse(Map.of("r", "1", "w", "3", "timeout_ms", "250"));

        assertThat(options.readQuorum(NamespaceProperties.DEFAULTS)).isEqualTo(1);
        assertThat(options.writeQuorum(NamespaceProperties.DEFAULTS)).isEqualTo(3);
        assertThat(options.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(RequestOptions.DEFAULTS.readQuorum(NamespaceProperties.DEFAULTS)).isEqualTo(2);
        assertThatThrownBy(() -> new RequestOptions(OptionalInt.of(4), OptionalInt.empty(), OptionalInt.empty(), Duration.ofSeconds(1))
                .readQuorum(NamespaceProperties.DEFAULTS)).hasMessageContaining("r must be between 1 and the bucket's n (3), was 4");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "r|two|r must be a whole number, was 'two'",
        "timeout_ms|0|timeout must be between 1 ms and 300000 ms, was 0 ms",
        "timeout_ms|999999|timeout must be between 1 ms and 300000 ms, was 999999 ms",
        "pr|1|unknown request option 'pr'; known: r, w, dw, timeout_ms"
    })
    void badRequestOptionsAreRejectedWithAClearMessage(String name, String value, String message) {
        assertThatThrownBy(() -> RequestOptions.parse(Map.of(name, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void dwIsAPerRequestOptionBoundedByTheRequestsW() {
        RequestOptions opts = RequestOptions.parse(java.util.Map.of("w", "2", "dw", "2"));
        assertThat(opts.durableQuorum(NamespaceProperties.DEFAULTS, 2)).isEqualTo(2);
        assertThat(RequestOptions.DEFAULTS.durableQuorum(NamespaceProperties.DEFAULTS, 1)).isEqualTo(1);
        assertThat(RequestOptions.DEFAULTS.durableQuorum(NamespaceProperties.DEFAULTS.with(java.util.Map.of("dw", "0")), 2))
                .isZero();
        assertThatThrownBy(() -> RequestOptions.parse(java.util.Map.of("dw", "3")).durableQuorum(NamespaceProperties.DEFAULTS, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dw must be between 0 and the request's w (2)");
        assertThatThrownBy(() -> RequestOptions.parse(java.util.Map.of("dw", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dw must be a whole number");
    }
}

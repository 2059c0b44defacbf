package io.dynamo.ycsb.cql;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The driver configuration the binding and CqlSchema build, read back without a session. */
class SessionsTest {

    private static DriverExecutionProfile profile(DriverConfigLoader loader) {
        return loader.getInitialConfig().getDefaultProfile();
    }

    @Test
    void theOptionsSet() {
        try (DriverConfigLoader loader = Sessions.config(Duration.ofMillis(1500), OptionalInt.of(4),
                Duration.ofSeconds(30))) {
            DriverExecutionProfile p = profile(loader);
            assertThat(p.getDuration(DefaultDriverOption.REQUEST_TIMEOUT)).isEqualTo(Duration.ofMillis(1500));
            assertThat(p.getInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE)).isEqualTo(4);
            assertThat(p.getInt(DefaultDriverOption.CONNECTION_POOL_REMOTE_SIZE)).isEqualTo(4);
            assertThat(p.getDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT))
                    .isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void theDriversDefaultsOtherwise() {
        try (DriverConfigLoader loader = Sessions.config(Duration.ofSeconds(2), OptionalInt.empty(), null)) {
            DriverExecutionProfile p = profile(loader);
            assertThat(p.getDuration(DefaultDriverOption.REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
            assertThat(p.getInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE)).isEqualTo(1);
            assertThat(p.getDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT))
                    .isEqualTo(Duration.ofSeconds(10));
            // Token-aware load balancing, no speculative execution, statements not idempotent.
            assertThat(p.getString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS))
                    .isEqualTo("DefaultLoadBalancingPolicy");
            assertThat(p.getString(DefaultDriverOption.SPECULATIVE_EXECUTION_POLICY_CLASS))
                    .isEqualTo("NoSpeculativeExecutionPolicy");
            assertThat(p.getBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE)).isFalse();
        }
    }
}

package io.dynamo.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.client.Routing;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BindingSettingsTest {

    private static Properties props(String... pairs) {
        Properties p = new Properties();
        for (String pair : pairs) {
            String[] kv = pair.split("=", 2);
            p.setProperty(kv[0], kv[1]);
        }
        return p;
    }

    @Test
    void defaults() {
        BindingSettings s = BindingSettings.from(props("dynamo.seeds=127.0.0.1:9081"));
        assertThat(s.seeds()).containsExactly(new InetSocketAddress("127.0.0.1", 9081));
        assertThat(s.namespace()).isNull();
        assertThat(s.namespaceFor("usertable")).isEqualTo("usertable");
        assertThat(s.r()).isEmpty();
        assertThat(s.w()).isEmpty();
        assertThat(s.routing()).isEqualTo(Routing.CLIENT);
        assertThat(s.timeout()).isNull();
    }

    @Test
    void everySetting() {
        BindingSettings s = BindingSettings.from(props("dynamo.seeds= 127.0.0.1:9081, localhost:9082,[::1]:9083",
                "dynamo.namespace=ycsb", "dynamo.r=1", "dynamo.w=3", "dynamo.routing=SERVER",
                "dynamo.timeout_ms=2500"));
        assertThat(s.seeds()).hasSize(3);
        assertThat(s.seeds().get(1).getPort()).isEqualTo(9082);
        assertThat(s.seeds().get(2).getAddress().getHostAddress()).contains(":");
        assertThat(s.namespaceFor("usertable")).isEqualTo("ycsb");
        assertThat(s.r()).hasValue(1);
        assertThat(s.w()).hasValue(3);
        assertThat(s.routing()).isEqualTo(Routing.SERVER);
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void seedsAreRequired() {
        assertThatThrownBy(() -> BindingSettings.from(props())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dynamo.seeds is required");
        assertThatThrownBy(() -> BindingSettings.from(props("dynamo.seeds= "))).hasMessageStartingWith(
                "dynamo.seeds is required");
    }

    @Test
    void badSeeds() {
        assertThatThrownBy(() -> BindingSettings.from(props("dynamo.seeds=127.0.0.1")))
                .hasMessage("dynamo.seeds=127.0.0.1: '127.0.0.1' is not HOST:PORT; expected HOST:PORT,HOST:PORT "
                        + "(client-protocol addresses)");
        assertThatThrownBy(() -> BindingSettings.from(props("dynamo.seeds=127.0.0.1:abc")))
                .hasMessageContaining("'127.0.0.1:abc' has no valid port");
        assertThatThrownBy(() -> BindingSettings.from(props("dynamo.seeds=127.0.0.1:0")))
                .hasMessageContaining("has no valid port");
        assertThatThrownBy(() -> BindingSettings.from(props("dynamo.seeds=127.0.0.1:9081,,127.0.0.1:9082")))
                .hasMessageContaining("an empty address");
        assertThatThrownBy(() -> BindingSettings.from(props("dynamo.seeds=::1:9081")))
                .hasMessageContaining("IPv6 host in brackets");
        assertThatThrownBy(() -> BindingSettings.from(props("dynamo.seeds=:9081"))).hasMessageContaining(
                "is not HOST:PORT");
        assertThatThrownBy(() -> BindingSettings.from(props("dynamo.seeds=no-such-host.invalid:9081")))
                .hasMessageContaining("does not resolve");
    }

    @Test
    void badOptions() {
        String seeds = "dynamo.seeds=127.0.0.1:9081";
        assertThatThrownBy(() -> BindingSettings.from(props(seeds, "dynamo.r=0"))).hasMessageStartingWith(
                "dynamo.r=0: expected a whole number");
        assertThatThrownBy(() -> BindingSettings.from(props(seeds, "dynamo.w=two"))).hasMessageStartingWith(
                "dynamo.w=two");
        assertThatThrownBy(() -> BindingSettings.from(props(seeds, "dynamo.routing=nearest")))
                .hasMessage("dynamo.routing=nearest: expected client or server");
        assertThatThrownBy(() -> BindingSettings.from(props(seeds, "dynamo.timeout_ms=0"))).hasMessageStartingWith(
                "dynamo.timeout_ms=0");
        assertThatThrownBy(() -> BindingSettings.from(props(seeds, "dynamo.namespace= ")))
                .hasMessageStartingWith("dynamo.namespace is empty");
    }
}

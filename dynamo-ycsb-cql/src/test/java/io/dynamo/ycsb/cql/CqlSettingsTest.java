package io.dynamo.ycsb.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CqlSettingsTest {

    private static Properties props(String... pairs) {
        Properties p = new Properties();
        for (String pair : pairs) {
            String[] kv = pair.split("=", 2);
            p.setProperty(kv[0], kv[1]);
        }
        return p;
    }

    private static final String HOSTS = "cql.hosts=127.0.0.1";

    @Test
    void defaults() {
        CqlSettings s = CqlSettings.from(props(HOSTS));
        assertThat(s.hosts()).containsExactly(new InetSocketAddress("127.0.0.1", 9042));
        assertThat(s.keyspace()).isEqualTo("ycsb");
        assertThat(s.localDatacenter()).isEqualTo("datacenter1");
        assertThat(s.readConsistency()).isEqualTo(DefaultConsistencyLevel.QUORUM);
        assertThat(s.writeConsistency()).isEqualTo(DefaultConsistencyLevel.QUORUM);
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(2000));
        assertThat(s.connectionsPerHost()).isEmpty();
        assertThat(s.table()).isEqualTo("usertable");
    }

    @Test
    void everySetting() {
        CqlSettings s = CqlSettings.from(props("cql.hosts= 127.0.0.1, localhost:9043,[::1]:9044,::1",
                "cql.port=19042", "cql.keyspace=bench", "cql.local_datacenter=dc2", "cql.read_consistency=one",
                "cql.write_consistency=Local-Quorum", "cql.timeout_ms=500", "cql.connections_per_host=4",
                "table=records"));
        assertThat(s.hosts()).hasSize(4);
        assertThat(s.hosts().get(0)).isEqualTo(new InetSocketAddress("127.0.0.1", 19042));
        assertThat(s.hosts().get(1).getPort()).isEqualTo(9043);
        assertThat(s.hosts().get(2).getAddress().getHostAddress()).contains(":");
        assertThat(s.hosts().get(2).getPort()).isEqualTo(9044);
        assertThat(s.hosts().get(3).getAddress().getHostAddress()).contains(":");
        assertThat(s.hosts().get(3).getPort()).isEqualTo(19042);
        assertThat(s.keyspace()).isEqualTo("bench");
        assertThat(s.localDatacenter()).isEqualTo("dc2");
        assertThat(s.readConsistency()).isEqualTo(DefaultConsistencyLevel.ONE);
        assertThat(s.writeConsistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.connectionsPerHost()).hasValue(4);
        assertThat(s.table()).isEqualTo("records");
    }

    @Test
    void hostsAreRequired() {
        assertThatThrownBy(() -> CqlSettings.from(props())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cql.hosts is required");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts= "))).hasMessageStartingWith(
                "cql.hosts is required");
    }

    @Test
    void badHosts() {
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=127.0.0.1:abc")))
                .hasMessage("cql.hosts=127.0.0.1:abc: '127.0.0.1:abc' has no valid port (1 to 65535); expected HOST or "
                        + "HOST:PORT, comma separated (an IPv6 address with a port in brackets: [::1]:9042)");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=127.0.0.1:0"))).hasMessageContaining(
                "has no valid port");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=127.0.0.1:65536"))).hasMessageContaining(
                "has no valid port");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=127.0.0.1:"))).hasMessageContaining(
                "has no valid port");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=127.0.0.1,,127.0.0.2")))
                .hasMessageContaining("an empty host");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=127.0.0.1,"))).hasMessageContaining(
                "an empty host");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=:9042"))).hasMessageContaining("has no host");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=[::1"))).hasMessageContaining(
                "is not [IPV6] or [IPV6]:PORT");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=[::1]9042"))).hasMessageContaining(
                "is not [IPV6] or [IPV6]:PORT");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=[]:9042"))).hasMessageContaining("has no host");
        assertThatThrownBy(() -> CqlSettings.from(props("cql.hosts=no-such-host.invalid")))
                .hasMessageStartingWith("cql.hosts=no-such-host.invalid: host 'no-such-host.invalid' does not resolve");
    }

    @Test
    void badPort() {
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.port=abc")))
                .hasMessage("cql.port=abc: expected a port number from 1 to 65535");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.port=0"))).hasMessageStartingWith("cql.port=0:");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.port=70000"))).hasMessageStartingWith(
                "cql.port=70000:");
        // A blank port is the default.
        assertThat(CqlSettings.from(props(HOSTS, "cql.port= ")).hosts().get(0).getPort()).isEqualTo(9042);
    }

    @Test
    void consistencyLevels() {
        assertThat(CqlSettings.from(props(HOSTS, "cql.read_consistency=serial")).readConsistency())
                .isEqualTo(DefaultConsistencyLevel.SERIAL);
        assertThat(CqlSettings.from(props(HOSTS, "cql.write_consistency=ANY")).writeConsistency())
                .isEqualTo(DefaultConsistencyLevel.ANY);
        assertThat(CqlSettings.from(props(HOSTS, "cql.read_consistency= all ")).readConsistency())
                .isEqualTo(DefaultConsistencyLevel.ALL);
        assertThat(CqlSettings.from(props(HOSTS, "cql.write_consistency=each_quorum")).writeConsistency())
                .isEqualTo(DefaultConsistencyLevel.EACH_QUORUM);
        assertThat(CqlSettings.from(props(HOSTS, "cql.read_consistency=")).readConsistency())
                .isEqualTo(DefaultConsistencyLevel.QUORUM);
    }

    @Test
    void badConsistencyLevels() {
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.read_consistency=MAJORITY")))
                .hasMessage("cql.read_consistency=MAJORITY: not a consistency level; expected one of ONE, TWO, THREE, "
                        + "QUORUM, ALL, LOCAL_ONE, LOCAL_QUORUM, EACH_QUORUM, SERIAL, LOCAL_SERIAL");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.read_consistency=any")))
                .hasMessageStartingWith("cql.read_consistency=any: not a consistency level (ANY is not a consistency "
                        + "level for reads)");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.write_consistency=LOCAL_SERIAL")))
                .hasMessageStartingWith("cql.write_consistency=LOCAL_SERIAL: not a consistency level (LOCAL_SERIAL is "
                        + "for the conditions of lightweight transactions, not for writes)")
                .hasMessageEndingWith("expected one of ANY, ONE, TWO, THREE, QUORUM, ALL, LOCAL_ONE, LOCAL_QUORUM, "
                        + "EACH_QUORUM");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.write_consistency=2")))
                .hasMessageStartingWith("cql.write_consistency=2: not a consistency level;");
    }

    @Test
    void badOptions() {
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.timeout_ms=0")))
                .hasMessage("cql.timeout_ms=0: expected milliseconds from 1 to 300000");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.timeout_ms=2s"))).hasMessageStartingWith(
                "cql.timeout_ms=2s:");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.connections_per_host=0")))
                .hasMessageStartingWith("cql.connections_per_host=0: expected a whole number from 1 to 1024");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.connections_per_host=many")))
                .hasMessageStartingWith("cql.connections_per_host=many:");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.keyspace= ")))
                .hasMessage("cql.keyspace is empty: give a name, or leave it out for ycsb");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "cql.local_datacenter=")))
                .hasMessageStartingWith("cql.local_datacenter is empty");
        assertThatThrownBy(() -> CqlSettings.from(props(HOSTS, "table= "))).hasMessageStartingWith("table is empty");
    }

    @Test
    void formatWritesWhatHostsReads() {
        List<InetSocketAddress> hosts = CqlSettings.hosts("127.0.0.1,[::1]:9043", 9042, "x");
        assertThat(CqlSettings.format(hosts)).matches("127\\.0\\.0\\.1:9042,\\[[0-9a-f:]+\\]:9043");
        assertThat(CqlSettings.hosts(CqlSettings.format(hosts), 1, "x")).isEqualTo(hosts);
    }
}

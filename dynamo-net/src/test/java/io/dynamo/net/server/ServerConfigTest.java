package io.dynamo.net.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.StorageLimits;
import io.dynamo.server.coordinator.ConflictMode;
import io.dynamo.server.coordinator.NamespaceProperties;
import io.dynamo.storage.rocksdb.RocksDbConfig;
import io.dynamo.wire.netty.Frames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading a server's YAML config with environment overrides, and rejecting every kind of bad value. */
class ServerConfigTest {

    @TempDir
    Path dir;

    /** The two required settings, to which a test appends the line it is about. */
    private static final String MINIMAL = """
            node_id: n1
            data_dir: /var/lib/dynamo
            """;

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "node", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private ServerConfig load(String yaml) throws IOException {
        return ServerConfig.load(write(yaml), Map.of());
    }

    private AbstractThrowableAssert<?, ? extends Throwable> rejects(String yaml) throws IOException {
        Path file = write(yaml);
        return assertThatThrownBy(() -> ServerConfig.load(file, Map.of()))
                .isInstanceOf(ServerConfig.ConfigException.class);
    }

    private static String host(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    // ------------------------------------------------------------------ valid files

    @Test
    void aFullFileIsReadSettingBySetting() throws IOException {
        ServerConfig c = load("""
                node_id: n1
                cluster_name: prod-eu
                zone: eu-west-1a
                data_dir: /data/dynamo
                peer_address: 0.0.0.0:7001
                client_address: 10.0.0.1:9001
                http_address: 10.0.0.1:8081
                advertise_host: n1.example.com
                seeds:
                  - n1@10.0.0.1:7001
                  - n2@10.0.0.2:7001
                initial_members: [n1, n2]
                partitions: 128
                defaults:
                  n: 3
                  r: 1
                  w: 3
                  dw: 2
                  conflict_mode: lww
                  max_key_bytes: 256
                  max_value_bytes: 1048576
                  max_siblings: 10
                allow_any_namespace: false
                gossip_interval_ms: 500
                replica_timeout_ms: 2000
                max_in_flight: 64
                max_frame_bytes: 2097152
                io_threads: 4
                shutdown_grace_ms: 3000
                storage:
                  flush_interval_ms: 250
                  block_cache_mb: 16
                  write_buffer_mb: 8
                  compression: zstd
                """);

        assertThat(c.nodeId()).isEqualTo(NodeId.of("n1"));
        assertThat(c.clusterName()).isEqualTo("prod-eu");
        assertThat(c.zone()).isEqualTo("eu-west-1a");
        assertThat(c.dataDir()).isEqualTo(Path.of("/data/dynamo"));
        assertThat(host(c.peerAddress())).isEqualTo("0.0.0.0:7001");
        assertThat(host(c.clientAddress())).isEqualTo("10.0.0.1:9001");
        assertThat(host(c.httpAddress())).isEqualTo("10.0.0.1:8081");
        assertThat(c.advertiseHost()).isEqualTo("n1.example.com");
        assertThat(c.publicHost()).isEqualTo("n1.example.com");
        assertThat(c.seeds()).containsOnlyKeys(NodeId.of("n1"), NodeId.of("n2"));
        assertThat(host(c.seeds().get(NodeId.of("n2")))).isEqualTo("10.0.0.2:7001");
        assertThat(c.initialMembers()).containsExactly(NodeId.of("n1"), NodeId.of("n2"));
        assertThat(c.formsCluster()).isTrue();
        assertThat(c.partitions()).isEqualTo(128);
        assertThat(c.defaults()).isEqualTo(new NamespaceProperties(3, 1, 3, 2, ConflictMode.parse("lww"),
                new StorageLimits(256, 1048576, 10)));
        assertThat(c.namespaces()).isEmpty();
        assertThat(c.allowAnyNamespace()).isFalse();
        assertThat(c.gossipInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.replicaTimeout()).isEqualTo(Duration.ofMillis(2000));
        assertThat(c.maxInFlight()).isEqualTo(64);
        assertThat(c.maxFrameBytes()).isEqualTo(2097152);
        assertThat(c.ioThreads()).isEqualTo(4);
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofMillis(3000));
        RocksDbConfig s = c.storage();
        assertThat(s.dataDirectory()).isEqualTo(Path.of("/data/dynamo/rocksdb"));
        assertThat(s.flushInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.blockCacheBytes()).isEqualTo(16L << 20);
        assertThat(s.writeBufferBytes()).isEqualTo(8L << 20);
        assertThat(s.compression()).isEqualTo(RocksDbConfig.Compression.ZSTD);
        assertThat(s.limits()).isEqualTo(c.defaults().limits());
    }

    @Test
    void namespacesInTheFileGetTheirOwnPropertiesOnTopOfTheDefaults() throws IOException {
        ServerConfig c = load(MINIMAL + """
                defaults:
                  n: 3
                  r: 2
                namespaces:
                  users:
                    n: 5
                    w: 4
                  sessions.v2:
                    conflict_mode: lww
                    max_value_bytes: 2048
                """);

        assertThat(c.namespaces()).containsOnlyKeys("users", "sessions.v2");
        NamespaceProperties users = c.namespaces().get("users");
        assertThat(users.n()).isEqualTo(5);
        assertThat(users.w()).isEqualTo(4);
        assertThat(users.r()).isEqualTo(2); // from defaults
        NamespaceProperties sessions = c.namespaces().get("sessions.v2");
        assertThat(sessions.conflictMode()).isEqualTo(ConflictMode.parse("lww"));
        assertThat(sessions.limits().maxValueBytes()).isEqualTo(2048);
        assertThat(sessions.n()).isEqualTo(3);
    }

    @Test
    void storageTakesTheLargestKeysAndValuesAnyNamespaceAllows() throws IOException {
        ServerConfig c = load(MINIMAL + """
                defaults:
                  max_key_bytes: 100
                  max_value_bytes: 1000
                  max_siblings: 7
                namespaces:
                  long_keys:
                    max_key_bytes: 500
                  big_values:
                    max_value_bytes: 9000
                """);
        // each namespace is held to its own limits by the coordinator; storage must let all of them through
        assertThat(c.storage().limits()).isEqualTo(new StorageLimits(500, 9000, 7));
        assertThat(c.namespaces().get("long_keys").limits().maxValueBytes()).isEqualTo(1000);
    }

    @Test
    void defaultsFillEverythingButTheRequiredSettings() throws IOException {
        ServerConfig c = load(MINIMAL);

        assertThat(c.nodeId()).isEqualTo(NodeId.of("n1"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/dynamo"));
        assertThat(c.clusterName()).isEqualTo("dynamo");
        assertThat(c.zone()).isEqualTo("default");
        assertThat(host(c.peerAddress())).isEqualTo("127.0.0.1:7000");
        assertThat(host(c.clientAddress())).isEqualTo("127.0.0.1:9000");
        assertThat(host(c.httpAddress())).isEqualTo("127.0.0.1:8080");
        assertThat(c.advertiseHost()).isEmpty();
        assertThat(c.publicHost()).isEqualTo("127.0.0.1");
        assertThat(c.seeds()).isEmpty();
        assertThat(c.initialMembers()).isEmpty();
        assertThat(c.formsCluster()).isFalse();
        assertThat(c.partitions()).isEqualTo(64);
        assertThat(c.defaults()).isEqualTo(NamespaceProperties.DEFAULTS);
        assertThat(c.namespaces()).isEmpty();
        assertThat(c.allowAnyNamespace()).isTrue();
        assertThat(c.gossipInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.replicaTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.maxInFlight()).isEqualTo(1024);
        assertThat(c.maxFrameBytes()).isEqualTo(Frames.DEFAULT_MAX_FRAME_BYTES);
        assertThat(c.ioThreads()).isEqualTo(2);
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.storage()).isEqualTo(RocksDbConfig.defaults(Path.of("/var/lib/dynamo/rocksdb")));
    }

    @Test
    void everyKnownKeyHasADefaultThatLoads() {
        // the documented defaults, as flat settings, with the two required ones filled in
        Map<String, String> settings = new java.util.LinkedHashMap<>(ServerConfig.KEYS);
        settings.put("node_id", "n1");
        settings.put("data_dir", "/tmp/x");
        ServerConfig fromKeys = ServerConfig.of(settings);
        ServerConfig fromNothing = ServerConfig.of(Map.of("node_id", "n1", "data_dir", "/tmp/x"));
        assertThat(fromKeys).isEqualTo(fromNothing);
    }

    @Test
    void anEmptyFileIsNoSettings() throws IOException {
        Path file = write("");
        assertThatThrownBy(() -> ServerConfig.load(file, Map.of()))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining("node_id is required");
        ServerConfig c = ServerConfig.load(file, Map.of("DYNAMO_NODE_ID", "n9", "DYNAMO_DATA_DIR", "/d"));
        assertThat(c.nodeId()).isEqualTo(NodeId.of("n9"));
    }

    @Test
    void noFileAtAllReadsOnlyTheEnvironment() {
        ServerConfig c = ServerConfig.load(null, Map.of("DYNAMO_NODE_ID", "n2", "DYNAMO_DATA_DIR", "/d2"));
        assertThat(c.nodeId()).isEqualTo(NodeId.of("n2"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/d2"));
    }

    // ------------------------------------------------------------------ environment

    @Test
    void environmentOverridesWinOverTheFile() throws IOException {
        Path file = write(MINIMAL + """
                http_address: 127.0.0.1:8081
                defaults:
                  n: 3
                  w: 2
                seeds: [n7@10.0.0.7:7001]
                """);
        ServerConfig c = ServerConfig.load(file, Map.of(
                "DYNAMO_HTTP_ADDRESS", "0.0.0.0:9999",
                "DYNAMO_DEFAULTS_W", "3",
                "DYNAMO_SEEDS", "n1@10.0.0.1:7001,n2@10.0.0.2:7002",
                "UNRELATED", "ignored",
                "DYNAMO_NOT_A_SETTING", "ignored too"));

        assertThat(host(c.httpAddress())).isEqualTo("0.0.0.0:9999");
        assertThat(c.defaults().w()).isEqualTo(3);
        assertThat(c.defaults().n()).isEqualTo(3);
        assertThat(c.seeds()).containsOnlyKeys(NodeId.of("n1"), NodeId.of("n2"));
        assertThat(host(c.seeds().get(NodeId.of("n2")))).isEqualTo("10.0.0.2:7002");
        // what the environment does not set still comes from the file
        assertThat(c.nodeId()).isEqualTo(NodeId.of("n1"));
    }

    @Test
    void aBadEnvironmentValueIsRejectedLikeABadFileValue() throws IOException {
        Path file = write(MINIMAL);
        assertThatThrownBy(() -> ServerConfig.load(file, Map.of("DYNAMO_DEFAULTS_W", "9")))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining("w").hasMessageContaining("9");
        assertThatThrownBy(() -> ServerConfig.load(file, Map.of("DYNAMO_HTTP_ADDRESS", "nowhere")))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining("http_address")
                .hasMessageContaining("nowhere");
    }

    @Test
    void envNamesAreTheKeyInUpperCaseWithUnderscores() {
        assertThat(ServerConfig.envName("http_address")).isEqualTo("DYNAMO_HTTP_ADDRESS");
        assertThat(ServerConfig.envName("defaults.w")).isEqualTo("DYNAMO_DEFAULTS_W");
        assertThat(ServerConfig.envName("storage.compression")).isEqualTo("DYNAMO_STORAGE_COMPRESSION");
    }

    // ------------------------------------------------------------------ bad values

    @Test
    void missingNodeIdIsRejected() throws IOException {
        rejects("data_dir: /d\n").hasMessageContaining("node_id").hasMessageContaining("required")
                .hasMessageContaining("DYNAMO_NODE_ID");
    }

    @Test
    void badNodeIdIsRejected() throws IOException {
        rejects("node_id: 'n 1'\ndata_dir: /d\n").hasMessageContaining("node_id").hasMessageContaining("'n 1'");
    }

    @Test
    void missingDataDirIsRejected() throws IOException {
        rejects("node_id: n1\n").hasMessageContaining("data_dir").hasMessageContaining("required");
        rejects("node_id: n1\ndata_dir: ''\n").hasMessageContaining("data_dir").hasMessageContaining("required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http_address   | localhost",
        "http_address   | localhost:",
        "http_address   | :8080",
        "peer_address   | 127.0.0.1:70000",
        "client_address | 127.0.0.1:http",
        "client_address | 127.0.0.1:-1",
    })
    void badAddressesAreRejected(String key, String value) throws IOException {
        rejects(MINIMAL + key + ": '" + value + "'\n").hasMessageContaining(key).hasMessageContaining("'" + value + "'")
                .hasMessageContaining("host:port");
    }

    @Test
    void badSeedsAreRejected() throws IOException {
        rejects(MINIMAL + "seeds: [10.0.0.1:7001]\n").hasMessageContaining("seeds")
                .hasMessageContaining("10.0.0.1:7001");
        rejects(MINIMAL + "seeds: [n2@10.0.0.1]\n").hasMessageContaining("seeds").hasMessageContaining("10.0.0.1");
    }

    @Test
    void anUnknownKeyIsRejectedWithItsName() throws IOException {
        rejects(MINIMAL + "http_adress: 127.0.0.1:8081\n").hasMessageContaining("http_adress")
                .hasMessageContaining("unknown").hasMessageContaining("http_address");
        rejects(MINIMAL + "storage:\n  compresion: lz4\n").hasMessageContaining("storage.compresion");
        rejects(MINIMAL + "defaults:\n  quorum: 2\n").hasMessageContaining("quorum");
    }

    @ParameterizedTest
    @CsvSource({"0", "-3", "65537", "many", "1.5"})
    void badPartitionsAreRejected(String value) throws IOException {
        rejects(MINIMAL + "partitions: " + value + "\n").hasMessageContaining("partitions")
                .hasMessageContaining("'" + value + "'");
    }

    @Test
    void wOverNInDefaultsIsRejected() throws IOException {
        rejects(MINIMAL + "defaults:\n  n: 2\n  w: 3\n").hasMessageContaining("defaults")
                .hasMessageContaining("w must be between 1 and n (2), was 3");
        rejects(MINIMAL + "defaults:\n  n: 0\n").hasMessageContaining("defaults").hasMessageContaining("n")
                .hasMessageContaining("was 0");
        rejects(MINIMAL + "defaults:\n  r: two\n").hasMessageContaining("r").hasMessageContaining("'two'");
    }

    @Test
    void aBadNamespacePropertyIsRejected() throws IOException {
        rejects(MINIMAL + "namespaces:\n  users:\n    n: lots\n").hasMessageContaining("namespaces.users")
                .hasMessageContaining("n").hasMessageContaining("'lots'");
        rejects(MINIMAL + "namespaces:\n  users:\n    w: 4\n").hasMessageContaining("namespaces.users")
                .hasMessageContaining("w").hasMessageContaining("was 4");
        rejects(MINIMAL + "namespaces:\n  users:\n    replicas: 3\n").hasMessageContaining("namespaces.users")
                .hasMessageContaining("replicas");
        rejects(MINIMAL + "namespaces:\n  users:\n    conflict_mode: newest\n")
                .hasMessageContaining("namespaces.users").hasMessageContaining("newest");
    }

    @Test
    void aNamespaceWithAnEmptyMappingTakesTheDefaults() throws IOException {
        ServerConfig c = load(MINIMAL + "defaults:\n  r: 1\nnamespaces:\n  users: {}\n  my.sessions: {}\n");
        assertThat(c.namespaces()).containsOnlyKeys("users", "my.sessions");
        assertThat(c.namespaces().get("users")).isEqualTo(c.defaults());
        assertThat(c.namespaces().get("my.sessions")).isEqualTo(c.defaults());
    }

    @Test
    void aNamespaceOwnSiblingLimitIsRejectedForItIsTheStorageEngines() throws IOException {
        rejects(MINIMAL + "namespaces:\n  users:\n    max_siblings: 5\n")
                .hasMessageContaining("namespaces.users.max_siblings").hasMessageContaining("defaults.max_siblings");
        ServerConfig same = load(MINIMAL + "defaults:\n  max_siblings: 7\nnamespaces:\n  users:\n    max_siblings: 7\n");
        assertThat(same.namespaces().get("users").limits().maxSiblings()).isEqualTo(7);
        assertThat(same.storage().limits().maxSiblings()).isEqualTo(7);
    }

    @Test
    void aNamespaceThatIsNotAMappingIsRejected() throws IOException {
        rejects(MINIMAL + "namespaces:\n  users: 3\n").hasMessageContaining("namespaces.users")
                .hasMessageContaining("mapping");
    }

    @Test
    void aBadNamespaceNameIsRejected() throws IOException {
        rejects(MINIMAL + "namespaces:\n  'bad name!':\n    n: 1\n").hasMessageContaining("namespaces.bad name!")
                .hasMessageContaining("'bad name!'");
    }

    @Test
    void duplicatePortsAreRejected() throws IOException {
        rejects(MINIMAL + "peer_address: 127.0.0.1:7001\nclient_address: 0.0.0.0:7001\n")
                .hasMessageContaining("peer_address").hasMessageContaining("client_address")
                .hasMessageContaining("7001");
        rejects(MINIMAL + "http_address: 127.0.0.1:9000\n") // the default client port
                .hasMessageContaining("9000");
    }

    @Test
    void portZeroMayBeUsedForEveryAddress() throws IOException {
        ServerConfig c = load(MINIMAL + "peer_address: 127.0.0.1:0\nclient_address: 127.0.0.1:0\n"
                + "http_address: 127.0.0.1:0\n");
        assertThat(c.httpAddress().getPort()).isZero();
    }

    @Test
    void anInitialMemberWithoutASeedAddressIsRejected() throws IOException {
        rejects(MINIMAL + "initial_members: [n1, n2, n3]\nseeds: [n2@10.0.0.2:7001]\n")
                .hasMessageContaining("seeds").hasMessageContaining("n3");
    }

    @Test
    void initialMembersMustBeDistinctValidIds() throws IOException {
        rejects(MINIMAL + "initial_members: [n1, n1]\n").hasMessageContaining("initial_members")
                .hasMessageContaining("n1,n1");
        rejects(MINIMAL + "initial_members: ['n 2']\n").hasMessageContaining("initial_members")
                .hasMessageContaining("n 2");
    }

    @Test
    void badCompressionIsRejected() throws IOException {
        rejects(MINIMAL + "storage:\n  compression: brotli\n").hasMessageContaining("storage.compression")
                .hasMessageContaining("'brotli'").hasMessageContaining("lz4");
    }

    @ParameterizedTest
    @CsvSource({"maybe", "2", "'tru'"})
    void badBooleansAreRejected(String value) throws IOException {
        rejects(MINIMAL + "allow_any_namespace: " + value + "\n").hasMessageContaining("allow_any_namespace")
                .hasMessageContaining("'" + value.replace("'", "") + "'");
    }

    @Test
    void booleansAcceptTheUsualSpellings() throws IOException {
        assertThat(load(MINIMAL + "allow_any_namespace: no\n").allowAnyNamespace()).isFalse();
        assertThat(load(MINIMAL + "allow_any_namespace: 'off'\n").allowAnyNamespace()).isFalse();
        assertThat(load(MINIMAL + "allow_any_namespace: 'ON'\n").allowAnyNamespace()).isTrue();
    }

    @Test
    void maxFrameBytesSmallerThanTheLargestValueIsRejected() throws IOException {
        rejects(MINIMAL + "max_frame_bytes: 1048576\ndefaults:\n  max_value_bytes: 2097152\n")
                .hasMessageContaining("max_frame_bytes").hasMessageContaining("1048576")
                .hasMessageContaining("2097152");
        // a namespace's larger limit counts too
        rejects(MINIMAL + "max_frame_bytes: 1048576\ndefaults:\n  max_value_bytes: 1024\n"
                + "namespaces:\n  big:\n    max_value_bytes: 4194304\n")
                .hasMessageContaining("max_frame_bytes").hasMessageContaining("4194304");
        // and the frame limit has a floor of its own
        rejects(MINIMAL + "max_frame_bytes: 1000\n").hasMessageContaining("max_frame_bytes")
                .hasMessageContaining("'1000'");
    }

    @Test
    void otherNumbersOutOfRangeAreRejected() throws IOException {
        rejects(MINIMAL + "io_threads: 0\n").hasMessageContaining("io_threads").hasMessageContaining("'0'");
        rejects(MINIMAL + "gossip_interval_ms: 1\n").hasMessageContaining("gossip_interval_ms");
        rejects(MINIMAL + "storage:\n  write_buffer_mb: 0\n").hasMessageContaining("storage.write_buffer_mb");
        rejects(MINIMAL + "cluster_name: 'two words'\n").hasMessageContaining("cluster_name")
                .hasMessageContaining("two words");
        rejects(MINIMAL + "zone: ''\n").hasMessageContaining("zone");
    }

    @Test
    void aMappingWhereAValueBelongsIsRejected() throws IOException {
        rejects(MINIMAL + "http_address:\n  host: 127.0.0.1\n  port: 8080\n").hasMessageContaining("http_address")
                .hasMessageContaining("single value");
    }

    @Test
    void yamlThatIsNotAMappingIsRejected() throws IOException {
        Path list = write("- node_id: n1\n- data_dir: /d\n");
        assertThatThrownBy(() -> ServerConfig.load(list, Map.of()))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining(list.toString())
                .hasMessageContaining("mapping");
        Path scalar = write("just some text\n");
        assertThatThrownBy(() -> ServerConfig.load(scalar, Map.of()))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining("mapping");
    }

    @Test
    void aFileThatIsNotYamlIsRejected() throws IOException {
        Path file = write("node_id: n1\ndata_dir: [unclosed\n  : : :\n");
        assertThatThrownBy(() -> ServerConfig.load(file, Map.of()))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining(file.toString());
        Path tabs = write("node_id: n1\n\tdata_dir: /d\n");
        assertThatThrownBy(() -> ServerConfig.load(tabs, Map.of()))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining(tabs.toString());
    }

    @Test
    void aMissingFileIsRejected() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ServerConfig.load(missing, Map.of()))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining("nope.yaml");
    }

    @Test
    void flatSettingsAreValidatedTheSameWay() {
        assertThatThrownBy(() -> ServerConfig.of(Map.of("node_id", "n1", "data_dir", "/d", "http_adress", "x:1")))
                .isInstanceOf(ServerConfig.ConfigException.class).hasMessageContaining("http_adress");
        ServerConfig c = ServerConfig.of(Map.of("node_id", "n1", "data_dir", "/d", "namespaces.users.n", "1",
                "namespaces.users.r", "1", "namespaces.users.w", "1"));
        assertThat(c.namespaces().get("users").n()).isEqualTo(1);
        assertThat(List.copyOf(c.namespaces().keySet())).containsExactly("users");
    }
}

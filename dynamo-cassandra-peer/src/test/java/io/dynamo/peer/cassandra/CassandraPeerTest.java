package io.dynamo.peer.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassandraPeerTest {

    @TempDir
    Path tmp;

    @Test
    void versionIsTheOneInThePom() throws IOException {
        assertThat(CassandraPeer.version()).isEqualTo("5.0.9");
        assertThat(CassandraCluster.version()).isEqualTo(CassandraPeer.version());
        assertThat(CassandraPeer.mainJarName()).isEqualTo("cassandra-all-5.0.9.jar");
        // Surefire runs in the module directory.
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<cassandra.version>" + CassandraPeer.VERSION + "</cassandra.version>");
    }

    @Test
    void featureVersionOfVersionStrings() {
        assertThat(CassandraPeer.featureVersion("17.0.15")).isEqualTo(OptionalInt.of(17));
        assertThat(CassandraPeer.featureVersion("11")).isEqualTo(OptionalInt.of(11));
        assertThat(CassandraPeer.featureVersion("17-ea")).isEqualTo(OptionalInt.of(17));
        assertThat(CassandraPeer.featureVersion("21.0.2+13-LTS")).isEqualTo(OptionalInt.of(21));
        assertThat(CassandraPeer.featureVersion("1.8.0_292")).isEqualTo(OptionalInt.of(8));
        assertThat(CassandraPeer.featureVersion("25.0.3")).isEqualTo(OptionalInt.of(25));
        assertThat(CassandraPeer.featureVersion("garbage")).isEmpty();
        assertThat(CassandraPeer.featureVersion(null)).isEmpty();
    }

    @Test
    void parsesJavaVersionOutput() {
        String openjdk17 = """
                openjdk version "17.0.15" 2025-04-15
                OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)
                OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)
                """;
        assertThat(CassandraPeer.parseVersionOutput(openjdk17)).contains("17.0.15");
        String oracle8 = "java version \"1.8.0_202\"\nJava(TM) SE Runtime Environment (build 1.8.0_202-b08)\n";
        assertThat(CassandraPeer.parseVersionOutput(oracle8)).contains("1.8.0_202");
        String withToolOptions = "Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version \"11.0.22\" 2024-01-16\n";
        assertThat(CassandraPeer.parseVersionOutput(withToolOptions)).contains("11.0.22");
        assertThat(CassandraPeer.parseVersionOutput("no java here")).isEmpty();
    }

    @Test
    void parsesReleaseFile() {
        String release = """
                IMPLEMENTOR="Eclipse Adoptium"
                JAVA_RUNTIME_VERSION="17.0.15+6"
                JAVA_VERSION="17.0.15"
                JAVA_VERSION_DATE="2025-04-15"
                """;
        assertThat(CassandraPeer.parseReleaseFile(release)).contains("17.0.15");
        assertThat(CassandraPeer.parseReleaseFile("JAVA_VERSION=11.0.2\n")).contains("11.0.2");
        assertThat(CassandraPeer.parseReleaseFile("IMPLEMENTOR=\"x\"\n")).isEmpty();
    }

    @Test
    void javaVersionFromReleaseFileOrFromJavaDashVersion() throws IOException {
        Path withRelease = fakeJdk("jdk-release", "17.0.9", "21.0.1");
        assertThat(CassandraPeer.javaVersion(withRelease)).contains("17.0.9");
        Path withoutRelease = fakeJdk("jdk-norelease", null, "11.0.22");
        assertThat(CassandraPeer.javaVersion(withoutRelease)).contains("11.0.22");
        assertThat(CassandraPeer.javaFeatureVersion(withoutRelease)).isEqualTo(OptionalInt.of(11));
        assertThat(CassandraPeer.javaVersion(tmp.resolve("nope/bin/java"))).isEmpty();
    }

    @Test
    void findJava17PrefersTheEnvironmentVariables() throws IOException {
        Path cassandraHome = fakeJdk("cassandra-home", "21.0.1", "21.0.1").getParent().getParent();
        Path java17Home = fakeJdk("java17-home", "17.0.1", "17.0.1").getParent().getParent();
        Path jvmRoot = Files.createDirectories(tmp.resolve("jvm"));
        // An explicit CASSANDRA_JAVA_HOME wins whatever its version.
        assertThat(CassandraPeer.findJava17(Map.of("CASSANDRA_JAVA_HOME", cassandraHome.toString(),
                "JAVA17_HOME", java17Home.toString()), jvmRoot))
                .contains(cassandraHome.resolve("bin/java"));
        assertThat(CassandraPeer.findJava17(Map.of("JAVA17_HOME", java17Home.toString()), jvmRoot))
                .contains(java17Home.resolve("bin/java"));
        // A home without bin/java is skipped.
        assertThat(CassandraPeer.findJava17(Map.of("CASSANDRA_JAVA_HOME", tmp.resolve("missing").toString()), jvmRoot))
                .isEmpty();
    }

    @Test
    void findJava17TakesJavaOnPathOnlyIfItIs11Or17() throws IOException {
        Path jvmRoot = Files.createDirectories(tmp.resolve("jvm"));
        Path java21 = fakeJdk("path21", "21.0.1", "21.0.1");
        Path java11 = fakeJdk("path11", "11.0.22", "11.0.22");
        assertThat(CassandraPeer.findJava17(Map.of("PATH", java21.getParent().toString()), jvmRoot)).isEmpty();
        assertThat(CassandraPeer.findJava17(Map.of("PATH", "/nonexistent:" + java11.getParent()), jvmRoot))
                .contains(java11);
    }

    @Test
    void findJava17ScansTheJvmDirectoryPreferring17Over11() throws IOException {
        Path jvmRoot = Files.createDirectories(tmp.resolve("jvm"));
        fakeJdkIn(jvmRoot, "a-jdk-11", "11.0.22");
        fakeJdkIn(jvmRoot, "b-jdk-21", "21.0.2");
        Path java17 = fakeJdkIn(jvmRoot, "c-jdk-17", "17.0.15");
        Files.createDirectories(jvmRoot.resolve("d-no-release/bin"));
        assertThat(CassandraPeer.findJava17(Map.of(), jvmRoot)).contains(java17);
        assertThat(CassandraPeer.findInJvmRoot(jvmRoot)).contains(java17);

        Path only11 = Files.createDirectories(tmp.resolve("jvm11"));
        Path java11 = fakeJdkIn(only11, "jdk-11", "11.0.22");
        fakeJdkIn(only11, "jdk-25", "25.0.3");
        assertThat(CassandraPeer.findInJvmRoot(only11)).contains(java11);
        assertThat(CassandraPeer.findInJvmRoot(tmp.resolve("none"))).isEmpty();
    }

    @Test
    void findLibNeedsTheCassandraJar() throws IOException {
        Path root = tmp.resolve("project");
        assertThat(CassandraPeer.findLib(root)).isEmpty();
        assertThatThrownBy(() -> CassandraPeer.requireLib(root))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("./dynamo build")
                .hasMessageContaining("mvn -pl dynamo-cassandra-peer package");
        Path lib = Files.createDirectories(root.resolve("dynamo-cassandra-peer/target/cassandra-lib"));
        assertThat(CassandraPeer.findLib(root)).isEmpty();
        Files.createFile(lib.resolve("cassandra-all-5.0.9.jar"));
        assertThat(CassandraPeer.findLib(root)).contains(lib);
        assertThat(CassandraPeer.requireLib(root)).isEqualTo(lib);
    }

    @Test
    void missingJavaMessageSaysWhatToDo() {
        assertThat(CassandraPeer.missingJavaMessage()).contains("CASSANDRA_JAVA_HOME").contains("JDK 17");
    }

    @Test
    void tailReturnsTheLastLines() throws IOException {
        Path log = tmp.resolve("system.log");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(log, text);
        assertThat(CassandraPeer.tail(log, 3).lines()).containsExactly("line 98", "line 99", "line 100");
        assertThat(CassandraPeer.tail(tmp.resolve("none.log"), 3)).contains("does not exist");
    }

    /** A JDK home under tmp with an optional release file and a bin/java script printing {@code printed}. */
    private Path fakeJdk(String name, String releaseVersion, String printed) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        return writeJdk(home, releaseVersion, printed);
    }

    private static Path fakeJdkIn(Path root, String name, String version) throws IOException {
        return writeJdk(Files.createDirectories(root.resolve(name)), version, version);
    }

    static Path writeJdk(Path home, String releaseVersion, String printed) throws IOException {
        if (releaseVersion != null) {
            Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + releaseVersion + "\"\n");
        }
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"" + printed + "\" 2024-01-01' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    @Test
    void fakeJdkHelperWorks() throws IOException {
        Path java = fakeJdk("helper", null, "17.0.2");
        assertThat(CassandraPeer.javaVersion(java)).isEqualTo(Optional.of("17.0.2"));
    }
}

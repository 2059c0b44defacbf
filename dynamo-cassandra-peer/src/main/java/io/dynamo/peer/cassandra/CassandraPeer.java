package io.dynamo.peer.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Static helpers for the Cassandra peer: which Cassandra this module ships, where its jars are
 * and which Java runtime can run it.
 *
 * <p>Uses only the JDK: at run time only this module's jar is on the CLI's classpath; Cassandra
 * itself runs in separate processes from the jars in {@code target/cassandra-lib}.
 */
public final class CassandraPeer {

    /** The Cassandra release in target/cassandra-lib; must match cassandra.version in pom.xml. */
    public static final String VERSION = "5.0.9";

    /** This module's directory name under the project root. */
    public static final String MODULE_DIR = "dynamo-cassandra-peer";

    /** The Java feature releases Cassandra 5.0 supports, preferred first. */
    static final List<Integer> SUPPORTED_JAVA = List.of(17, 11);

    private static final Pattern VERSION_OUTPUT = Pattern.compile("version \"([^\"]+)\"");
    private static final Pattern RELEASE_LINE = Pattern.compile("^JAVA_VERSION=\"?([^\"\\s]+)\"?\\s*$");

    private CassandraPeer() {}

    /** The Apache Cassandra version this module runs: {@value #VERSION}. */
    public static String version() {
        return VERSION;
    }

    /** The file name of Cassandra's main jar, which {@link #findLib} looks for. */
    public static String mainJarName() {
        return "cassandra-all-" + VERSION + ".jar";
    }

    /** Where the build puts Cassandra's jars, relative to the project root. */
    public static Path libDir(Path projectRoot) {
        return projectRoot.resolve(MODULE_DIR).resolve("target").resolve("cassandra-lib");
    }

    /** True when {@code dir} is a directory holding {@link #mainJarName()}. */
    public static boolean isLibDir(Path dir) {
        return dir != null && Files.isRegularFile(dir.resolve(mainJarName()));
    }

    /**
     * Cassandra's jars built by this module: {@code projectRoot/dynamo-cassandra-peer/target/cassandra-lib}
     * if it holds {@code cassandra-all-5.0.9.jar}.
     */
    public static Optional<Path> findLib(Path projectRoot) {
        Path dir = libDir(projectRoot);
        return isLibDir(dir) ? Optional.of(dir) : Optional.empty();
    }

    /** Like {@link #findLib} but throws an exception that says how to build the jars. */
    public static Path requireLib(Path projectRoot) {
        return findLib(projectRoot).orElseThrow(() -> new IllegalStateException(missingLibMessage(libDir(projectRoot))));
    }

    static String missingLibMessage(Path dir) {
        return "Cassandra " + VERSION + " jars not found: " + dir + " has no " + mainJarName()
                + ". Build them with ./dynamo build or mvn -pl " + MODULE_DIR + " package"
                + " (they are copied from Maven Central into " + MODULE_DIR + "/target/cassandra-lib).";
    }

    /**
     * A Java runtime for Cassandra (the {@code bin/java} executable). Looks, in order, at
     * <ol>
     *   <li>{@code $CASSANDRA_JAVA_HOME/bin/java}, then {@code $JAVA17_HOME/bin/java} (explicit choices: taken
     *       if the executable exists, whatever its version);</li>
     *   <li>{@code java} on the {@code PATH} if it is Java 11 or 17;</li>
     *   <li>the JDKs in {@code /usr/lib/jvm/*} whose {@code release} file says Java 17, else Java 11.</li>
     * </ol>
     */
    public static Optional<Path> findJava17() {
        return findJava17(System.getenv(), Path.of("/usr/lib/jvm"));
    }

    /** Like {@link #findJava17()} but throws an exception that says what to install or set. */
    public static Path requireJava17() {
        return findJava17().orElseThrow(() -> new IllegalStateException(missingJavaMessage()));
    }

    static String missingJavaMessage() {
        return "No Java 17 (or 11) runtime found to run Cassandra " + VERSION
                + " (Cassandra 5.0 does not run on newer Java). Install a JDK 17"
                + " (e.g. apt-get install openjdk-17-jre-headless) or set CASSANDRA_JAVA_HOME to its home directory.";
    }

    static Optional<Path> findJava17(Map<String, String> env, Path jvmRoot) {
        for (String var : List.of("CASSANDRA_JAVA_HOME", "JAVA17_HOME")) {
            String home = env.get(var);
            if (home != null && !home.isBlank()) {
                Path java = Path.of(home.trim()).resolve("bin").resolve("java");
                if (Files.isExecutable(java)) {
                    return Optional.of(java);
                }
            }
        }
        Optional<Path> onPath = findOnPath(env.get("PATH"));
        if (onPath.isPresent()) {
            OptionalInt feature = javaFeatureVersion(onPath.get());
            if (feature.isPresent() && SUPPORTED_JAVA.contains(feature.getAsInt())) {
                return onPath;
            }
        }
        return findInJvmRoot(jvmRoot);
    }

    static Optional<Path> findOnPath(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path java = Path.of(dir).resolve("java");
            if (Files.isRegularFile(java) && Files.isExecutable(java)) {
                return Optional.of(java);
            }
        }
        return Optional.empty();
    }

    /** The JDK under {@code jvmRoot} (e.g. /usr/lib/jvm) with the most preferred supported version. */
    static Optional<Path> findInJvmRoot(Path jvmRoot) {
        if (!Files.isDirectory(jvmRoot)) {
            return Optional.empty();
        }
        List<Path> homes;
        try (Stream<Path> list = Files.list(jvmRoot)) {
            homes = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        for (int wanted : SUPPORTED_JAVA) {
            for (Path home : homes) {
                Path java = home.resolve("bin").resolve("java");
                OptionalInt feature = releaseFileVersion(home)
                        .map(CassandraPeer::featureVersion)
                        .orElse(OptionalInt.empty());
                if (feature.isPresent() && feature.getAsInt() == wanted && Files.isExecutable(java)) {
                    return Optional.of(java);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The feature release (8, 11, 17, 21 ...) of a version string such as {@code 17.0.15},
     * {@code 11}, {@code 17-ea}, {@code 21.0.2+13-LTS} or the old style {@code 1.8.0_292}.
     */
    public static OptionalInt featureVersion(String version) {
        if (version == null) {
            return OptionalInt.empty();
        }
        Matcher m = Pattern.compile("^(\\d+)(?:\\.(\\d+))?").matcher(version.trim());
        if (!m.find()) {
            return OptionalInt.empty();
        }
        int first = Integer.parseInt(m.group(1));
        if (first == 1 && m.group(2) != null) {
            return OptionalInt.of(Integer.parseInt(m.group(2)));
        }
        return OptionalInt.of(first);
    }

    /** The quoted version in the output of {@code java -version}, e.g. {@code 17.0.15}. */
    static Optional<String> parseVersionOutput(String output) {
        Matcher m = VERSION_OUTPUT.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The JAVA_VERSION of a JDK's {@code release} file text. */
    static Optional<String> parseReleaseFile(String text) {
        for (String line : text.split("\\R")) {
            Matcher m = RELEASE_LINE.matcher(line.trim());
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> releaseFileVersion(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            return parseReleaseFile(Files.readString(release, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The full version of the Java runtime whose {@code bin/java} is given, e.g. {@code 17.0.15}: from the
     * runtime's {@code release} file if there is one, else from {@code java -version}.
     */
    public static Optional<String> javaVersion(Path javaExecutable) {
        Path real;
        try {
            real = javaExecutable.toRealPath();
        } catch (IOException e) {
            return Optional.empty();
        }
        Path bin = real.getParent();
        Path home = bin == null ? null : bin.getParent();
        if (home != null) {
            Optional<String> fromRelease = releaseFileVersion(home);
            if (fromRelease.isPresent()) {
                return fromRelease;
            }
        }
        return runJavaVersion(real);
    }

    /** The feature release of the runtime whose {@code bin/java} is given. */
    public static OptionalInt javaFeatureVersion(Path javaExecutable) {
        return javaVersion(javaExecutable).map(CassandraPeer::featureVersion).orElse(OptionalInt.empty());
    }

    private static Optional<String> runJavaVersion(Path java) {
        Process p = null;
        try {
            p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(64 * 1024);
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                return Optional.empty();
            }
            return parseVersionOutput(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** The last {@code lines} lines of a text file (read from its last 256 KB), or a note that it is missing. */
    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(" + file + " does not exist)";
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            int n = (int) Math.min(size, 256 * 1024);
            ByteBuffer buf = ByteBuffer.allocate(n);
            ch.position(size - n);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // keep reading
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            List<String> all = List.of(text.split("\\R"));
            int from = Math.max(0, all.size() - lines);
            return String.join(System.lineSeparator(), all.subList(from, all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}

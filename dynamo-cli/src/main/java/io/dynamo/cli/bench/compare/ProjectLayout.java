package io.dynamo.cli.bench.compare;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the benchmark's other programs are: the project checkout the CLI runs from. The launcher
 * passes {@code -Ddynamo.home=ROOT}; without it, the root is found from the CLI jar's place
 * ({@code ROOT/dynamo-cli/target/dynamo.jar}) or, in tests, from the working directory (a module
 * folder).
 */
public record ProjectLayout(Path root) {

    /** The YCSB binding for our client, and its runtime libraries. */
    public Path ycsbJar() {
        return root.resolve("dynamo-ycsb/target/dynamo-ycsb-0.1.0-SNAPSHOT.jar");
    }

    public Path ycsbLib() {
        return root.resolve("dynamo-ycsb/target/lib");
    }

    /** The workload files (a, b, c, f) the YCSB binding module ships. */
    public Path workloadFile(String workload) {
        return root.resolve("dynamo-ycsb/src/main/resources/workloads/workload" + workload);
    }

    /** The YCSB CQL binding, and its runtime libraries (the Cassandra driver, Netty 4.1). */
    public Path ycsbCqlJar() {
        return root.resolve("dynamo-ycsb-cql/target/dynamo-ycsb-cql-0.1.0-SNAPSHOT.jar");
    }

    public Path ycsbCqlLib() {
        return root.resolve("dynamo-ycsb-cql/target/lib");
    }

    /** Cassandra's own jars, gathered from Maven Central by the dynamo-cassandra-peer module. */
    public Path cassandraLib() {
        return root.resolve("dynamo-cassandra-peer/target/cassandra-lib");
    }

    public Path docs() {
        return root.resolve("docs");
    }

    /** The classpath of our YCSB binding: its jar and every library. */
    public String ycsbClasspath() {
        return ycsbJar() + java.io.File.pathSeparator + ycsbLib().resolve("*");
    }

    public String ycsbCqlClasspath() {
        return ycsbCqlJar() + java.io.File.pathSeparator + ycsbCqlLib().resolve("*");
    }

    /**
     * What is missing for a comparison with Cassandra, as lines a user can act on; empty when all
     * is there.
     */
    public List<String> missingForCompare() {
        List<String> missing = new ArrayList<>();
        String build = " (build it: mvn -pl %s -am package -DskipTests, or let ./dynamo bench compare build it)";
        if (!Files.isRegularFile(ycsbJar()) || !Files.isDirectory(ycsbLib())) {
            missing.add("our YCSB binding: " + ycsbJar() + String.format(build, "dynamo-ycsb"));
        }
        if (!Files.isRegularFile(ycsbCqlJar()) || !Files.isDirectory(ycsbCqlLib())) {
            missing.add("the YCSB CQL binding: " + ycsbCqlJar() + String.format(build, "dynamo-ycsb-cql"));
        }
        if (!Files.isRegularFile(cassandraLib().resolve("cassandra-all-5.0.9.jar"))) {
            missing.add("Cassandra's jars: " + cassandraLib() + String.format(build, "dynamo-cassandra-peer"));
        }
        for (String w : List.of("a", "b", "c", "f")) {
            if (!Files.isRegularFile(workloadFile(w))) {
                missing.add("the workload file " + workloadFile(w));
            }
        }
        return missing;
    }

    /** Finds the checkout; empty when the CLI runs outside one. */
    public static Optional<ProjectLayout> locate() {
        String home = System.getProperty("dynamo.home");
        if (home != null && !home.isBlank()) {
            Path root = Path.of(home).toAbsolutePath().normalize();
            return isRoot(root) ? Optional.of(new ProjectLayout(root)) : Optional.empty();
        }
        List<Path> starts = new ArrayList<>();
        try {
            var source = ProjectLayout.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                starts.add(Path.of(source.getLocation().toURI()));
            }
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            // Fall back to the working directory.
        }
        starts.add(Path.of("").toAbsolutePath());
        for (Path start : starts) {
            for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
                if (isRoot(p)) {
                    return Optional.of(new ProjectLayout(p));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot(Path p) {
        return Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("dynamo-cli"))
                && Files.isDirectory(p.resolve("dynamo-ycsb"));
    }
}

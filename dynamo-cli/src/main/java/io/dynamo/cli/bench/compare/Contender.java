package io.dynamo.cli.bench.compare;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A system the comparison measures: a local cluster it starts, a YCSB binding to drive it, and
 * its server processes (for CPU time, and to pause it while the other system is measured).
 */
interface Contender extends AutoCloseable {

    /** A short key for files and JSON: {@code dynamo}, {@code cassandra}. */
    String key();

    /** The name in reports. */
    String name();

    /** One line for reports: what the cluster is. */
    String describe();

    /** Starts the cluster and makes it ready for YCSB (schema, if any). */
    void start(Path workDir, Consumer<String> progress);

    /** The YCSB binding: classpath, class and properties. */
    String classpath();

    String dbClass();

    Map<String, String> ycsbProperties();

    List<Long> serverPids();

    default void pause() {
        Signals.pause(serverPids());
    }

    default void resume() {
        Signals.resume(serverPids());
    }

    /** Stops every process it started (resuming them first); safe to call twice and from a shutdown hook. */
    @Override
    void close();
}

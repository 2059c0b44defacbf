package io.dynamo.bench.versioning;

import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.Dot;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-request cost of causality tracking: a coordinated write, the merge a replica does when
 * states meet (read repair, hinted handoff, anti-entropy), and the client context round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class SiblingsBenchmark {

    private static final ActorId A = new ActorId("node-a", 1L);
    private static final ActorId B = new ActorId("node-b", 1L);
    private static final ActorId C = new ActorId("node-c", 1L);
    private static final ActorId D = new ActorId("node-d", 1L);

    /** Three concurrent blind writes through A, B and C: three siblings. */
    Siblings<String> stored;
    /** The context a client got by reading {@link #stored}. */
    VersionVector readContext;
    /** {@link #stored} after D overwrote A's value only: siblings B:1, C:1, D:1. */
    Siblings<String> diverged;
    /** A 5-actor context, as handed to a client. */
    VersionVector fiveActors;
    byte[] fiveActorsEncoded;

    @Setup
    public void setUp() {
        VersionVector none = VersionVector.empty();
        stored = Siblings.<String>empty()
                .update(none, "value-a", A)
                .update(none, "value-b", B)
                .update(none, "value-c", C);
        readContext = stored.context();
        diverged = stored.update(VersionVector.of(new Dot(A, 1L)), "value-d", D);
        check(stored.size() == 3 && diverged.size() == 3 && stored.sync(diverged).size() == 3,
                "expected two 3-sibling states that sync to 3 siblings");

        Map<ActorId, Long> counters = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            counters.put(new ActorId("node-" + i, 0x5eed0000L + i), 1000L * (i + 1) + i);
        }
        fiveActors = VersionVector.of(counters);
        fiveActorsEncoded = ContextCodec.encode(fiveActors);
        check(ContextCodec.decode(fiveActorsEncoded).equals(fiveActors), "context codec round trip");
    }

    /** A read-modify-write: the client's context covers all three siblings, which collapse to one. */
    @Benchmark
    public Siblings<String> updateWithContext() {
        return stored.update(readContext, "value-new", A);
    }

    /** Two replicas' 3-sibling states meet. */
    @Benchmark
    public Siblings<String> sync() {
        return stored.sync(diverged);
    }

    /** The client context of a 5-actor vector, to opaque bytes and back. */
    @Benchmark
    public VersionVector contextEncodeDecode() {
        return ContextCodec.decode(ContextCodec.encode(fiveActors));
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark setup broken: " + what);
        }
    }
}

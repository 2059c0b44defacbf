package io.dynamo.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.dynamo.core.merkle.KeyVersion;
import io.dynamo.core.merkle.MerkleTree;
import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.merkle.TreeSnapshot;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Dot;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.core.versioning.Versioned;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract plus what an engine must keep across a crash (no close, no flush): every
 * write whose durability future completed, every hint and metadata entry, every buffered write
 * flushed before the crash. For engines that can simulate a crash in process (the in-memory
 * engine and decorators over it); the RocksDB engine proves the same with a killed child JVM.
 */
public abstract class CrashContract extends StorageEngineContract {

    /**
     * Simulates a crash of the running {@code engine} (no close, no flush) and opens its data
     * again; the old instance must not be used afterwards.
     */
    protected abstract StorageEngine crash(StorageEngine engine);

    @Test
    void durableWritesHintsAndMetadataSurviveACrash() {
        StorageEngine engine = engine();
        WriteResult durable = engine.update(P, key("durable"), VersionVector.empty(), text("d"), NODE_A,
                Durability.DURABLE);
        WriteResult merged = engine.merge(Q, key("merged"), remote(NODE_B, "m"), Durability.DURABLE);
        assertThat(durable.durable()).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(merged.durable()).succeedsWithin(10, TimeUnit.SECONDS);
        Hint hint = engine.hints().append(TARGET_1, P, key("h"), remote(NODE_B, "hinted"));
        engine.metadata().put("node-id", new byte[] {7});
        untrack(engine);

        StorageEngine recovered = track(crash(engine));

        assertThat(recovered.get(P, key("durable"))).isEqualTo(durable.state());
        assertThat(recovered.get(Q, key("merged"))).isEqualTo(merged.state());
        assertThat(recovered.hints().list(TARGET_1, null, 10)).containsExactly(hint);
        assertThat(recovered.metadata().get("node-id")).isPresent();
    }

    @Test
    void aDurableMergeOfAStateAlreadyHeldBufferedMakesItDurable() {
        StorageEngine engine = engine();
        Siblings<Content> state = remote(NODE_B, "handed off twice");
        engine.merge(P, key("k"), state, Durability.BUFFERED);
        WriteResult again = engine.merge(P, key("k"), state, Durability.DURABLE);
        assertThat(again.changed()).isFalse();
        assertThat(again.durable()).succeedsWithin(10, TimeUnit.SECONDS);
        untrack(engine);

        StorageEngine recovered = track(crash(engine));

        assertThat(recovered.get(P, key("k"))).isEqualTo(state);
    }

    @Test
    void bufferedWritesFlushedBeforeACrashSurviveIt() {
        StorageEngine engine = engine();
        List<StoredKey> keys = writeKeys(engine, P, "k", 20);
        engine.removeIfUnchanged(P, keys.get(0), engine.get(P, keys.get(0)));
        engine.flush();
        List<StoredEntry> before = scanAll(engine, P, 100);
        untrack(engine);

        StorageEngine recovered = track(crash(engine));

        assertThat(scanAll(recovered, P, 100)).isEqualTo(before);
    }
}

package io.dynamo.server.antientropy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.InMemoryStorageEngine;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageLimits;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.FakeTransport;
import io.dynamo.server.ManualScheduler;
import io.dynamo.server.NodeConfig;
import io.dynamo.server.membership.FailureDetector;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.ReplicaWrite;
import io.dynamo.server.transport.Message.ReplicaWriteReply;
import io.dynamo.server.transport.Message.SegmentReply;
import io.dynamo.server.transport.Message.SegmentRequest;
import io.dynamo.server.transport.Requests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One exchange between two replicas of a partition, this node (A) against a peer (B) served by
 * B's real {@link AntiEntropy}, with the messages carried by hand so that the test sees each: the
 * replies stay within their entry bound, pushes go a window at a time, and both replicas end up
 * holding everything.
 */
class MerkleExchangeTest {

    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final int PARTITION = 3;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeTransport transportA = new FakeTransport(A);
    private final FakeTransport transportB = new FakeTransport(B);
    private final Requests requestsA = new Requests(transportA, scheduler, new FailureDetector(A, scheduler.clock()), 1);
    /** 64 segments, so that 700 keys make segments of about ten: the entry bound binds. */
    private static final TreeShape SHAPE = new TreeShape(8, 2);
    private final StorageEngine storageA = InMemoryStorageEngine.create(StorageLimits.DEFAULTS, SHAPE);
    private final StorageEngine storageB = InMemoryStorageEngine.create(StorageLimits.DEFAULTS, SHAPE);
    private final AntiEntropy servedByB = new AntiEntropy(NodeConfig.defaults(B),
            io.dynamo.server.coordinator.Namespaces.fixed(NodeConfig.defaults(B)), scheduler.clock(), scheduler,
            RandomSource.seeded(7), storageB, transportB,
            new Requests(transportB, scheduler, new FailureDetector(B, scheduler.clock()), 2),
            new FailureDetector(B, scheduler.clock()), () -> {
                throw new AssertionError("serving needs no ring");
            }, null);

    private final List<SegmentReply> replies = new ArrayList<>();
    private final List<SegmentRequest> segmentRequests = new ArrayList<>();
    private int pushesInFlight;
    private int mostPushesInFlight;
    private final List<ReplicaWrite> unanswered = new ArrayList<>();

    private static StoredKey key(String name) {
        return StoredKey.of("ns", name.getBytes(StandardCharsets.UTF_8));
    }

    private static Siblings<Content> value(String v) {
        return Siblings.<Content>empty().update(VersionVector.empty(),
                Content.of(v.getBytes(StandardCharsets.UTF_8), "text/plain", 0), new ActorId("w", 1));
    }

    private MerkleExchange.Outcome exchange() {
        MerkleExchange.Outcome[] outcome = new MerkleExchange.Outcome[1];
        new MerkleExchange(PARTITION, B, storageA, requestsA, Duration.ofSeconds(5), k -> true, k -> true,
                Durability.BUFFERED, o -> outcome[0] = o).start();
        // Carry messages until nothing moves. Pushed writes are answered one per step, oldest
        // first, so that the window has a chance to be overrun if it were not kept.
        for (int step = 0; step < 100_000 && outcome[0] == null; step++) {
            for (FakeTransport.Sent s : transportA.drain()) {
                Message m = s.message();
                if (m instanceof ReplicaWrite w) {
                    storageB.merge(w.partition(), w.key(), w.state(), w.durability());
                    unanswered.add(w);
                    pushesInFlight++;
                    mostPushesInFlight = Math.max(mostPushesInFlight, pushesInFlight);
                } else {
                    if (m instanceof SegmentRequest r) {
                        segmentRequests.add(r);
                    }
                    assertThat(servedByB.handle(A, m)).as("B serves " + m).isTrue();
                }
            }
            for (FakeTransport.Sent s : transportB.drain()) {
                if (s.message() instanceof SegmentReply r) {
                    replies.add(r);
                }
                requestsA.onReply(B, s.message());
            }
            if (!unanswered.isEmpty()) {
                ReplicaWrite w = unanswered.remove(0);
                pushesInFlight--;
                requestsA.onReply(B, ReplicaWriteReply.stored(w.requestId(), false));
            }
        }
        assertThat(outcome[0]).as("the exchange finished").isNotNull();
        return outcome[0];
    }

    @Test
    void aLargeDifferenceMovesInBoundedRepliesAndWindowedPushesAndBothEndUpWithEverything() {
        for (int i = 0; i < 400; i++) {
            storageA.merge(PARTITION, key("a-" + i), value("a" + i), Durability.BUFFERED);
        }
        for (int i = 0; i < 300; i++) {
            storageB.merge(PARTITION, key("b-" + i), value("b" + i), Durability.BUFFERED);
        }

        MerkleExchange.Outcome outcome = exchange();

        assertThat(outcome.ok()).as(String.valueOf(outcome.error())).isTrue();
        assertThat(outcome.changedHere()).isEqualTo(300);
        assertThat(outcome.sent()).isEqualTo(400);
        assertThat(storageA.merkleTree(PARTITION).root()).isEqualTo(storageB.merkleTree(PARTITION).root());
        assertThat(replies).isNotEmpty().allSatisfy(r -> assertThat(r.served() == 1
                || r.entries().size() <= MerkleExchange.ENTRIES_PER_REPLY).isTrue());
        assertThat(replies.stream().mapToInt(SegmentReply::served).sum())
                .as("every differing segment served once").isEqualTo(outcome.differingSegments());
        assertThat(segmentRequests).as("more requests than the segment cap alone would make")
                .hasSizeGreaterThan((outcome.differingSegments() + MerkleExchange.SEGMENTS_PER_REQUEST - 1)
                        / MerkleExchange.SEGMENTS_PER_REQUEST);
        assertThat(mostPushesInFlight).isEqualTo(MerkleExchange.PUSH_WINDOW);
    }

    @Test
    void aPeerThatServesNoSegmentEndsTheExchangeInsteadOfAskingForever() {
        storageA.merge(PARTITION, key("x"), value("x"), Durability.BUFFERED);
        MerkleExchange.Outcome[] outcome = new MerkleExchange.Outcome[1];
        new MerkleExchange(PARTITION, B, storageA, requestsA, Duration.ofSeconds(5), k -> true, k -> true,
                Durability.BUFFERED, o -> outcome[0] = o).start();
        for (int step = 0; step < 20 && outcome[0] == null; step++) {
            for (FakeTransport.Sent s : transportA.drain()) {
                if (s.message() instanceof SegmentRequest r) {
                    requestsA.onReply(B, new SegmentReply(r.requestId(), List.of(), 0, null));
                } else {
                    servedByB.handle(A, s.message());
                }
            }
            transportB.drain().forEach(s -> requestsA.onReply(B, s.message()));
        }

        assertThat(outcome[0]).isNotNull();
        assertThat(outcome[0].ok()).isFalse();
        assertThat(outcome[0].error()).contains("served 0 of");
    }
}

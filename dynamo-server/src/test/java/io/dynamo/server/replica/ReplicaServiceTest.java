package io.dynamo.server.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.merkle.TreeShape;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.Durability;
import io.dynamo.core.storage.FaultyStorageEngine;
import io.dynamo.core.storage.InMemoryStorageEngine;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StorageLimits;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.FakeTransport;
import io.dynamo.server.ManualScheduler;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Message.HintDelivery;
import io.dynamo.server.transport.Message.HintDeliveryReply;
import io.dynamo.server.transport.Message.Purge;
import io.dynamo.server.transport.Message.PurgeCheck;
import io.dynamo.server.transport.Message.PurgeCheckReply;
import io.dynamo.server.transport.Message.PurgeReply;
import io.dynamo.server.transport.Message.ReplicaRead;
import io.dynamo.server.transport.Message.ReplicaReadReply;
import io.dynamo.server.transport.Message.ReplicaWrite;
import io.dynamo.server.transport.Message.ReplicaWriteReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaServiceTest {

    private static final NodeId SELF = NodeId.of("replica");
    private static final NodeId COORDINATOR = NodeId.of("coordinator");
    private static final NodeId OWNER = NodeId.of("owner");
    private static final NodeId OTHER_OWNER = NodeId.of("other-owner");
    private static final int PARTITION = 3;
    private static final StoredKey KEY = StoredKey.of("ns", "k".getBytes(StandardCharsets.UTF_8));

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeTransport transport = new FakeTransport(SELF);
    private StorageEngine storage = InMemoryStorageEngine.create();
    private ReplicaService service = new ReplicaService(transport, scheduler, storage);

    private void use(StorageEngine engine) {
        storage = engine;
        service = new ReplicaService(transport, scheduler, engine);
    }

    private static Siblings<Content> write(String actor, String value) {
        return Siblings.<Content>empty().update(VersionVector.empty(),
                Content.of(value.getBytes(StandardCharsets.UTF_8), "text/plain", 0), new ActorId(actor, 1));
    }

    /** Handles {@code message} from the coordinator, runs what it deferred, and returns the one reply. */
    private Message handle(Message message) {
        transport.drain();
        assertThat(service.handle(COORDINATOR, message)).isTrue();
        scheduler.runDue();
        FakeTransport.Sent reply = transport.only();
        assertThat(reply.to()).isEqualTo(COORDINATOR);
        assertThat(reply.message().requestId()).isEqualTo(message.requestId());
        return reply.message();
    }

    // ------------------------------------------------------------------ ReplicaWrite

    @Test
    void aDurableReplicaWriteMergesIntoTheDataAndRepliesDurable() {
        Siblings<Content> state = write("a", "v1");

        Message reply = handle(new ReplicaWrite(11, PARTITION, KEY, state, Durability.DURABLE, null));

        assertThat(reply).isEqualTo(ReplicaWriteReply.stored(11, true));
        assertThat(storage.get(PARTITION, KEY)).isEqualTo(state);
        assertThat(storage.hints().countsByTarget()).isEmpty();
        assertThat(service.writes()).isEqualTo(1);
    }

    @Test
    void aBufferedReplicaWriteRepliesNotDurable() {
        Siblings<Content> state = write("a", "v1");

        Message reply = handle(new ReplicaWrite(12, PARTITION, KEY, state, Durability.BUFFERED, null));

        assertThat(reply).isEqualTo(ReplicaWriteReply.stored(12, false));
        assertThat(storage.get(PARTITION, KEY)).isEqualTo(state);
    }

    @Test
    void aReplicaWriteMergesCausallyWithWhatIsStored() {
        Siblings<Content> first = write("a", "v1");
        Siblings<Content> concurrent = write("b", "v2");
        handle(new ReplicaWrite(1, PARTITION, KEY, first, Durability.DURABLE, null));

        handle(new ReplicaWrite(2, PARTITION, KEY, concurrent, Durability.DURABLE, null));
        Message repeat = handle(new ReplicaWrite(3, PARTITION, KEY, first, Durability.DURABLE, null));

        assertThat(repeat).isEqualTo(ReplicaWriteReply.stored(3, true));
        assertThat(storage.get(PARTITION, KEY)).isEqualTo(first.sync(concurrent));
        assertThat(storage.get(PARTITION, KEY).size()).isEqualTo(2);
    }

    @Test
    void aHintedReplicaWriteStoresAHintAndNoData() {
        Siblings<Content> state = write("a", "v1");

        Message reply = handle(new ReplicaWrite(13, PARTITION, KEY, state, Durability.BUFFERED, OWNER));

        assertThat(reply).isEqualTo(ReplicaWriteReply.stored(13, true));
        assertThat(storage.get(PARTITION, KEY)).isEqualTo(Siblings.empty());
        assertThat(storage.partitions()).isEmpty();
        assertThat(storage.hints().get(OWNER, KEY)).hasValueSatisfying(h -> {
            assertThat(h.state()).isEqualTo(state);
            assertThat(h.partition()).isEqualTo(PARTITION);
        });
        assertThat(service.hintsStored()).isEqualTo(1);
        assertThat(service.writes()).isZero();
    }

    @Test
    void aStorageFailureGivesAnErrorReplyNotAnException() {
        FaultyStorageEngine faulty = new FaultyStorageEngine(InMemoryStorageEngine.create());
        use(faulty);
        faulty.failNextWrites(1, StorageException.Kind.IO);

        Message reply = handle(new ReplicaWrite(14, PARTITION, KEY, write("a", "v1"), Durability.DURABLE, null));

        assertThat(reply).isInstanceOfSatisfying(ReplicaWriteReply.class, r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.durable()).isFalse();
            assertThat(r.error()).contains("StorageException").contains("IO");
        });
        assertThat(storage.get(PARTITION, KEY)).isEqualTo(Siblings.empty());
        assertThat(service.failures()).isEqualTo(1);
    }

    @Test
    void aDiskFullHintAppendGivesAnErrorReply() {
        FaultyStorageEngine faulty = new FaultyStorageEngine(InMemoryStorageEngine.create());
        use(faulty);
        faulty.failNextWrites(1, StorageException.Kind.DISK_FULL);

        Message reply = handle(new ReplicaWrite(15, PARTITION, KEY, write("a", "v1"), Durability.DURABLE, OWNER));

        assertThat(reply).isInstanceOfSatisfying(ReplicaWriteReply.class, r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.error()).contains("DISK_FULL");
        });
        assertThat(storage.hints().countsByTarget()).isEmpty();
    }

    @Test
    void aFailedSyncGivesAnErrorReplyFromTheNodesThread() {
        FaultyStorageEngine faulty = new FaultyStorageEngine(InMemoryStorageEngine.create());
        use(faulty);
        faulty.failNextSyncs(1);

        assertThat(service.handle(COORDINATOR,
                new ReplicaWrite(16, PARTITION, KEY, write("a", "v1"), Durability.DURABLE, null))).isTrue();
        assertThat(transport.sent()).as("the reply waits for the scheduler").isEmpty();
        scheduler.runDue();

        assertThat(transport.only().message()).isInstanceOfSatisfying(ReplicaWriteReply.class, r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.error()).contains("sync failed");
        });
        assertThat(service.failures()).isEqualTo(1);
    }

    @Test
    void aWriteOverTheLimitsGivesAnErrorReply() {
        use(InMemoryStorageEngine.create(new StorageLimits(1024, 4, 100), TreeShape.DEFAULT));

        Message reply = handle(new ReplicaWrite(17, PARTITION, KEY, write("a", "too large"), Durability.DURABLE, null));
        Message hinted = handle(new ReplicaWrite(18, PARTITION, KEY, write("a", "too large"), Durability.DURABLE, OWNER));

        assertThat(reply).isInstanceOfSatisfying(ReplicaWriteReply.class, r -> assertThat(r.error()).contains("limit"));
        assertThat(hinted).isInstanceOfSatisfying(ReplicaWriteReply.class, r -> assertThat(r.ok()).isFalse());
        assertThat(service.failures()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ ReplicaRead

    @Test
    void aReadOfAnAbsentKeyAnswersTheEmptyState() {
        Message reply = handle(new ReplicaRead(21, PARTITION, KEY, null));

        assertThat(reply).isEqualTo(ReplicaReadReply.of(21, Siblings.empty()));
        assertThat(((ReplicaReadReply) reply).ok()).isTrue();
    }

    @Test
    void aReadAnswersTheStoredState() {
        Siblings<Content> state = write("a", "v1");
        storage.merge(PARTITION, KEY, state, Durability.DURABLE);

        assertThat(handle(new ReplicaRead(22, PARTITION, KEY, null))).isEqualTo(ReplicaReadReply.of(22, state));
        assertThat(handle(new ReplicaRead(23, PARTITION + 1, KEY, null)))
                .as("another partition holds nothing").isEqualTo(ReplicaReadReply.of(23, Siblings.empty()));
        assertThat(service.reads()).isEqualTo(2);
    }

    @Test
    void aFallbackReadAnswersFromTheHintNotFromItsData() {
        Siblings<Content> hinted = write("a", "hinted");
        storage.merge(PARTITION, KEY, write("b", "own data"), Durability.DURABLE);
        storage.hints().append(OWNER, PARTITION, KEY, hinted);

        assertThat(handle(new ReplicaRead(24, PARTITION, KEY, OWNER))).isEqualTo(ReplicaReadReply.of(24, hinted));
    }

    @Test
    void aFallbackReadWithoutAHintForThatOwnerAnswersAnError() {
        storage.merge(PARTITION, KEY, write("b", "own data"), Durability.DURABLE);
        storage.hints().append(OTHER_OWNER, PARTITION, KEY, write("a", "for someone else"));

        Message reply = handle(new ReplicaRead(25, PARTITION, KEY, OWNER));

        assertThat(reply).isInstanceOfSatisfying(ReplicaReadReply.class, r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.state()).isNull();
            assertThat(r.error()).contains("owner").contains("no hint");
        });
    }

    @Test
    void aReadOfAClosedEngineAnswersAnError() {
        storage.close();

        Message reply = handle(new ReplicaRead(26, PARTITION, KEY, null));

        assertThat(reply).isInstanceOfSatisfying(ReplicaReadReply.class, r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.error()).contains("CLOSED");
        });
        assertThat(service.failures()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ HintDelivery

    @Test
    void aHintDeliveryMergesDurablyAndAcknowledges() {
        Siblings<Content> state = write("a", "v1");

        Message reply = handle(new HintDelivery(31, PARTITION, KEY, state));

        assertThat(reply).isEqualTo(new HintDeliveryReply(31, true, false));
        assertThat(storage.get(PARTITION, KEY)).isEqualTo(state);
        assertThat(((InMemoryStorageEngine) storage).unflushedKeys()).as("merged durably").isZero();
    }

    @Test
    void aHintDeliveryThatWouldBreakTheSiblingLimitIsRejected() {
        use(InMemoryStorageEngine.create(new StorageLimits(1024, 1024, 2), TreeShape.DEFAULT));
        Siblings<Content> two = write("a", "v1").sync(write("b", "v2"));
        storage.merge(PARTITION, KEY, two, Durability.DURABLE);

        Message reply = handle(new HintDelivery(32, PARTITION, KEY, write("c", "v3")));

        assertThat(reply).isEqualTo(new HintDeliveryReply(32, false, true));
        assertThat(storage.get(PARTITION, KEY)).isEqualTo(two);
    }

    @Test
    void aHintDeliveryThatFailsInStorageIsNotRejected() {
        FaultyStorageEngine faulty = new FaultyStorageEngine(InMemoryStorageEngine.create());
        use(faulty);
        faulty.failNextWrites(1, StorageException.Kind.IO);

        assertThat(handle(new HintDelivery(33, PARTITION, KEY, write("a", "v1"))))
                .isEqualTo(new HintDeliveryReply(33, false, false));

        faulty.failNextSyncs(1);
        assertThat(handle(new HintDelivery(34, PARTITION, KEY, write("a", "v1"))))
                .as("not acknowledged before it is durable").isEqualTo(new HintDeliveryReply(34, false, false));
    }

    // ------------------------------------------------------------------ PurgeCheck and Purge

    @Test
    void aPurgeCheckReportsTheDataStateAndWhetherAHintForAnOwnerIsHeld() {
        Siblings<Content> tombstone = Siblings.<Content>empty().update(VersionVector.empty(), Content.tombstone(5),
                new ActorId("a", 1));
        storage.merge(PARTITION, KEY, tombstone, Durability.DURABLE);

        assertThat(handle(new PurgeCheck(41, PARTITION, KEY, List.of(OWNER, OTHER_OWNER))))
                .isEqualTo(new PurgeCheckReply(41, tombstone, false, null));

        storage.hints().append(NodeId.of("not-an-owner"), PARTITION, KEY, write("x", "v"));
        assertThat(handle(new PurgeCheck(42, PARTITION, KEY, List.of(OWNER, OTHER_OWNER))))
                .as("a hint for a node that is not an owner does not count")
                .isEqualTo(new PurgeCheckReply(42, tombstone, false, null));

        storage.hints().append(OTHER_OWNER, PARTITION, KEY, write("x", "v"));
        assertThat(handle(new PurgeCheck(43, PARTITION, KEY, List.of(OWNER, OTHER_OWNER))))
                .isEqualTo(new PurgeCheckReply(43, tombstone, true, null));
    }

    @Test
    void aPurgeCheckOfAnAbsentKeyReportsTheEmptyState() {
        PurgeCheckReply reply = (PurgeCheckReply) handle(new PurgeCheck(44, PARTITION, KEY, List.of(OWNER)));

        assertThat(reply.ok()).isTrue();
        assertThat(reply.state()).isEqualTo(Siblings.empty());
        assertThat(reply.holdsHint()).isFalse();
    }

    @Test
    void aPurgeRemovesAnUnchangedState() {
        Siblings<Content> tombstone = Siblings.<Content>empty().update(VersionVector.empty(), Content.tombstone(5),
                new ActorId("a", 1));
        storage.merge(PARTITION, KEY, tombstone, Durability.DURABLE);

        assertThat(handle(new Purge(51, PARTITION, KEY, tombstone))).isEqualTo(new PurgeReply(51, true));

        assertThat(storage.get(PARTITION, KEY)).isEqualTo(Siblings.empty());
        assertThat(service.purged()).isEqualTo(1);
    }

    @Test
    void aPurgeKeepsAStateThatChanged() {
        Siblings<Content> tombstone = Siblings.<Content>empty().update(VersionVector.empty(), Content.tombstone(5),
                new ActorId("a", 1));
        Siblings<Content> changed = tombstone.sync(write("b", "written after the delete"));
        storage.merge(PARTITION, KEY, changed, Durability.DURABLE);

        assertThat(handle(new Purge(52, PARTITION, KEY, tombstone))).isEqualTo(new PurgeReply(52, false));
        assertThat(handle(new Purge(53, PARTITION, StoredKey.of("ns", new byte[] {9}), tombstone)))
                .as("an absent key").isEqualTo(new PurgeReply(53, false));

        assertThat(storage.get(PARTITION, KEY)).isEqualTo(changed);
        assertThat(service.purged()).isZero();
    }

    @Test
    void aPurgeThatFailsInStorageRepliesNotRemoved() {
        FaultyStorageEngine faulty = new FaultyStorageEngine(InMemoryStorageEngine.create());
        use(faulty);
        Siblings<Content> tombstone = Siblings.<Content>empty().update(VersionVector.empty(), Content.tombstone(5),
                new ActorId("a", 1));
        faulty.merge(PARTITION, KEY, tombstone, Durability.DURABLE);
        faulty.failNextWrites(1, StorageException.Kind.IO);

        assertThat(handle(new Purge(54, PARTITION, KEY, tombstone))).isEqualTo(new PurgeReply(54, false));
        assertThat(storage.get(PARTITION, KEY)).isEqualTo(tombstone);
    }

    // ------------------------------------------------------------------ other messages

    @Test
    void otherMessagesAreNotHandled() {
        assertThat(service.handle(COORDINATOR, new Message.Ping(1))).isFalse();
        assertThat(service.handle(COORDINATOR, ReplicaWriteReply.stored(2, true))).isFalse();
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void aHintDeliveryWithoutAnAdmissionPermitIsAnsweredNotNowWithWhenToAskAgainAndChangesNothing() {
        var clock = scheduler.clock();
        var admission = new io.dynamo.server.admission.AdmissionController(clock,
                io.dynamo.server.admission.AdmissionController.Settings.DEFAULTS.withRates(1, 1));
        assertThat(admission.tryAcquire("use up the only permit")).isTrue();
        ReplicaService paced = new ReplicaService(transport, scheduler, storage, admission);
        io.dynamo.core.storage.StoredKey k = io.dynamo.core.storage.StoredKey.of("ns", new byte[] {1});
        var state = io.dynamo.core.versioning.Siblings.<io.dynamo.core.storage.Content>empty().update(
                io.dynamo.core.versioning.VersionVector.empty(),
                io.dynamo.core.storage.Content.of(new byte[] {2}, "t", 0), new io.dynamo.core.versioning.ActorId("x", 1));
        paced.handle(io.dynamo.core.ring.NodeId.of("fallback"), new io.dynamo.server.transport.Message.HintDelivery(5, 0, k, state));
        scheduler.runFor(java.time.Duration.ofMillis(1));
        // One permit a second, just spent: ask again when the next is due.
        assertThat(transport.sent()).last().extracting(sent -> sent.message())
                .isEqualTo(new io.dynamo.server.transport.Message.HintDeliveryReply(5, false, false, 1000));
        assertThat(storage.get(0, k).isEmpty()).isTrue();
        assertThat(paced.busy()).isEqualTo(1);
    }
}

package io.dynamo.server.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.storage.FaultyStorageEngine;
import io.dynamo.core.storage.Hint;
import io.dynamo.core.storage.InMemoryStorageEngine;
import io.dynamo.core.storage.StorageEngine;
import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StoredKey;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.FakeTransport;
import io.dynamo.server.ManualScheduler;
import io.dynamo.server.NodeConfig;
import io.dynamo.server.membership.FailureDetector;
import io.dynamo.server.transport.Message.HintDelivery;
import io.dynamo.server.transport.Message.HintDeliveryReply;
import io.dynamo.server.transport.Requests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HintedHandoffTest {

    private static final NodeId SELF = NodeId.of("self");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId C = NodeId.of("c");
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final int PARTITION = 5;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeTransport transport = new FakeTransport(SELF);
    private final FailureDetector detector = new FailureDetector(SELF, scheduler.clock());
    private final Requests requests = new Requests(transport, scheduler, detector, 3);
    private StorageEngine storage = InMemoryStorageEngine.create();
    private HintedHandoff handoff;

    // ------------------------------------------------------------------ helpers

    private void start(int batch, int perSecond, Duration backoffMin, Duration backoffMax, Duration replicaTimeout) {
        NodeConfig config = NodeConfig.defaults(SELF)
                .withHintDelivery(INTERVAL, batch, perSecond, backoffMin, backoffMax)
                .withTombstoneGrace(Duration.ofMinutes(5))
                .withReplicaTimeout(replicaTimeout);
        handoff = new HintedHandoff(config, scheduler.clock(), scheduler, RandomSource.seeded(42), storage, requests);
        handoff.start();
    }

    private static StoredKey key(String name) {
        return StoredKey.of("ns", name.getBytes(StandardCharsets.UTF_8));
    }

    private static Siblings<Content> write(String actor, String value) {
        return Siblings.<Content>empty().update(VersionVector.empty(),
                Content.of(value.getBytes(StandardCharsets.UTF_8), "text/plain", 0), new ActorId(actor, 1));
    }

    private void storeHints(NodeId target, int count) {
        for (int i = 0; i < count; i++) {
            storage.hints().append(target, PARTITION, key(target + "-" + i), write("w", target + "-" + i));
        }
    }

    /** Advances by {@code d} and returns the deliveries sent meanwhile. */
    private List<HintDelivery> run(Duration d) {
        transport.drain();
        scheduler.runFor(d);
        return transport.sent(HintDelivery.class);
    }

    /** Advances one hint interval and returns the deliveries sent meanwhile. */
    private List<HintDelivery> tick() {
        return run(INTERVAL);
    }

    private List<HintDelivery> deliveriesTo(NodeId target) {
        return transport.sentTo(target, HintDelivery.class);
    }

    private void reply(NodeId from, HintDelivery d, boolean ok, boolean rejected) {
        assertThat(requests.onReply(from, new HintDeliveryReply(d.requestId(), ok, rejected))).isTrue();
    }

    /**
     * Acknowledges {@code sent}, then each batch that follows at once, {@code rounds} times;
     * returns the sizes of the batches that followed.
     */
    private List<Integer> acknowledgeRounds(List<HintDelivery> sent, int rounds) {
        List<Integer> sizes = new java.util.ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            sent.forEach(d -> reply(B, d, true, false));
            sent = run(Duration.ZERO);
            sizes.add(sent.size());
        }
        return sizes;
    }

    /** The target a delivery was meant for: the stored hints' keys are named after it. */
    private static NodeId targetOf(HintDelivery d) {
        String name = new String(d.key().bytes(), StandardCharsets.UTF_8);
        return NodeId.of(name.substring(0, name.indexOf('-')));
    }

    private List<StoredKey> hintKeys(NodeId target) {
        return storage.hints().list(target, null, 1000).stream().map(Hint::key).toList();
    }

    // ------------------------------------------------------------------ batch and rate

    @Test
    void nothingIsSentWithoutHints() {
        start(4, 1000, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(1));

        assertThat(run(INTERVAL.multipliedBy(5))).isEmpty();
        assertThat(transport.sent()).isEmpty();
    }

    @Test
    void aTickSendsTheStoredHintsAsTheyAre() {
        start(4, 1000, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(1));
        storeHints(B, 2);
        List<Hint> stored = storage.hints().list(B, null, 10);

        assertThat(run(INTERVAL.minusNanos(1))).as("the first tick waits one interval").isEmpty();
        List<HintDelivery> sent = run(Duration.ofNanos(1));

        assertThat(sent).hasSize(2);
        assertThat(deliveriesTo(B)).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(sent.get(i).key()).isEqualTo(stored.get(i).key());
            assertThat(sent.get(i).state()).isEqualTo(stored.get(i).state());
            assertThat(sent.get(i).partition()).isEqualTo(PARTITION);
        }
    }

    @Test
    void aTickSendsAtMostABatchPerTargetAndAtMostTheRateBudgetOverall() {
        // 30 per second at one tick per 100 ms: a budget of 3 per tick.
        start(2, 30, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10));
        storeHints(B, 5);
        storeHints(C, 5);

        List<HintDelivery> first = tick();

        assertThat(first).hasSize(3);
        assertThat(deliveriesTo(B)).hasSize(2);
        assertThat(deliveriesTo(C)).hasSize(1);

        assertThat(tick()).as("nothing more while a target's batch is in flight").isEmpty();

        for (HintDelivery d : first) {
            reply(targetOf(d), d, true, false);
        }
        assertThat(handoff.delivered()).isEqualTo(3);
        assertThat(storage.hints().countsByTarget()).containsEntry(B, 3L).containsEntry(C, 4L);

        List<HintDelivery> next = tick();
        assertThat(next).hasSize(3);
        assertThat(deliveriesTo(B)).hasSize(2).extracting(HintDelivery::key)
                .doesNotContainAnyElementsOf(first.stream().map(HintDelivery::key).toList());
        assertThat(deliveriesTo(C)).hasSize(1);
    }

    @Test
    void anAcknowledgedBatchIsFollowedAtOnceByTheNextWithinTheTicksBudget() {
        // 100 per second at one tick per 100 ms: a budget of 10 per tick, batches of 4.
        start(4, 100, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10));
        storeHints(B, 20);
        List<HintDelivery> sent = tick();
        assertThat(sent).hasSize(4);
        assertThat(acknowledgeRounds(sent, 3)).as("the batches that follow without waiting for a tick, until the"
                + " tick's budget of 10 is spent").containsExactly(4, 2, 0);
        assertThat(tick()).hasSize(4);
        assertThat(handoff.delivered()).isEqualTo(10);
    }

    @Test
    void theRateBudgetIsAtLeastOneHintPerTick() {
        // 1 per second at one tick per 100 ms rounds to 0; one hint still goes out per tick.
        start(8, 1, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMillis(50));
        storeHints(B, 3);

        List<HintDelivery> sent = tick();
        assertThat(sent).hasSize(1);
        reply(B, sent.get(0), true, false);

        assertThat(tick()).hasSize(1);
    }

    // ------------------------------------------------------------------ acknowledgements

    @Test
    void anOkReplyDeletesExactlyThatHintButNotOneThatChangedSinceItWasSent() {
        start(2, 1000, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10));
        storeHints(B, 2);
        List<HintDelivery> sent = tick();
        assertThat(sent).hasSize(2);
        HintDelivery changed = sent.get(0);
        HintDelivery unchanged = sent.get(1);

        // A write for the first key merges into its hint while the delivery is in flight.
        Hint merged = storage.hints().append(B, PARTITION, changed.key(), write("other", "newer"));
        assertThat(merged.state()).isNotEqualTo(changed.state());
        reply(B, changed, true, false);
        reply(B, unchanged, true, false);

        assertThat(hintKeys(B)).containsExactly(changed.key());
        assertThat(storage.hints().get(B, changed.key())).contains(merged);
        assertThat(handoff.delivered()).isEqualTo(1);
        assertThat(handoff.backoff(B)).isZero();

        List<HintDelivery> again = tick();
        assertThat(again).hasSize(1);
        assertThat(again.get(0).key()).isEqualTo(changed.key());
        assertThat(again.get(0).state()).isEqualTo(merged.state());

        reply(B, again.get(0), true, false);
        assertThat(storage.hints().countsByTarget()).doesNotContainKey(B);
        assertThat(handoff.delivered()).isEqualTo(2);
    }

    @Test
    void aDuplicatedOkReplyDeletesNothingMore() {
        start(1, 1000, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10));
        storeHints(B, 1);
        HintDelivery d = tick().get(0);
        reply(B, d, true, false);
        Hint recreated = storage.hints().append(B, PARTITION, d.key(), write("w", "again"));

        assertThat(requests.onReply(B, new HintDeliveryReply(d.requestId(), true, false))).isFalse();

        assertThat(storage.hints().get(B, d.key())).contains(recreated);
        assertThat(handoff.delivered()).isEqualTo(1);
    }

    @Test
    void aFailedDeleteKeepsTheHintForTheNextPass() {
        FaultyStorageEngine faulty = new FaultyStorageEngine(InMemoryStorageEngine.create());
        storage = faulty;
        start(1, 1000, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10));
        storeHints(B, 1);
        HintDelivery d = tick().get(0);

        faulty.failNextWrites(1, StorageException.Kind.IO);
        reply(B, d, true, false);

        assertThat(hintKeys(B)).containsExactly(d.key());
        assertThat(handoff.delivered()).isZero();
        assertThat(handoff.failedAttempts()).isEqualTo(1);
        List<HintDelivery> again = tick();
        assertThat(again).extracting(HintDelivery::key).containsExactly(d.key());
    }

    // ------------------------------------------------------------------ backoff

    @Test
    void aTimeoutBacksTheTargetOffAndNothingIsSentUntilTheBackoffPasses() {
        Duration timeout = Duration.ofMillis(50);
        start(3, 1000, Duration.ofSeconds(1), Duration.ofSeconds(60), timeout);
        storeHints(B, 3);
        storeHints(C, 1);

        assertThat(tick()).hasSize(4);
        HintDelivery toC = deliveriesTo(C).get(0);
        reply(C, toC, true, false);
        run(timeout);

        Duration backoff = handoff.backoff(B);
        assertThat(backoff).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(handoff.backoff(C)).as("other targets are unaffected").isZero();
        assertThat(handoff.failedAttempts()).isEqualTo(3);
        assertThat(detector.isReachable(B)).isFalse();

        assertThat(run(backoff.minusNanos(1))).isEmpty();
        assertThat(run(INTERVAL)).hasSize(3).allSatisfy(d -> assertThat(targetOf(d)).isEqualTo(B));
    }

    @Test
    void theBackoffGrowsOncePerRoundNotOncePerHintAndOneSuccessResetsIt() {
        Duration timeout = Duration.ofMillis(50);
        start(3, 1000, Duration.ofSeconds(1), Duration.ofSeconds(60), timeout);
        storeHints(B, 6);

        // Round 1: three hints time out together; one failure's worth of backoff, 0.5..1 s.
        assertThat(tick()).hasSize(3);
        run(timeout);
        Duration first = handoff.backoff(B);
        assertThat(first).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));

        // Round 2: two failures' worth, 1..2 s (per hint it would already be 32 s).
        assertThat(run(first.minusNanos(1))).isEmpty();
        assertThat(run(INTERVAL)).hasSize(3);
        run(timeout);
        Duration second = handoff.backoff(B);
        assertThat(second).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(handoff.failedAttempts()).isEqualTo(6);

        // Round 3: every hint is acknowledged; the backoff is gone.
        assertThat(run(second.minusNanos(1))).isEmpty();
        List<HintDelivery> third = run(INTERVAL);
        assertThat(third).hasSize(3);
        third.forEach(d -> reply(B, d, true, false));
        assertThat(handoff.backoff(B)).isZero();
        assertThat(handoff.delivered()).isEqualTo(3);

        // Round 4 goes out at once, not at the next tick: the whole batch was acknowledged. Its
        // timeouts start the backoff again from the minimum.
        assertThat(run(Duration.ZERO)).hasSize(3);
        run(timeout);
        assertThat(handoff.backoff(B)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void theBackoffIsCappedAtTheMaximum() {
        Duration timeout = Duration.ofMillis(50);
        start(1, 1000, Duration.ofSeconds(1), Duration.ofSeconds(4), timeout);
        storeHints(B, 1);

        for (int round = 0; round < 8; round++) {
            List<HintDelivery> sent = List.of();
            for (int i = 0; i < 100 && sent.isEmpty(); i++) {
                sent = tick();
            }
            assertThat(sent).hasSize(1);
            run(timeout);
            assertThat(handoff.backoff(B)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(4));
        }
        assertThat(handoff.backoff(B)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aFailedReplyBacksOffLikeATimeout() {
        start(1, 1000, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10));
        storeHints(B, 2);
        HintDelivery d = tick().get(0);

        reply(B, d, false, false);

        assertThat(handoff.backoff(B)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(handoff.failedAttempts()).isEqualTo(1);
        assertThat(hintKeys(B)).hasSize(2);
        assertThat(tick()).isEmpty();
    }

    @Test
    void aNotNowReplyWaitsAsLongAsTheOwnerAskedThenProbesWithOneHintAndGrowsBackToTheBatch() {
        start(4, 1000, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10));
        storeHints(B, 20);
        List<HintDelivery> first = tick();
        assertThat(first).hasSize(4);

        // The owner is shedding background work: "not now, ask again in 300 ms", for all four.
        first.forEach(d -> assertThat(requests.onReply(B, new HintDeliveryReply(d.requestId(), false, false, 300)))
                .isTrue());

        assertThat(handoff.deferred()).isEqualTo(4);
        assertThat(handoff.failedAttempts()).as("not a failure").isZero();
        assertThat(handoff.backoff(B)).as("what it asked, plus up to half again")
                .isBetween(Duration.ofMillis(300), Duration.ofMillis(450));
        assertThat(hintKeys(B)).hasSize(20);
        assertThat(run(Duration.ofMillis(299))).isEmpty();

        // Then one hint, a probe; each batch acknowledged whole doubles the next, up to the batch.
        List<HintDelivery> probe = run(Duration.ofMillis(151).plus(INTERVAL));
        assertThat(probe).hasSize(1);
        assertThat(acknowledgeRounds(probe, 3)).containsExactly(2, 4, 4);
        assertThat(handoff.delivered()).isEqualTo(7);
    }

    @Test
    void aRejectedReplyDoesNotBackOffAndKeepsTheHint() {
        start(1, 1000, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10));
        storeHints(B, 2);
        HintDelivery d = tick().get(0);

        reply(B, d, false, true);

        assertThat(handoff.backoff(B)).isZero();
        assertThat(handoff.rejected()).isEqualTo(1);
        assertThat(handoff.failedAttempts()).isZero();
        assertThat(hintKeys(B)).contains(d.key()).hasSize(2);
        List<HintDelivery> next = tick();
        assertThat(next).hasSize(1);
        assertThat(next.get(0).key()).as("the cursor moved past the rejected hint").isNotEqualTo(d.key());
    }

    @Test
    void aFastFailureAndLaterTimeoutsOfOneBatchCountAsOneRound() {
        // batch of 2, replica timeout 1 s, backoff from 100 ms
        start(2, 1000, Duration.ofMillis(100), Duration.ofSeconds(60), Duration.ofSeconds(1));
        storeHints(B, 2);
        List<HintDelivery> round1 = tick();
        assertThat(round1).hasSize(2);
        reply(B, round1.get(0), false, false);      // fails at once: a 50..100 ms backoff
        Duration afterFastFailure = handoff.backoff(B);
        assertThat(afterFastFailure).isPositive().isLessThanOrEqualTo(Duration.ofMillis(100));
        // The other delivery of the same batch times out after that backoff expired: still the
        // same failed round, so no second, longer backoff.
        List<HintDelivery> meanwhile = run(Duration.ofMillis(999));
        assertThat(meanwhile).as("the batch is still in flight").isEmpty();
        // The timeout and the next tick fall on the same instant: the next round goes out at once.
        List<HintDelivery> round2 = run(Duration.ofMillis(2));
        assertThat(handoff.backoff(B)).as("no new backoff for the same round").isZero();
        assertThat(round2).as("the next round goes out at the next tick").hasSize(2);
    }

    @Test
    void aRejectedHintIsNotResentUntilItChanges() {
        start(4, 1000, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(10));
        storeHints(B, 1);
        HintDelivery d = tick().get(0);
        reply(B, d, false, true);
        int resent = 0;
        for (int i = 0; i < 10; i++) {
            for (HintDelivery again : tick()) {
                resent++;
                reply(B, again, false, true);
            }
        }
        assertThat(resent).isZero();
    }
}

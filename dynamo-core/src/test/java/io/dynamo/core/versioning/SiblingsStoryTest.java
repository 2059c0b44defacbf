package io.dynamo.core.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Short stories about one key, read as the paper (§4.4) and Riak's bug reports tell them. */
class SiblingsStoryTest {

    private static final ActorId NODE_A = new ActorId("node-a", 7);
    private static final ActorId NODE_B = new ActorId("node-b", 9);
    private static final String TOMBSTONE = "<deleted>";

    private static List<String> values(Siblings<String> s) {
        return s.values().stream().map(Versioned::value).toList();
    }

    @Test
    void twoBlindWritesThroughOneCoordinatorBecomeSiblings() {
        Siblings<String> a = Siblings.<String>empty()
                .update(VersionVector.empty(), "cart: milk", NODE_A)
                .update(VersionVector.empty(), "cart: eggs", NODE_A);

        assertThat(values(a)).containsExactly("cart: milk", "cart: eggs");
        assertThat(a.values()).extracting(Versioned::dot)
                .containsExactly(new Dot(NODE_A, 1), new Dot(NODE_A, 2));
    }

    @Test
    void aClientThatReadBothSiblingsReplacesThemWithOneValue() {
        Siblings<String> a = Siblings.<String>empty()
                .update(VersionVector.empty(), "cart: milk", NODE_A)
                .update(VersionVector.empty(), "cart: eggs", NODE_A);

        VersionVector read = a.context();
        a = a.update(read, "cart: milk, eggs", NODE_A);

        assertThat(values(a)).containsExactly("cart: milk, eggs");
    }

    @Test
    void interleavedReadModifyWriteClientsNeverPileUpSiblings() {
        // Riak before 2.0: two clients alternately read and write through one coordinator, and
        // with per-node vector clocks every round added a sibling. With dots, each write
        // supersedes what its client read, so only the two clients' latest writes are concurrent.
        Siblings<String> a = Siblings.empty();
        VersionVector xRead = VersionVector.empty();
        VersionVector yRead = VersionVector.empty();
        for (int round = 0; round < 100; round++) {
            a = a.update(xRead, "x" + round, NODE_A);
            a = a.update(yRead, "y" + round, NODE_A);
            xRead = a.context();
            assertThat(values(a)).hasSizeLessThanOrEqualTo(2);
            a = a.update(xRead, "x-resolved" + round, NODE_A);
            yRead = a.context();
            assertThat(values(a)).containsExactly("x-resolved" + round);
        }
    }

    @Test
    void aWriteWithAStaleContextKeepsTheValuesItDidNotSee() {
        Siblings<String> a = Siblings.<String>empty().update(VersionVector.empty(), "v1", NODE_A);
        VersionVector sawV1 = a.context();
        a = a.update(sawV1, "v2 from Alice", NODE_A);
        a = a.update(sawV1, "v2 from Bob", NODE_A);

        assertThat(values(a)).containsExactly("v2 from Alice", "v2 from Bob");
    }

    @Test
    void replicasThatLearnWritesInDifferentOrdersAgreeAndDigestAlike() {
        Siblings<String> onA = Siblings.<String>empty().update(VersionVector.empty(), "from a", NODE_A);
        Siblings<String> onB = Siblings.<String>empty().update(VersionVector.empty(), "from b", NODE_B);
        Siblings<String> third = Siblings.empty();

        Siblings<String> aThenB = third.sync(onA).sync(onB);
        Siblings<String> bThenA = third.sync(onB).sync(onA);

        assertThat(aThenB).isEqualTo(bThenA);
        assertThat(aThenB.versionDigest()).isEqualTo(bThenA.versionDigest());
        assertThat(values(aThenB)).containsExactly("from a", "from b");
        assertThat(onA.compare(onB)).isEqualTo(Occurred.CONCURRENT);
        assertThat(onA.compare(aThenB)).isEqualTo(Occurred.BEFORE);
    }

    @Test
    void aDeleteIsATombstoneWriteThatSupersedesOnlyWhatTheClientSaw() {
        Siblings<String> a = Siblings.<String>empty().update(VersionVector.empty(), "v1", NODE_A);
        Siblings<String> b = a.update(a.context(), "v2 written on b", NODE_B); // b saw v1
        VersionVector deleterSaw = a.context();
        a = a.update(deleterSaw, TOMBSTONE, NODE_A);                          // concurrent with v2

        Siblings<String> merged = a.sync(b);

        assertThat(values(merged)).containsExactly(TOMBSTONE, "v2 written on b");
        Siblings<String> resolved = merged.update(merged.context(), TOMBSTONE, NODE_A);
        assertThat(values(resolved)).containsExactly(TOMBSTONE);
    }

    @Test
    void discardedValuesDoNotComeBackFromAReplicaThatStillHoldsThem() {
        Siblings<String> a = Siblings.<String>empty().update(VersionVector.empty(), "old", NODE_A);
        Siblings<String> b = a;                        // replica b holds the same value

        a = a.discard(a.context());

        assertThat(a.isEmpty()).isTrue();
        assertThat(a.sync(b).isEmpty()).isTrue();
        assertThat(b.compare(a)).isEqualTo(Occurred.BEFORE);
    }

    @Test
    void aNodeThatLostItsDataWritesUnderANewIncarnationAndIsNotSwallowed() {
        // Riak KV679: node a wrote v1..v3, replicated them to b, then lost its disk.
        ActorId firstLife = new ActorId("node-a", 1);
        Siblings<String> onA = Siblings.empty();
        for (int i = 1; i <= 3; i++) {
            onA = onA.update(onA.context(), "v" + i, firstLife);
        }
        Siblings<String> onB = Siblings.<String>empty().sync(onA);

        // a restarts with an empty data directory, so it takes a new incarnation.
        ActorId secondLife = new ActorId("node-a", 2);
        Siblings<String> restarted = Siblings.<String>empty().update(VersionVector.empty(), "new", secondLife);

        Siblings<String> repairedB = onB.sync(restarted);
        assertThat(values(repairedB)).containsExactly("v3", "new");
    }

    @Test
    void reusingTheOldIncarnationAfterDataLossWouldSwallowTheWrite() {
        // The same story without the incarnation rule, to show what the rule prevents.
        ActorId sameLife = new ActorId("node-a", 1);
        Siblings<String> onA = Siblings.empty();
        for (int i = 1; i <= 3; i++) {
            onA = onA.update(onA.context(), "v" + i, sameLife);
        }
        Siblings<String> onB = Siblings.<String>empty().sync(onA);

        Siblings<String> restarted = Siblings.<String>empty().update(VersionVector.empty(), "new", sameLife);

        assertThat(restarted.values()).extracting(Versioned::dot).containsExactly(new Dot(sameLife, 1));
        assertThat(values(onB.sync(restarted))).as("the write is lost").containsExactly("v3");
    }

    @Test
    void theModelSeesTheSameLossWhenAWipedReplicaKeepsItsIncarnation() {
        ModelCluster cluster = new ModelCluster(2, 1, false);
        cluster.write(0, 0);
        cluster.apply(new ModelCluster.Op.Sync(0, 1));
        cluster.apply(new ModelCluster.Op.Wipe(0));
        int lost = cluster.write(0, 0);
        cluster.syncAll();

        assertThat(cluster.expected(1)).contains(lost);
        assertThat(cluster.actual(1)).doesNotContain(lost);
    }

    @Test
    void aCoordinatorNeverIssuesACounterTheClientHasAlreadySeen() {
        // Second line of defence: the client's context knows a:5 although a's own state does not.
        VersionVector clientSaw = VersionVector.of(new Dot(NODE_A, 5));

        Siblings<String> a = Siblings.<String>empty().update(clientSaw, "v", NODE_A);

        assertThat(a.values()).extracting(Versioned::dot).containsExactly(new Dot(NODE_A, 6));
    }

    @Test
    void theDigestIsPinnedSoThatNodesOfDifferentReleasesAgree() {
        // Anti-entropy compares digests computed on different nodes; changing the function is a
        // wire-format change and must come with a migration, not slip in with a refactoring.
        Siblings<String> s = Siblings.<String>empty()
                .update(VersionVector.empty(), "v1", NODE_A)
                .update(VersionVector.empty(), "v2", NODE_B);

        assertThat(s.versionDigest()).isEqualTo(0x6d0b3697e1403581L);
        assertThat(Siblings.empty().versionDigest()).isEqualTo(0xf62d06027b5a55ecL);
    }
}

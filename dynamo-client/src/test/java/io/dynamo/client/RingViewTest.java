package io.dynamo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.time.RandomSource;
import io.dynamo.wire.proto.ClientResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The client computes partitions and owners exactly as a node's {@link Ring} does. */
class RingViewTest {

    private static ClientResponse.Ring proto(Ring ring, int n) {
        ClientResponse.Ring.Builder b = ClientResponse.Ring.newBuilder().setEpoch(ring.epoch())
                .setPartitions(ring.partitionCount()).setN(n).setResponder("a");
        for (int p = 0; p < ring.partitionCount(); p++) {
            b.addOwners(ClientResponse.Ring.PartitionOwners.newBuilder().setPartition(p)
                    .addAllNodes(ClusterState.owners(ring, p, n).stream().map(NodeId::value).toList()));
        }
        for (Member m : ring.members()) {
            b.addNodes(ClientResponse.Ring.Node.newBuilder().setId(m.id().value()).setClientAddress("127.0.0.1:9000")
                    .setStatus("up").setReachable(true));
        }
        return b.build();
    }

    @Test
    void partitionsAndOwnersMatchTheCoreRing() {
        Random random = new Random(42);
        for (int partitions : new int[] {1, 2, 8, 64, 1024}) {
            List<Member> members = new ArrayList<>();
            for (String id : List.of("a", "b", "c", "d", "e").subList(0, Math.min(5, partitions))) {
                members.add(Member.of(id));
            }
            int n = Math.min(3, members.size());
            Ring ring = ClaimStrategy.equalPartitions(partitions, n).initial(members, RandomSource.seeded(7));
            RingView view = RingView.of(proto(ring, n));
            assertThat(view.partitions()).isEqualTo(partitions);
            for (int i = 0; i < 2000; i++) {
                byte[] key = new byte[random.nextInt(40)];
                random.nextBytes(key);
                String namespace = i % 3 == 0 ? "" : "ns-" + random.nextInt(5) + (i % 7 == 0 ? "\u00e9\u4e2d" : "");
                int expected = ring.partitionOf(namespace, key);
                assertThat(view.partitionOf(namespace, key)).isEqualTo(expected);
                assertThat(view.owners(expected)).isEqualTo(
                        ClusterState.owners(ring, expected, n).stream().map(NodeId::value).toList());
            }
        }
    }

    @Test
    void aRingThatIsNotOfEqualPartitionsIsRejected() {
        ClientResponse.Ring bad = ClientResponse.Ring.newBuilder().setEpoch(1).setPartitions(3).setN(1).build();
        assertThatThrownBy(() -> RingView.of(bad)).isInstanceOf(IllegalArgumentException.class);
        ClientResponse.Ring missing = ClientResponse.Ring.newBuilder().setEpoch(1).setPartitions(2).setN(1)
                .addOwners(ClientResponse.Ring.PartitionOwners.newBuilder().setPartition(0).addNodes("a")).build();
        assertThatThrownBy(() -> RingView.of(missing)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLongNamespaceIsRejected() {
        Ring ring = ClaimStrategy.equalPartitions(8, 1).initial(List.of(Member.of("a")), RandomSource.seeded(1));
        RingView view = RingView.of(proto(ring, 1));
        assertThatThrownBy(() -> view.partitionOf("n".repeat(256), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.dynamo.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.core.ring.ClaimStrategy;
import io.dynamo.core.ring.Member;
import io.dynamo.core.ring.NodeId;
import io.dynamo.core.ring.PreferenceList;
import io.dynamo.core.ring.Ring;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.versioning.ActorId;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.Siblings;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.core.versioning.VersionVector;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The library example in README.md, kept compiling and true. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleWorksAsItSays() {
        List<Member> members = List.of(Member.of("n1", "az1"), Member.of("n2", "az2"), Member.of("n3", "az3"),
                Member.of("n4", "az1"), Member.of("n5", "az2"));
        Ring ring = ClaimStrategy.equalPartitions(1024, 3).initial(members, RandomSource.seeded(42));
        PreferenceList list = ring.preferenceList("carts", "alice".getBytes(UTF_8), 3);
        Set<String> zones = new HashSet<>();
        list.primaries().forEach(id -> zones.add(ring.member(id).zone()));
        assertThat(zones).hasSize(3);
        List<PreferenceList.Target> targets = list.sloppyTargets(node -> !node.equals(NodeId.of("n2")));
        assertThat(targets).hasSize(3).noneMatch(t -> t.node().equals(NodeId.of("n2")));

        ActorId coordinator = new ActorId("n1", 1);
        Siblings<String> v1 = Siblings.<String>empty().update(VersionVector.empty(), "milk", coordinator);
        Siblings<String> v2 = v1.update(v1.context(), "milk, eggs", coordinator);
        Siblings<String> both = v1.update(VersionVector.empty(), "bread", coordinator);
        byte[] opaque = ContextCodec.encode(both.context());

        assertThat(v2.values()).extracting(Versioned::value).containsExactly("milk, eggs");
        assertThat(both.values()).extracting(Versioned::value).containsExactlyInAnyOrder("milk", "bread");
        assertThat(ContextCodec.decode(opaque)).isEqualTo(both.context());
    }
}

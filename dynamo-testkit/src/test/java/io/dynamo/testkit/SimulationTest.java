package io.dynamo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.RandomSource;
import io.dynamo.server.transport.Message;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void failureNamesTheSeedTheReplayPropertyAndTheTraceTail() {
        assertThatThrownBy(() -> Simulation.run(1234L, sim -> {
            sim.network().endpoint(NodeId.of("a")).setHandler((from, m) -> { });
            sim.network().endpoint(NodeId.of("b")).send(NodeId.of("a"), new Message.Ping(77));
            sim.scheduler().runFor(Duration.ofSeconds(1));
            throw new IllegalStateException("invariant broken");
        }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed=1234 (replay with -Ddynamo.sim.seed=1234) at 1.000000s")
                .hasMessageContaining("invariant broken")
                .hasMessageContaining("recv b->a Ping#77")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPassingBodyPassesQuietly() {
        long[] seen = new long[1];
        Simulation.run(99L, sim -> seen[0] = sim.seed());
        assertThat(seen[0]).isEqualTo(99L);
    }

    @Test
    void namedStreamsDependOnlyOnSeedAndName() {
        Simulation sim = new Simulation(5);
        long first = sim.random("node/n1").nextLong();
        RandomSource other = sim.random("nemesis");
        other.nextLong();
        other.nextLong();
        assertThat(sim.random("node/n1").nextLong()).isEqualTo(first);
        assertThat(new Simulation(5).random("node/n1").nextLong()).isEqualTo(first);
        assertThat(new Simulation(6).random("node/n1").nextLong()).isNotEqualTo(first);
        assertThat(sim.random("node/n2").nextLong()).isNotEqualTo(first);
    }

    @Test
    void seedsAreDistinctAndTheReplayPropertyPicksOne() {
        String before = System.getProperty(Simulation.SEED_PROPERTY);
        try {
            System.clearProperty(Simulation.SEED_PROPERTY);
            assertThat(Simulation.seeds(1, 100)).doesNotHaveDuplicates().hasSize(100);
            assertThat(Simulation.seeds(1, 3)).containsExactly(Simulation.seeds(1, 3));
            assertThat(Simulation.seed(7)).isEqualTo(7L);

            System.setProperty(Simulation.SEED_PROPERTY, "-42");
            assertThat(Simulation.seeds(1, 100)).containsExactly(-42L);
            assertThat(Simulation.seed(7)).isEqualTo(-42L);
        } finally {
            if (before == null) {
                System.clearProperty(Simulation.SEED_PROPERTY);
            } else {
                System.setProperty(Simulation.SEED_PROPERTY, before);
            }
        }
    }

    @Test
    void traceKeepsTheLastLinesAndHashesAll() {
        SimScheduler s = new SimScheduler(0, 3);
        for (int i = 0; i < 5; i++) {
            s.trace().record("e" + i);
        }
        assertThat(s.trace().count()).isEqualTo(5);
        assertThat(s.trace().tail(10)).containsExactly("0.000000s e2", "0.000000s e3", "0.000000s e4");
        assertThat(s.trace().tail(1)).containsExactly("0.000000s e4");

        SimScheduler same = new SimScheduler(0, 100);
        for (int i = 0; i < 5; i++) {
            same.trace().record("e" + i);
        }
        assertThat(same.trace().hash()).isEqualTo(s.trace().hash());
        same.trace().record("e5");
        assertThat(same.trace().hash()).isNotEqualTo(s.trace().hash());
    }
}

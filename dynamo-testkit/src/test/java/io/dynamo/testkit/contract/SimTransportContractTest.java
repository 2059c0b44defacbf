package io.dynamo.testkit.contract;

import io.dynamo.core.ring.NodeId;
import io.dynamo.server.transport.Transport;
import io.dynamo.testkit.Simulation;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The transport contract over the simulated network (reliable faults: latency and reordering only). */
class SimTransportContractTest extends TransportContract {

    @Override
    protected Harness newHarness() {
        Simulation sim = new Simulation(Simulation.seed(2026));
        return new Harness() {
            @Override
            public Transport endpoint(NodeId node) {
                return sim.network().endpoint(node);
            }

            @Override
            public boolean await(BooleanSupplier condition, Duration limit) {
                return sim.scheduler().runUntil(condition, limit);
            }
        };
    }
}

package io.dynamo.net.transport;

import io.dynamo.core.ring.NodeId;
import io.dynamo.net.runtime.NodeExecutor;
import io.dynamo.server.transport.Transport;
import io.dynamo.testkit.contract.TransportContract;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** The transport contract over real TCP on loopback: each endpoint has its own node thread and event loops. */
class NettyTransportContractTest extends TransportContract {

    @Override
    protected Harness newHarness() {
        return new NettyHarness();
    }

    /** Endpoints made on demand, each listening on a free loopback port. */
    static final class NettyHarness implements Harness {
        private final Map<NodeId, InetSocketAddress> addresses = new ConcurrentHashMap<>();
        private final Map<NodeId, NettyTransport> transports = new ConcurrentHashMap<>();
        private final Map<NodeId, NodeExecutor> threads = new ConcurrentHashMap<>();

        @Override
        public Transport endpoint(NodeId node) {
            return transports.computeIfAbsent(node, id -> {
                NodeExecutor thread = new NodeExecutor("node-" + id.value());
                threads.put(id, thread);
                NettyTransport t = new NettyTransport(id, new InetSocketAddress("127.0.0.1", 0), addresses::get,
                        thread, NettyTransport.Settings.defaults("contract"), null);
                addresses.put(id, t.start());
                return t;
            });
        }

        @Override
        public boolean await(BooleanSupplier condition, Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() {
            transports.values().forEach(NettyTransport::close);
            threads.values().forEach(NodeExecutor::close);
        }
    }
}

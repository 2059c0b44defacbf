package io.dynamo.testkit.cluster;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.PutResult;
import io.dynamo.server.coordinator.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A client of a {@link SimCluster}: sends each request to a node (a given one, or a random live
 * one) and gives up after its own timeout, since a node that crashes never answers. Its futures
 * complete on the simulation thread.
 */
public final class SimClient {

    /** How long the client waits for any answer: longer than any request timeout the node applies. */
    public static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    private final SimCluster cluster;
    private final String name;
    private final RandomSource random;

    SimClient(SimCluster cluster, String name, RandomSource random) {
        this.cluster = cluster;
        this.name = name;
        this.random = random;
    }

    public String name() {
        return name;
    }

    /** A random live node, or null if every node is down. */
    public NodeId anyLiveNode() {
        List<NodeId> up = new ArrayList<>();
        for (NodeId id : cluster.ids()) {
            if (cluster.isUp(id)) {
                up.add(id);
            }
        }
        return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
    }

    public CompletableFuture<GetResult> get(NodeId via, String namespace, byte[] key, RequestOptions options) {
        return call(via, node -> cluster.node(node).get(namespace, key, options));
    }

    public CompletableFuture<PutResult> put(NodeId via, String namespace, byte[] key, VersionVector context,
            byte[] value, RequestOptions options) {
        return call(via, node -> cluster.node(node).put(namespace, key, context, value, "text/plain", options));
    }

    public CompletableFuture<PutResult> delete(NodeId via, String namespace, byte[] key, VersionVector context,
            RequestOptions options) {
        return call(via, node -> cluster.node(node).delete(namespace, key, context, options));
    }

    private <T> CompletableFuture<T> call(NodeId via, Function<NodeId, CompletableFuture<T>> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (via == null || !cluster.isUp(via)) {
            result.completeExceptionally(new IllegalStateException("node " + via + " is down"));
            return result;
        }
        var timer = cluster.sim().scheduler().schedule(CLIENT_TIMEOUT, () -> result.completeExceptionally(
                new TimeoutException(name + ": no answer from " + via + " within " + CLIENT_TIMEOUT.toMillis() + " ms")));
        cluster.sim().network().serve(via, cluster.clientServiceTime(), () -> request.apply(via)
                .whenComplete((ok, error) -> {
                    timer.cancel();
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(ok);
                    }
                }));
        return result;
    }
}

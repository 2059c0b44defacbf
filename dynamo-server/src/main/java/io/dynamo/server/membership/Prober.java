package io.dynamo.server.membership;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.time.Scheduler;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Requests;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Pings every peer the {@link FailureDetector} has marked unreachable, once per probe interval;
 * the {@link Requests} tracker marks it reachable again when a pong comes back.
 */
public final class Prober {

    private final FailureDetector detector;
    private final Scheduler scheduler;
    private final Requests requests;
    private final Duration interval;
    private boolean started;

    public Prober(FailureDetector detector, Scheduler scheduler, Requests requests, Duration interval) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    public void start() {
        if (!started) {
            started = true;
            scheduler.schedule(interval, this::probe);
        }
    }

    private void probe() {
        for (NodeId node : List.copyOf(detector.unreachable())) {
            requests.send(node, Message.Ping::new, interval, new Requests.Callback() {
                @Override
                public void onReply(Message reply) {
                }

                @Override
                public void onTimeout() {
                }
            });
        }
        scheduler.schedule(interval, this::probe);
    }
}

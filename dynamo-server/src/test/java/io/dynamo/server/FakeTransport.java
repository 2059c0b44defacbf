package io.dynamo.server;

import io.dynamo.core.ring.NodeId;
import io.dynamo.server.transport.Message;
import io.dynamo.server.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A transport that records what is sent and lets a test deliver inbound messages. */
public final class FakeTransport implements Transport {

    /** One message sent. */
    public record Sent(NodeId to, Message message) {
    }

    private final NodeId self;
    private final List<Sent> sent = new ArrayList<>();
    private Transport.Sent refuse;
    private Handler handler;

    public FakeTransport(NodeId self) {
        this.self = Objects.requireNonNull(self, "self");
    }

    @Override
    public NodeId self() {
        return self;
    }

    @Override
    public Transport.Sent send(NodeId to, Message message) {
        sent.add(new Sent(Objects.requireNonNull(to, "to"), Objects.requireNonNull(message, "message")));
        return refuse == null ? Transport.Sent.QUEUED : refuse;
    }

    @Override
    public void setHandler(Handler handler) {
        if (this.handler != null) {
            throw new IllegalStateException("handler already set");
        }
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Hands {@code message} from {@code from} to the handler. */
    public void deliver(NodeId from, Message message) {
        if (handler == null) {
            throw new IllegalStateException("no handler set");
        }
        handler.onMessage(from, message);
    }

    /** Everything sent so far, oldest first. */
    /** From now on, answers every send with {@code outcome} (null: queued, the default); still records them. */
    public void refuseWith(Transport.Sent outcome) {
        this.refuse = outcome;
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The messages of {@code type} sent so far, oldest first. */
    public <M extends Message> List<M> sent(Class<M> type) {
        return sent.stream().map(Sent::message).filter(type::isInstance).map(type::cast).toList();
    }

    /** The messages of {@code type} sent to {@code to} so far. */
    public <M extends Message> List<M> sentTo(NodeId to, Class<M> type) {
        return sent.stream().filter(s -> s.to().equals(to)).map(Sent::message).filter(type::isInstance)
                .map(type::cast).toList();
    }

    /** The only message sent so far, asserting there is exactly one. */
    public Sent only() {
        if (sent.size() != 1) {
            throw new AssertionError("expected exactly one message sent, got " + sent);
        }
        return sent.get(0);
    }

    /** Returns and forgets everything sent so far. */
    public List<Sent> drain() {
        List<Sent> out = List.copyOf(sent);
        sent.clear();
        return out;
    }
}

package io.dynamo.testkit;

import io.dynamo.core.ring.NodeId;
import io.dynamo.server.transport.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Targeted faults for scenario tests, so that a test reads as a short story:
 * {@code network.filters().from(a).to(b).type(Message.ReplicaWrite.class).drop()}. Each call
 * narrows the match (all conditions must hold); the final {@link Builder#drop() drop}, {@link
 * Builder#delay delay} or {@link Builder#duplicate() duplicate} installs the filter and returns a
 * handle whose {@link Filter#off()} removes it.
 *
 * <p>Filters see every message at send time, in the order they were installed, before the
 * network's random faults: one matching drop filter drops the message; matching delays add up;
 * a matching duplicate filter delivers one more copy.
 */
public final class MessageFilters {

    private final List<Filter> installed = new ArrayList<>();

    MessageFilters() {
    }

    /** Matches messages sent by any of {@code senders}. */
    public Builder from(NodeId... senders) {
        return all().from(senders);
    }

    /** Matches messages sent to any of {@code receivers}. */
    public Builder to(NodeId... receivers) {
        return all().to(receivers);
    }

    /** Matches messages of {@code type} (or a subtype). */
    public Builder type(Class<? extends Message> type) {
        return all().type(type);
    }

    /** Matches messages for which {@code condition} holds. */
    public Builder when(Predicate<? super Message> condition) {
        return all().when(condition);
    }

    /** Matches every message; narrow it with the builder's methods. */
    public Builder all() {
        return new Builder(e -> true, "*");
    }

    /** Removes every filter. */
    public void clear() {
        for (Filter f : List.copyOf(installed)) {
            f.off();
        }
    }

    /** How many filters are installed. */
    public int size() {
        return installed.size();
    }

    /** The filters matching one message, in installation order. */
    List<Filter> matching(NodeId from, NodeId to, Message message) {
        List<Filter> out = List.of();
        for (Filter f : installed) {
            if (f.condition.test(new Envelope(from, to, message))) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(2);
                }
                out.add(f);
            }
        }
        return out;
    }

    record Envelope(NodeId from, NodeId to, Message message) {
    }

    enum Action { DROP, DELAY, DUPLICATE }

    /** An immutable match condition under construction. */
    public final class Builder {
        private final Predicate<Envelope> condition;
        private final String description;

        private Builder(Predicate<Envelope> condition, String description) {
            this.condition = condition;
            this.description = description;
        }

        public Builder from(NodeId... senders) {
            Set<NodeId> set = new TreeSet<>(Arrays.asList(senders));
            return and(e -> set.contains(e.from()), "from " + set);
        }

        public Builder to(NodeId... receivers) {
            Set<NodeId> set = new TreeSet<>(Arrays.asList(receivers));
            return and(e -> set.contains(e.to()), "to " + set);
        }

        public Builder type(Class<? extends Message> type) {
            Objects.requireNonNull(type, "type");
            return and(e -> type.isInstance(e.message()), type.getSimpleName());
        }

        public Builder when(Predicate<? super Message> test) {
            Objects.requireNonNull(test, "test");
            return and(e -> test.test(e.message()), "when(...)");
        }

        /** Drops every matching message. */
        public Filter drop() {
            return install(Action.DROP, 0);
        }

        /** Delivers every matching message {@code extra} later than its drawn latency. */
        public Filter delay(Duration extra) {
            if (extra.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, got " + extra);
            }
            return install(Action.DELAY, extra.toNanos());
        }

        /** Delivers every matching message twice, each copy with its own latency. */
        public Filter duplicate() {
            return install(Action.DUPLICATE, 0);
        }

        private Builder and(Predicate<Envelope> more, String what) {
            return new Builder(condition.and(more), description.equals("*") ? what : description + " " + what);
        }

        private Filter install(Action action, long delayNanos) {
            Filter f = new Filter(condition, action, delayNanos, description);
            installed.add(f);
            return f;
        }
    }

    /** An installed filter. */
    public final class Filter {
        final Predicate<Envelope> condition;
        final Action action;
        final long delayNanos;
        private final String description;
        private long matched;

        private Filter(Predicate<Envelope> condition, Action action, long delayNanos, String description) {
            this.condition = condition;
            this.action = action;
            this.delayNanos = delayNanos;
            this.description = description;
        }

        /** Removes this filter; calling it again does nothing. */
        public void off() {
            installed.remove(this);
        }

        /** How many messages this filter has matched so far. */
        public long matched() {
            return matched;
        }

        void count() {
            matched++;
        }

        @Override
        public String toString() {
            return action.name().toLowerCase(Locale.ROOT) + " " + description;
        }
    }
}

package io.dynamo.ycsb;

import io.dynamo.client.DynamoClient;
import io.dynamo.client.Routing;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link DynamoClient}s of this JVM, one per distinct connection setting (seeds, routing,
 * timeout), reference counted: YCSB makes one {@code DB} per thread and calls {@code init} and
 * {@code cleanup} on each, and they all share one client (its connections, ring and I/O
 * threads). The first {@link #acquire} builds it, the last {@link #release} closes it.
 */
final class SharedClients {

    /** What makes two bindings able to share a client. */
    record Key(List<InetSocketAddress> seeds, Routing routing, Duration timeout) {
        static Key of(BindingSettings s) {
            return new Key(s.seeds(), s.routing(), s.timeout());
        }
    }

    private static final class Entry {
        final DynamoClient client;
        int references;

        Entry(DynamoClient client) {
            this.client = client;
        }
    }

    private static final Map<Key, Entry> CLIENTS = new HashMap<>();

    private SharedClients() {
    }

    /**
     * The client for these settings, built (fetching the ring from the first seed that answers)
     * if none is open; every call must be matched by one {@link #release}.
     *
     * @throws io.dynamo.client.DynamoClientException if the client cannot start (no seed answers)
     */
    static synchronized DynamoClient acquire(Key key) {
        Entry entry = CLIENTS.get(key);
        if (entry == null) {
            DynamoClient.Builder builder = DynamoClient.builder().seeds(key.seeds()).routing(key.routing());
            if (key.timeout() != null) {
                builder.requestTimeout(key.timeout());
            }
            entry = new Entry(builder.build());
            CLIENTS.put(key, entry);
        }
        entry.references++;
        return entry.client;
    }

    /** Gives back one reference; the last one closes the client. */
    static void release(Key key) {
        DynamoClient toClose = null;
        synchronized (SharedClients.class) {
            Entry entry = CLIENTS.get(key);
            if (entry == null) {
                return;
            }
            if (--entry.references == 0) {
                CLIENTS.remove(key);
                toClose = entry.client;
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    /** How many bindings hold the client of these settings (0 when it is closed); for tests. */
    static synchronized int references(Key key) {
        Entry entry = CLIENTS.get(key);
        return entry == null ? 0 : entry.references;
    }
}

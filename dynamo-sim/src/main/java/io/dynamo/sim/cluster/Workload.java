package io.dynamo.sim.cluster;

import io.dynamo.core.ring.NodeId;
import io.dynamo.core.storage.Content;
import io.dynamo.core.time.RandomSource;
import io.dynamo.core.versioning.VersionVector;
import io.dynamo.core.versioning.Versioned;
import io.dynamo.server.coordinator.GetResult;
import io.dynamo.server.coordinator.RequestOptions;
import io.dynamo.testkit.cluster.SimClient;
import io.dynamo.testkit.cluster.SimCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The client population: each client loops over read-modify-write operations on a shared set of
 * keys, with an exponential think time between them. Most operations are set-adds, as in the
 * paper's shopping cart: read, take the union of the siblings' elements, add a unique element,
 * write back with the read's context. Some are deletes with the read's context (a delete and a
 * re-add later), some blind writes without a context (a register write concurrent with
 * everything). Every write, its parents (the writes whose values the client read) and its fate
 * are recorded in the {@link History}.
 */
final class Workload {

    static final String NAMESPACE = "sim";

    private final SimCluster cluster;
    private final RunConfig config;
    private final History history;
    private final RandomSource random;
    private final List<String> keys = new ArrayList<>();
    private final Stats stats = new Stats();
    private final java.util.Map<String, Read> lastReads = new java.util.HashMap<>();
    private final List<String> harnessErrors = new ArrayList<>();
    private boolean stopped;
    private int running;

    /** Counters of what the clients did. */
    static final class Stats {
        long reads;
        long readFailures;
        long readsFound;
        long readsWithOneVersion;
        long writes;
        long writesAcked;
        long writesFailed;
    }

    Workload(SimCluster cluster, RunConfig config, History history, RandomSource random) {
        this.cluster = cluster;
        this.config = config;
        this.history = history;
        this.random = random;
        for (int i = 0; i < config.keys(); i++) {
            keys.add("key-" + i);
        }
    }

    List<String> keys() {
        return keys;
    }

    Stats stats() {
        return stats;
    }

    void start() {
        for (int i = 0; i < config.clients(); i++) {
            SimClient client = cluster.client("client-" + i);
            running++;
            schedule(client);
        }
    }

    void stop() {
        stopped = true;
    }

    /** Clients with an operation still in flight (or about to start one). */
    int running() {
        return running;
    }

    private void schedule(SimClient client) {
        if (stopped) {
            running--;
            return;
        }
        long mean = config.thinkTime().toNanos();
        long delay = (long) (-Math.log(1 - random.nextDouble()) * mean);
        cluster.sim().scheduler().schedule(Duration.ofNanos(delay), () -> operate(client));
    }

    private void operate(SimClient client) {
        if (stopped) {
            running--;
            return;
        }
        NodeId via = client.anyLiveNode();
        String key = keys.get(random.nextInt(keys.size()));
        if (via == null) {
            schedule(client);
            return;
        }
        // Sometimes a client writes with a read it made a while ago: a stale context.
        Read old = lastReads.get(client.name() + "/" + key);
        if (old != null && random.nextDouble() < config.staleFraction()) {
            write(client, via, key, old);
            return;
        }
        stats.reads++;
        client.get(via, NAMESPACE, bytes(key), readOptions()).whenComplete(guarded((got, error) -> {
            if (error != null) {
                stats.readFailures++;
                schedule(client);
                return;
            }
            Read read = new Read(got, observe(key, got));
            lastReads.put(client.name() + "/" + key, read);
            write(client, via, key, read);
        }));
    }

    /** A read a client made: what the store answered and the write ids of its siblings. */
    private record Read(GetResult got, List<Long> siblings) {
    }

    /** Runs {@code body}, recording any exception it throws as a harness error instead of losing it. */
    private <T> java.util.function.BiConsumer<T, Throwable> guarded(java.util.function.BiConsumer<T, Throwable> body) {
        return (ok, error) -> {
            try {
                body.accept(ok, error);
            } catch (RuntimeException | AssertionError e) {
                harnessErrors.add(e.toString());
                running--; // this client stops: the run reports why
            }
        };
    }

    /** Exceptions thrown inside the clients' callbacks: bugs of the harness or of the node's API. */
    List<String> harnessErrors() {
        return harnessErrors;
    }

    private RequestOptions readOptions() {
        if (random.nextDouble() >= config.optionFraction()) {
            return RequestOptions.DEFAULTS;
        }
        return RequestOptions.parse(java.util.Map.of("r", Integer.toString(1 + random.nextInt(3))));
    }

    /** Per-request W (1..3) and DW (1..W): every acknowledged write is durable somewhere. */
    private RequestOptions writeOptions() {
        if (random.nextDouble() >= config.optionFraction()) {
            return RequestOptions.DEFAULTS;
        }
        int w = 1 + random.nextInt(3);
        int dw = 1 + random.nextInt(w);
        return RequestOptions.parse(java.util.Map.of("w", Integer.toString(w), "dw", Integer.toString(dw)));
    }

    /** Records a read in the history; returns the siblings' write ids. */
    List<Long> observe(String key, GetResult got) {
        List<Long> ids = new ArrayList<>();
        for (Versioned<Content> v : got.values()) {
            ids.add(History.idOf(v.value().value()));
        }
        history.observe(key, ids);
        if (got.isFound()) {
            stats.readsFound++;
            if (got.values().size() == 1) {
                stats.readsWithOneVersion++;
            }
        }
        return ids;
    }

    private void write(SimClient client, NodeId via, String key, Read read) {
        GetResult got = read.got();
        double roll = random.nextDouble();
        History.Kind kind = roll < config.deleteFraction() && got.isFound() ? History.Kind.DELETE
                : roll < config.deleteFraction() + config.blindFraction() ? History.Kind.BLIND : History.Kind.ADD;
        Set<Long> elements = new TreeSet<>();
        for (Versioned<Content> v : got.values()) {
            elements.addAll(History.elementsOf(v.value().value()));
        }
        Set<Long> parents = new LinkedHashSet<>();
        if (kind != History.Kind.BLIND) {
            parents.addAll(read.siblings());
            // Deletes are invisible to reads (tombstones are hidden), but a read whose context
            // descends from a delete's result saw it: the delete is a parent too.
            parents.addAll(history.deletesCoveredBy(key, got.context()));
        }
        History.Write w = history.newWrite(key, kind, parents, elements);
        VersionVector context = kind == History.Kind.BLIND ? VersionVector.empty() : got.context();
        stats.writes++;
        var request = kind == History.Kind.DELETE
                ? client.delete(via, NAMESPACE, bytes(key), context, writeOptions())
                : client.put(via, NAMESPACE, bytes(key), context, w.value, writeOptions());
        request.whenComplete(guarded((ok, error) -> {
            if (error == null) {
                w.acked = true;
                w.resultContext = ok.context();
                stats.writesAcked++;
            } else {
                w.failed = true;
                w.neverApplied = neverApplied(error);
                stats.writesFailed++;
            }
            schedule(client);
        }));
    }

    /** Whether a failed write certainly changed nothing: it was refused before any replica saw it. */
    private static boolean neverApplied(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return e instanceof io.dynamo.server.coordinator.OverloadedException
                || e instanceof io.dynamo.server.coordinator.InvalidRequestException
                || e instanceof IllegalStateException // the client found the node down
                || (e instanceof io.dynamo.server.coordinator.UnavailableException u
                        && u.getMessage().startsWith("none of the"));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

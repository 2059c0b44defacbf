package io.dynamo.sim.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ground truth of a run: every write the clients attempted, what each one had read (its
 * parents: the writes whose values its client saw before writing, so its context covered them),
 * and whether the store acknowledged it. A write's causal history is itself plus the histories of
 * its parents; two writes are concurrent when neither is in the other's history.
 *
 * <p>Values are {@code id|e1,e2,...}: the write's own id, then the elements of the set it holds
 * (set-add writes carry the union of what they read plus their own id; blind writes only their
 * own id). A delete is a tombstone, so it has no value the store returns.
 */
final class History {

    enum Kind { ADD, BLIND, DELETE }

    static final class Write {
        final long id;
        final String key;
        final Kind kind;
        final Set<Long> parents;
        final byte[] value;
        boolean acked;
        boolean failed;
        /** For a failed write: refused before any replica could have applied it. */
        boolean neverApplied;
        /** For an acknowledged write: the context of the state it wrote. */
        io.dynamo.core.versioning.VersionVector resultContext;

        Write(long id, String key, Kind kind, Set<Long> parents, byte[] value) {
            this.id = id;
            this.key = key;
            this.kind = kind;
            this.parents = parents;
            this.value = value;
        }

        @Override
        public String toString() {
            return "w" + id + "(" + kind + " " + key + (acked ? " acked" : failed ? " failed" : " unknown")
                    + ", parents " + parents + ")";
        }
    }

    /** A read a client saw: the live siblings' write ids. */
    record Read(String key, List<Long> siblings) {
    }

    private final Map<Long, Write> writes = new LinkedHashMap<>();
    private final Map<String, List<Write>> deletes = new HashMap<>();
    private final Map<Long, Set<Long>> ancestors = new HashMap<>();
    private final List<Read> reads = new ArrayList<>();
    private long nextId = 1;

    Write newWrite(String key, Kind kind, Set<Long> parents, Set<Long> elementsRead) {
        long id = nextId++;
        byte[] value = null;
        if (kind != Kind.DELETE) {
            TreeSet<Long> elements = new TreeSet<>(kind == Kind.ADD ? elementsRead : Set.of());
            elements.add(id);
            StringBuilder b = new StringBuilder().append(id).append('|');
            boolean first = true;
            for (long e : elements) {
                b.append(first ? "" : ",").append(e);
                first = false;
            }
            value = b.toString().getBytes(StandardCharsets.UTF_8);
        }
        Write w = new Write(id, key, kind, Set.copyOf(parents), value);
        writes.put(id, w);
        if (kind == Kind.DELETE) {
            deletes.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
        }
        return w;
    }

    /** The acknowledged deletes of {@code key} that a read with {@code context} has seen. */
    Set<Long> deletesCoveredBy(String key, io.dynamo.core.versioning.VersionVector context) {
        Set<Long> out = new LinkedHashSet<>();
        for (Write w : deletes.getOrDefault(key, List.of())) {
            if (w.acked && w.resultContext != null && context.descendsFrom(w.resultContext)) {
                out.add(w.id);
            }
        }
        return out;
    }

    void observe(String key, List<Long> siblings) {
        reads.add(new Read(key, List.copyOf(siblings)));
    }

    List<Read> reads() {
        return reads;
    }

    Write write(long id) {
        return writes.get(id);
    }

    Iterable<Write> writes() {
        return writes.values();
    }

    Set<String> keysWritten() {
        Set<String> keys = new TreeSet<>();
        writes.values().forEach(w -> keys.add(w.key));
        return keys;
    }

    /** Every write in {@code id}'s causal history except itself. */
    Set<Long> ancestors(long id) {
        Set<Long> known = ancestors.get(id);
        if (known != null) {
            return known;
        }
        Set<Long> out = new LinkedHashSet<>();
        Write w = writes.get(id);
        if (w != null) {
            for (long p : w.parents) {
                out.add(p);
                out.addAll(ancestors(p));
            }
        }
        ancestors.put(id, out);
        return out;
    }

    /** The write id a stored value names, or -1 if it is not in this format. */
    static long idOf(byte[] value) {
        String s = new String(value, StandardCharsets.UTF_8);
        int bar = s.indexOf('|');
        if (bar <= 0) {
            return -1;
        }
        try {
            return Long.parseLong(s.substring(0, bar));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The elements a value holds. */
    static Set<Long> elementsOf(byte[] value) {
        String s = new String(value, StandardCharsets.UTF_8);
        int bar = s.indexOf('|');
        Set<Long> out = new TreeSet<>();
        if (bar < 0 || bar == s.length() - 1) {
            return out;
        }
        for (String part : s.substring(bar + 1).split(",")) {
            try {
                out.add(Long.parseLong(part));
            } catch (NumberFormatException e) {
                // Not this workload's value; the value check reports it.
            }
        }
        return out;
    }

    static boolean sameValue(Write w, byte[] value) {
        return w.value != null && Arrays.equals(w.value, value);
    }
}

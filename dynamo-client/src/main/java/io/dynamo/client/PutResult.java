package io.dynamo.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a successful write (put or delete) returns: the context of the state it produced, which
 * nodes acknowledged it, and, when asked for ({@link CallOptions#returnBody}), the siblings of
 * that state.
 */
public final class PutResult {

    private final List<Sibling> siblings;
    private final Context context;
    private final List<String> acknowledged;
    private final Map<String, String> fallbacks;
    private final int durable;

    public PutResult(List<Sibling> siblings, Context context, List<String> acknowledged, Map<String, String> fallbacks,
            int durable) {
        this.siblings = List.copyOf(siblings);
        this.context = Objects.requireNonNull(context, "context");
        this.acknowledged = List.copyOf(acknowledged);
        this.fallbacks = Collections.unmodifiableMap(new LinkedHashMap<>(fallbacks));
        this.durable = durable;
    }

    /**
     * The live siblings of the written state: the new value and any concurrent value the write's
     * context did not cover. Only with {@link CallOptions#returnBody}; otherwise empty.
     */
    public List<Sibling> siblings() {
        return siblings;
    }

    /**
     * The context of the written state. It covers every sibling of that state, so a write with it
     * supersedes them all: use it only for a value that includes them (or after checking
     * {@link #siblings()}).
     */
    public Context context() {
        return context;
    }

    /** The nodes that acknowledged the write. */
    public List<String> acknowledged() {
        return acknowledged;
    }

    /** For each acknowledging fallback node, the owner it stood in for (it holds a hint for it). */
    public Map<String, String> fallbacks() {
        return fallbacks;
    }

    /** How many acknowledgements were durable. */
    public int durable() {
        return durable;
    }

    @Override
    public String toString() {
        return "PutResult[acknowledged=" + acknowledged + ", fallbacks=" + fallbacks + ", durable=" + durable
                + ", siblings=" + siblings + ", context=" + context + "]";
    }
}

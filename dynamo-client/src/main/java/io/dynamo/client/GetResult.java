package io.dynamo.client;

import java.util.List;
import java.util.Objects;

/**
 * What a read returns: every live sibling of the key (usually one; several after concurrent
 * writes; none when the key has no value) and the context to write back with.
 */
public final class GetResult {

    private final List<Sibling> siblings;
    private final Context context;

    public GetResult(List<Sibling> siblings, Context context) {
        this.siblings = List.copyOf(siblings);
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Every live sibling; empty when the key has no value. */
    public List<Sibling> siblings() {
        return siblings;
    }

    /**
     * The context covering every sibling (and any delete the read saw): write with it to
     * supersede them all. {@link Context#EMPTY} for a key never written.
     */
    public Context context() {
        return context;
    }

    /** Whether the key has a value. */
    public boolean isFound() {
        return !siblings.isEmpty();
    }

    /** Whether the key holds concurrent values that need resolving. */
    public boolean hasSiblings() {
        return siblings.size() > 1;
    }

    /**
     * The key's one sibling, or null when it has no value.
     *
     * @throws SiblingsException if it holds several
     */
    public Sibling sibling() {
        if (siblings.size() > 1) {
            throw new SiblingsException(siblings);
        }
        return siblings.isEmpty() ? null : siblings.get(0);
    }

    /**
     * The key's one value, or null when it has no value.
     *
     * @throws SiblingsException if it holds several
     */
    public byte[] value() {
        Sibling s = sibling();
        return s == null ? null : s.value();
    }

    /**
     * The key's one value as UTF-8 text, or null when it has no value.
     *
     * @throws SiblingsException if it holds several
     */
    public String valueAsString() {
        Sibling s = sibling();
        return s == null ? null : s.valueAsString();
    }

    @Override
    public String toString() {
        return "GetResult[siblings=" + siblings + ", context=" + context + "]";
    }
}

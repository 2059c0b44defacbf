package io.dynamo.client;

import java.util.List;

/**
 * {@link GetResult#value()} was asked for the one value of a key that holds several concurrent
 * siblings. Resolve them (see {@link GetResult#siblings()} and {@link DynamoClient#update}) and
 * write the result back with the read's context.
 */
public class SiblingsException extends DynamoClientException {

    private static final long serialVersionUID = 1L;

    private final transient List<Sibling> siblings;

    public SiblingsException(List<Sibling> siblings) {
        super("the key holds " + siblings.size() + " concurrent siblings; resolve them (GetResult.siblings()) "
                + "and write the result back with the read's context");
        this.siblings = List.copyOf(siblings);
    }

    /** The siblings. */
    public List<Sibling> siblings() {
        return siblings;
    }
}

package io.dynamo.core.membership;

/**
 * Two cluster states of differently named clusters met: they never merge. A node whose seeds
 * belong to another cluster is refused, not absorbed into it.
 */
public final class ForeignClusterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ForeignClusterException(String ours, String theirs) {
        super("cluster '" + theirs + "' cannot merge into cluster '" + ours
                + "': check the node's cluster_name and seeds");
    }
}

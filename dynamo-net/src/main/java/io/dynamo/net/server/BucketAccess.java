package io.dynamo.net.server;

import io.dynamo.server.coordinator.NamespaceProperties;
import io.dynamo.server.coordinator.Namespaces;

/**
 * The one bucket check every client edge (the HTTP API, the client protocol) makes before a key
 * request reaches the node, so that both refuse the same requests with the same words: the
 * bucket's name must be valid and, on a cluster with {@code allow_any_namespace: false}, the
 * bucket known (configured, or set at run time). Buckets are the API's word for the node's
 * namespaces.
 */
public final class BucketAccess {

    private BucketAccess() {
    }

    /**
     * The properties of {@code bucket} as {@code view} has them.
     *
     * @throws IllegalArgumentException for a bad name (the message names the rule and the name)
     * @throws UnknownBucketException for a bucket this cluster does not know, when only known ones are allowed
     */
    public static NamespaceProperties check(Namespaces.View view, String bucket, boolean allowAnyBucket) {
        NamespaceProperties properties = view.properties(bucket);
        if (!allowAnyBucket && !view.isDefined(bucket)) {
            throw new UnknownBucketException(bucket);
        }
        return properties;
    }

    /** A request for a bucket the cluster does not know, on a cluster that allows only known ones. */
    public static final class UnknownBucketException extends RuntimeException {
        UnknownBucketException(String bucket) {
            super("bucket '" + bucket + "' is not configured on this cluster (allow_any_namespace is false): "
                    + "configure it in the nodes' namespaces section, or create it with PUT /admin/buckets/" + bucket,
                    null, false, false);
        }
    }
}

/**
 * The Java client of Dynamo: {@link io.dynamo.client.DynamoClient} speaks the client protocol
 * ({@code dynamo-wire/src/main/proto/client.proto}) to the cluster's nodes over a small pool of
 * pipelined Netty connections. It bootstraps from seed addresses, keeps the ring fresh, and sends
 * each request straight to one of its key's top-N owners (client-driven coordination, section 6.4
 * of the Dynamo paper), or round-robin to any node.
 *
 * <p>Values come back as {@link io.dynamo.client.Sibling}s with an opaque causal
 * {@link io.dynamo.client.Context}; a write carries the context of the read it follows.
 * {@link io.dynamo.client.DynamoClient#update} does the whole read-resolve-modify-write. Failures
 * are unchecked {@link io.dynamo.client.DynamoClientException}s, one subclass per thing the caller
 * can do about them.
 */
package io.dynamo.client;

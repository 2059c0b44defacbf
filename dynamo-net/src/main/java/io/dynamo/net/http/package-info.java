/**
 * The HTTP API every node serves (see {@code docs/api.md}): keys, siblings and contexts in Riak's
 * shape, the admin endpoints, metrics and the dashboard's files. {@link io.dynamo.net.http.HttpApi}
 * is the edge; every refusal it or Netty's codec makes is answered with one JSON error shape.
 */
package io.dynamo.net.http;

/**
 * The client protocol's server side: {@link io.dynamo.net.client.ClientProtocolServer} serves the
 * framed protobuf protocol of {@code dynamo-wire/src/main/proto/client.proto} (a {@code Hello},
 * then pipelined {@code ClientRequest}s answered by {@code ClientResponse}s matched by id) and
 * hands each request to the node, as the HTTP API does.
 */
package io.dynamo.net.client;

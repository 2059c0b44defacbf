/**
 * The node-to-node transport over TCP ({@link io.dynamo.net.transport.NettyTransport}): one-way
 * connections, length-prefixed protobuf frames opened by a Hello, bounded queues both ways. A
 * client that sends HTTP to a frame port by mistake is told where the HTTP API is.
 */
package io.dynamo.net.transport;

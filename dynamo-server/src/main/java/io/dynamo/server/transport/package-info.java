/**
 * How nodes talk: the {@link io.dynamo.server.transport.Transport} seam, with a simulated
 * implementation in dynamo-testkit and a Netty implementation later, and the sealed {@link
 * io.dynamo.server.transport.Message} records that cross it, in request/response pairs.
 */
package io.dynamo.server.transport;

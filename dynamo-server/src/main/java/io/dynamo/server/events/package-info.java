/**
 * Cluster events for operators ({@link io.dynamo.server.events.ClusterEvents}): what node logic
 * reports for the log, and how membership changes are told from two cluster states
 * ({@link io.dynamo.server.events.MembershipEvents}).
 */
package io.dynamo.server.events;

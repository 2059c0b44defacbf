/**
 * Cluster membership as a mergeable value (paper section 4.8): member entries with their life
 * cycle (joining, up, leaving, left), generations, versions and heartbeats, and the ring; merged
 * by gossip in any order. Pure logic: no I/O, no time.
 */
package io.dynamo.core.membership;

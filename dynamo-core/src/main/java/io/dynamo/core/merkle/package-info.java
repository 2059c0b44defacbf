/**
 * Incrementally maintained Merkle trees for anti-entropy between the replicas of one partition
 * (paper section 4.7). A write updates its replica's tree in O(depth) from the key's hash and
 * version digest alone; two replicas compare roots, descend only into differing branches, and
 * end with exactly the differing leaf segments, whose keys they then compare with {@link
 * io.dynamo.core.merkle.KeyDelta#between}.
 */
package io.dynamo.core.merkle;

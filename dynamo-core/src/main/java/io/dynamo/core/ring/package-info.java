/**
 * Consistent hashing (paper sections 4.2, 4.3 and 6.2): keys hash to 128-bit {@link
 * io.dynamo.core.ring.Token}s, a {@link io.dynamo.core.ring.ClaimStrategy} decides which node
 * owns which part of the ring, and an immutable {@link io.dynamo.core.ring.Ring} snapshot answers
 * "which N nodes hold this key, and who stands in for them" with a {@link
 * io.dynamo.core.ring.PreferenceList}.
 */
package io.dynamo.core.ring;

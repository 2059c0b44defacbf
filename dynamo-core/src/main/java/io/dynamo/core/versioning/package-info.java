/**
 * Causal versioning of values (paper §4.4): dotted version vector sets that keep exactly the
 * values no known write has superseded, with a version vector as the opaque client context.
 * Node identities include an incarnation so that a node that lost its data never reuses a
 * counter (Riak KV679). Codecs for contexts and sibling sets live here too, apart from the types.
 */
package io.dynamo.core.versioning;

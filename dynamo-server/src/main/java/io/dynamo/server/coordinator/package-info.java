/**
 * Request coordination (paper section 5): one state machine per get, put or delete, driven by
 * the pure quorum tallies of io.dynamo.core.quorum; the namespace properties and per-request
 * options that parameterise them; and the typed errors clients see.
 */
package io.dynamo.server.coordinator;

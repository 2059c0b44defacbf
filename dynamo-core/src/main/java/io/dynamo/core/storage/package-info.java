/**
 * The local persistence SPI (paper section 5: "a pluggable local persistence engine"): a {@link
 * io.dynamo.core.storage.StorageEngine} stores each key's causal state by partition, keeps one
 * Merkle tree per partition in step with every write, and offers a durable {@link
 * io.dynamo.core.storage.HintStore} and {@link io.dynamo.core.storage.MetadataStore}. Every engine
 * passes the same contract suite.
 */
package io.dynamo.core.storage;

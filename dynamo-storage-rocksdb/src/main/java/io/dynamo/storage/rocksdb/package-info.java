/**
 * The durable storage engine: {@link io.dynamo.storage.rocksdb.RocksDbStorageEngine}, one RocksDB
 * database per node with group-committed WAL syncs, checksummed records and per-partition Merkle
 * trees rebuilt at open. This module is I/O infrastructure (it owns threads and files), so the
 * deterministic-node-logic rule of DESIGN.md section 4 does not apply to it.
 */
package io.dynamo.storage.rocksdb;

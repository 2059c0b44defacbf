package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StorageException.Kind;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * What the engine, its hint store and its metadata store share: the database, read and synced write options,
 * reads and writes that map RocksDB errors to {@link StorageException}, and the lifecycle gate.
 * Every call on the database runs between {@link #enter()} and {@link #exit()}, which hold a read
 * lock; {@link #markClosed()} takes the write lock, so no call can touch native handles that
 * close releases.
 */
final class RocksAccess {

    final RocksDB db;
    final ReadOptions reads;
    /** Write options that sync the WAL before returning (hints and metadata). */
    final WriteOptions synced;
    private final String name;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    RocksAccess(RocksDB db, ReadOptions reads, WriteOptions synced, String name) {
        this.db = db;
        this.reads = reads;
        this.synced = synced;
        this.name = name;
    }

    /** Admits one call; throws {@link Kind#CLOSED} once closed. Pair with {@link #exit()}. */
    void enter() {
        lifecycle.readLock().lock();
        if (closed) {
            lifecycle.readLock().unlock();
            throw new StorageException(Kind.CLOSED, name + " is closed");
        }
    }

    void exit() {
        lifecycle.readLock().unlock();
    }

    /** Waits for calls in progress and shuts the gate; false if it was already shut. */
    boolean markClosed() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    byte[] read(ColumnFamilyHandle cf, byte[] key, Object where) {
        try {
            return db.get(cf, reads, key);
        } catch (RocksDBException e) {
            throw Errors.map("reading " + where, e);
        }
    }

    void write(ColumnFamilyHandle cf, WriteOptions options, byte[] key, byte[] value, Object where) {
        try {
            db.put(cf, options, key, value);
        } catch (RocksDBException e) {
            throw Errors.map("writing " + where, e);
        }
    }

    void remove(ColumnFamilyHandle cf, WriteOptions options, byte[] key, Object where) {
        try {
            db.delete(cf, options, key);
        } catch (RocksDBException e) {
            throw Errors.map("deleting " + where, e);
        }
    }
}

package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;

/** The {@link MetadataStore} of the RocksDB engine: column family {@code meta}, every write synced. */
final class RocksMetadataStore implements MetadataStore {

    private final RocksAccess io;
    private final ColumnFamilyHandle metaCf;

    RocksMetadataStore(RocksAccess io, ColumnFamilyHandle metaCf) {
        this.io = io;
        this.metaCf = metaCf;
    }


    private byte[] key(String name) {
        Objects.requireNonNull(name, "name");
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<byte[]> get(String name) {
        byte[] key = key(name);
        io.enter();
        try {
            byte[] stored = io.read(metaCf, key, "metadata " + name);
            return stored == null ? Optional.empty() : Optional.of(RecordCodec.open(key, stored, "metadata " + name));
        } finally {
            io.exit();
        }
    }

    @Override
    public void put(String name, byte[] value) {
        byte[] key = key(name);
        Objects.requireNonNull(value, "value");
        io.enter();
        try {
            io.write(metaCf, io.synced, key, RecordCodec.seal(key, value), "metadata " + name);
        } finally {
            io.exit();
        }
    }

    @Override
    public void delete(String name) {
        byte[] key = key(name);
        io.enter();
        try {
            io.remove(metaCf, io.synced, key, "metadata " + name);
        } finally {
            io.exit();
        }
    }
}

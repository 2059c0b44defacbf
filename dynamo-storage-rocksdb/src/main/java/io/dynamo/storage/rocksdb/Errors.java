package io.dynamo.storage.rocksdb;

import io.dynamo.core.storage.StorageException;
import io.dynamo.core.storage.StorageException.Kind;
import java.util.Locale;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Maps RocksDB's status codes onto the SPI's one error type. */
final class Errors {

    private Errors() {
    }

    static StorageException map(String what, RocksDBException e) {
        return new StorageException(kindOf(e), what + ": " + e.getMessage(), e);
    }

    static Kind kindOf(RocksDBException e) {
        Status status = e.getStatus();
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (status != null) {
            if (status.getCode() == Status.Code.Corruption) {
                return Kind.CORRUPTION;
            }
            if (status.getSubCode() == Status.SubCode.NoSpace) {
                return Kind.DISK_FULL;
            }
            if (status.getCode() == Status.Code.ShutdownInProgress) {
                return Kind.CLOSED;
            }
        }
        if (message.contains("no space left") || message.contains("nospace")) {
            return Kind.DISK_FULL;
        }
        if (status == null && message.startsWith("corruption")) {
            return Kind.CORRUPTION;
        }
        return Kind.IO;
    }
}

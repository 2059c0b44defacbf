package io.dynamo.core.storage;

/**
 * The one error type of the storage SPI: the engine could not do what was asked, and says why in
 * a way a node can act on (stop accepting writes on a full disk, mark a partition for repair on
 * corruption, and so on). Never thrown for bad input, which is an {@link IllegalArgumentException}
 * raised before anything is written.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for the node to act on. */
    public enum Kind {
        /** An I/O error reading or writing. */
        IO,
        /** The disk (or a configured quota) is full; reads may still work. */
        DISK_FULL,
        /** Stored bytes failed their checksum or did not decode; never returned as a value. */
        CORRUPTION,
        /** The engine is closed. */
        CLOSED
    }

    private final Kind kind;

    public StorageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String getMessage() {
        return kind + ": " + super.getMessage();
    }
}

package io.dynamo.ycsb;

/** Bytes that are not a record {@link RecordCodec} wrote; the message says where and why. */
public final class RecordFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public RecordFormatException(String message) {
        super(message);
    }

    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

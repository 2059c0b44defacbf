package io.dynamo.server.coordinator;

import java.util.Locale;

/** How a namespace treats concurrent writes. */
public enum ConflictMode {
    /** Keep every concurrent value as a sibling and hand them all to the reader (the default). */
    SIBLINGS,
    /**
     * Last writer wins by coordinator timestamp: concurrent writes are silently lost, and clock
     * skew decides which. Lossy by design; for data where that is acceptable.
     */
    LWW;

    /** Parses {@code siblings} or {@code lww}, case-insensitively. */
    public static ConflictMode parse(String text) {
        if (text != null) {
            for (ConflictMode mode : values()) {
                if (mode.name().equalsIgnoreCase(text.trim())) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("conflict mode must be 'siblings' or 'lww', was '" + text + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.dynamo.core.versioning;

/**
 * Internal signal that input bytes are malformed. Checked, so that every public decoder must
 * translate it into its own documented exception; carries no stack trace, because garbage input
 * is an expected event, not a bug.
 */
final class Malformed extends Exception {

    private static final long serialVersionUID = 1L;

    Malformed(String message) {
        super(message, null, false, false);
    }

    Malformed(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}

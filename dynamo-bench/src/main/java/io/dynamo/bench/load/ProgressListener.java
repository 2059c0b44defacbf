package io.dynamo.bench.load;

/**
 * Receives a {@link Progress} about once a second while a run goes on, on the generator's
 * reporting thread (one call at a time). It should return quickly.
 */
@FunctionalInterface
public interface ProgressListener {

    void onProgress(Progress progress);

    /** A listener that ignores everything. */
    static ProgressListener none() {
        return p -> {
        };
    }
}

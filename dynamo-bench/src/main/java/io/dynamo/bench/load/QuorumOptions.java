package io.dynamo.bench.load;

import io.dynamo.client.CallOptions;

/**
 * The call options a benchmark sends: R on reads, W on writes, both on read-modify-writes; 0 (or
 * less) leaves that quorum to the namespace.
 */
public record QuorumOptions(CallOptions read, CallOptions write, CallOptions both) {

    public static QuorumOptions of(int r, int w) {
        CallOptions read = CallOptions.defaults();
        CallOptions write = CallOptions.defaults();
        CallOptions both = CallOptions.defaults();
        if (r > 0) {
            read = read.r(r);
            both = both.r(r);
        }
        if (w > 0) {
            write = write.w(w);
            both = both.w(w);
        }
        return new QuorumOptions(read, write, both);
    }
}

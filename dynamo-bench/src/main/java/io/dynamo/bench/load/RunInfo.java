package io.dynamo.bench.load;

import java.util.Objects;

/**
 * What a report says about where a run came from: the exact command line and what it was run
 * against (e.g. {@code local cluster of 3 nodes} or the seed addresses and routing).
 */
public record RunInfo(String commandLine, String target) {

    public RunInfo {
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(target, "target");
    }
}

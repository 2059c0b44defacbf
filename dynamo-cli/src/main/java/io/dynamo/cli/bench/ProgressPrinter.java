package io.dynamo.cli.bench;

import io.dynamo.bench.load.Phase;
import io.dynamo.bench.load.Progress;
import io.dynamo.bench.load.ProgressListener;
import java.io.PrintWriter;

/** Prints one progress line a second; on a terminal it rewrites one line per phase with \r. */
final class ProgressPrinter implements ProgressListener {
    private final PrintWriter err;
    private final boolean overwrite;
    private Phase lastPhase;
    private int lastLength;

    ProgressPrinter(PrintWriter err, boolean overwrite) {
        this.err = err;
        this.overwrite = overwrite;
    }

    @Override
    public synchronized void onProgress(Progress p) {
        String line = p.line();
        if (!overwrite) {
            err.println(line);
        } else {
            if (lastPhase != null && lastPhase != p.phase()) {
                err.println();
                lastLength = 0;
            }
            err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        }
        lastPhase = p.phase();
        err.flush();
    }

    synchronized void finish() {
        if (overwrite && lastPhase != null) {
            err.println();
            err.flush();
        }
    }
}

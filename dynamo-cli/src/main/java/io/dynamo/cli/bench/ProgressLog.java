package io.dynamo.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/** Progress lines on stderr, each stamped with the minutes and seconds since the command started. */
public final class ProgressLog {

    private ProgressLog() {
    }

    public static Consumer<String> to(PrintWriter err) {
        long started = System.nanoTime();
        return line -> {
            long s = (System.nanoTime() - started) / 1_000_000_000L;
            synchronized (err) {
                err.printf(Locale.ROOT, "[%3d:%02d] %s%n", s / 60, s % 60, line);
                err.flush();
            }
        };
    }
}

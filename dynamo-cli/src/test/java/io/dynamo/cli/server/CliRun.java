package io.dynamo.cli.server;

import io.dynamo.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** One run of the {@code dynamo} program in this JVM, as a user would type it: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

    static CliRun cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Polls {@code condition} every 200 ms until it holds; fails after {@code limit}. */
    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}

package io.dynamo.cli.server;

import io.dynamo.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;

/** One run of the {@code dynamo} program in this JVM, as a user would type it: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

    static CliRun cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Polls {@code condition} every 200 ms until it holds; fails, naming {@code what}, after {@code limit}. */
    static void await(String what, Duration limit, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(limit).pollInterval(Duration.ofMillis(200)).until(condition);
    }
}

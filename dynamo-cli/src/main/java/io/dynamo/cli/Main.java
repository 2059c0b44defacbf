package io.dynamo.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of {@code dynamo.jar}. Exit codes: 0 success, 1 failure, 2 usage error. Every error is
 * one line on stderr starting with {@code dynamo:}.
 */
public final class Main {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.awt.headless") == null) {
            // Charts are drawn off-screen; never try to reach a display.
            System.setProperty("java.awt.headless", "true");
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /** Runs one command line with the given streams and returns its exit code (used by tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(Prompt.system(), out, err, args);
    }

    /** Runs one command line, confirmations asked through {@code prompt} (used by tests). */
    public static int run(Prompt prompt, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = commandLine(out, err, prompt);
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The whole command tree, writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, Prompt.system());
    }

    /** The whole command tree, writing to {@code out} and {@code err}, asking through {@code prompt}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Prompt prompt) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = defaults.create(type);
                if (made instanceof Prompt.User user) {
                    user.prompt(prompt);
                }
                return made;
            }
        };
        CommandLine commandLine = new CommandLine(new DynamoCommand(), factory);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, args) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            e.getCommandLine().getErr().println("dynamo: " + e.getMessage() + " (see '" + command + " --help')");
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            failed.getErr().println("dynamo: " + describe(e));
            return FAILURE;
        });
        return commandLine;
    }

    /** One line for an unexpected failure: the message, or the exception type when it has none. */
    static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message.strip();
    }
}

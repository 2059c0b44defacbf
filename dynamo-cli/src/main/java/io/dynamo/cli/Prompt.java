package io.dynamo.cli;

import java.io.Console;

/**
 * Where a command asks a person to confirm (the terminal), injected so that tests answer for
 * them. A command that asks implements {@link User}; {@link Main} hands it the prompt.
 */
public interface Prompt {

    /** Whether a person can answer: the program runs on a terminal. */
    boolean interactive();

    /** Shows {@code question} and returns the line typed, or null at the end of input. */
    String ask(String question);

    /** A command that may ask for confirmation. */
    interface User {
        void prompt(Prompt prompt);
    }

    /** The process's console; not interactive when stdin or stdout is not a terminal. */
    static Prompt system() {
        return new Prompt() {
            @Override
            public boolean interactive() {
                return Terminal.isTerminal();
            }

            @Override
            public String ask(String question) {
                Console console = System.console();
                return console == null ? null : console.readLine("%s", question);
            }
        };
    }

    /** Whether this process runs on a terminal. */
    final class Terminal {
        private Terminal() {
        }

        public static boolean isTerminal() {
            Console console = System.console();
            if (console == null) {
                return false;
            }
            try { // JDK 22+: a Console exists even when redirected; isTerminal tells
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return true;
            }
        }
    }
}

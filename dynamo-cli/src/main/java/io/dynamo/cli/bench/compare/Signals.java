package io.dynamo.cli.bench.compare;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pausing and resuming processes (SIGSTOP, SIGCONT through {@code kill}): the system not being
 * measured is stopped, so it takes no CPU from the one that is. Both systems keep their data and
 * their warm JIT; each resumed system gets a warm-up before it is measured again, in which its
 * failure detectors see the pause end.
 */
final class Signals {

    private Signals() {
    }

    static void pause(Collection<Long> pids) {
        send("-STOP", pids);
    }

    static void resume(Collection<Long> pids) {
        send("-CONT", pids);
    }

    private static void send(String signal, Collection<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("kill");
        cmd.add(signal);
        for (long pid : pids) {
            cmd.add(Long.toString(pid));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kill " + signal + " did not finish");
            }
            if (p.exitValue() != 0) {
                String out = new String(p.getInputStream().readAllBytes()).strip();
                throw new IllegalStateException("kill " + signal + " " + pids + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill " + signal + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + signal, e);
        }
    }
}

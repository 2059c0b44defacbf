package io.dynamo.cli.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * CPU time used by processes, from Linux's {@code /proc/PID/stat} (user plus system time of all
 * the process's threads, in clock ticks of 1/100 s, the kernel's USER_HZ on every Linux port the
 * JVM runs on). Elsewhere, or for a process that is gone, it counts nothing, and the report says
 * CPU time is unknown.
 */
public final class ProcessCpu {

    /** Clock ticks per second of {@code /proc/PID/stat}'s times (USER_HZ). */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** Whether CPU time can be read here. */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** The CPU seconds the processes have used so far, summed; -1 when unknown. */
    public static double seconds(Collection<Long> pids) {
        if (!available() || pids.isEmpty()) {
            return -1;
        }
        double total = 0;
        for (long pid : pids) {
            double s = seconds(pid);
            if (s < 0) {
                return -1;
            }
            total += s;
        }
        return total;
    }

    /** The CPU seconds one process has used so far; -1 when unknown. */
    public static double seconds(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * utime + stime of one {@code stat} line, in seconds. The command name (field 2) is in
     * parentheses and may hold spaces, so fields are counted after its closing parenthesis: state
     * is field 3, utime 14 and stime 15.
     */
    static double parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        String[] f = stat.substring(close + 2).trim().split("\\s+");
        long utime = Long.parseLong(f[14 - 3]);
        long stime = Long.parseLong(f[15 - 3]);
        return (utime + stime) / TICKS_PER_SECOND;
    }
}

package io.dynamo.cli.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The server process of one local node ({@code dev up}'s, {@code dev start}'s), found through the
 * PID file in its folder, {@code DATA/NODE/server.pid}, which whoever starts the process writes.
 *
 * <p>A PID file alone is not trusted: it can outlive its process, the pid can be reused, and a
 * {@code pgrep -f data/dev/n5/node.yaml} also matches another checkout's n5. A process counts as
 * the node's only while it is alive and its command line ({@code /proc/PID/cmdline}; elsewhere the
 * JDK's view of its arguments) has the node's config file, as an absolute path, as one argument.
 * {@link LocalCluster} and {@code dev start} pass that absolute path, so the check holds for every
 * process they start and for nothing else.
 */
final class NodePidFile {

    static final String FILE = "server.pid";

    /** What the PID file of a node says. */
    sealed interface Found permits Running, NotRunning, Foreign {
    }

    /** The node's process, alive. */
    record Running(ProcessHandle process) implements Found {
        long pid() {
            return process.pid();
        }
    }

    /** No process runs the node; {@code why} says what was found instead. */
    record NotRunning(String why) implements Found {
    }

    /** The PID file names a live process that is not this node's (a reused pid, or another checkout's). */
    record Foreign(long pid, String commandLine) implements Found {
    }

    private NodePidFile() {
    }

    /** The node's config file as its processes are started with it: absolute and normalized. */
    static Path config(Path nodeDir) {
        return nodeDir.toAbsolutePath().normalize().resolve("node.yaml");
    }

    static Path file(Path nodeDir) {
        return nodeDir.resolve(FILE);
    }

    /** Records {@code pid} as the node's process. */
    static void write(Path nodeDir, long pid) throws IOException {
        Path tmp = nodeDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file(nodeDir), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the PID file if it still names {@code pid} (a newer process may have replaced it). */
    static void removeIf(Path nodeDir, long pid) {
        try {
            if (readPid(nodeDir).orElse(-1L) == pid) {
                Files.deleteIfExists(file(nodeDir));
            }
        } catch (IOException e) {
            // best effort: a stale PID file is checked before it is ever believed
        }
    }

    /** The node's process according to its PID file, checked against the process's command line. */
    static Found find(Path nodeDir) {
        Optional<Long> pid;
        try {
            pid = readPid(nodeDir);
        } catch (IOException e) {
            return new NotRunning("its PID file " + file(nodeDir) + " cannot be read: " + e.getMessage());
        }
        if (pid.isEmpty()) {
            return new NotRunning("no PID file " + file(nodeDir));
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return new NotRunning("process " + pid.get() + " of its PID file has exited");
        }
        List<String> arguments = arguments(handle.get());
        if (arguments.contains(config(nodeDir).toString())) {
            return new Running(handle.get());
        }
        return new Foreign(pid.get(), String.join(" ", arguments));
    }

    private static Optional<Long> readPid(Path nodeDir) throws IOException {
        Path f = file(nodeDir);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        String text = Files.readString(f, StandardCharsets.US_ASCII).strip();
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException("it holds '" + text + "', not a process id");
        }
    }

    /** A process's command line, one element per argument (the program first); empty if unknown. */
    static List<String> arguments(ProcessHandle process) {
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            byte[] raw = Files.readAllBytes(cmdline);
            if (raw.length > 0) {
                String text = new String(raw, StandardCharsets.UTF_8);
                if (text.endsWith("\0")) {
                    text = text.substring(0, text.length() - 1);
                }
                return Arrays.asList(text.split("\0", -1));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: ask the JDK
        }
        List<String> out = new ArrayList<>();
        process.info().command().ifPresent(out::add);
        process.info().arguments().ifPresent(a -> out.addAll(Arrays.asList(a)));
        return out;
    }

    /** A command line short enough for a message: a class path argument becomes "...". */
    static String brief(String commandLine) {
        String s = commandLine.replaceAll("(-cp|-classpath|--class-path) \\S+", "$1 ...");
        return s.length() > 240 ? s.substring(0, 237) + "..." : s;
    }

    /**
     * The PID file of a running {@code dev up}, {@code DATA/dev-up.pid}: its pid and start time, so
     * that {@code dev start} can tie a restarted node's life to it and a second {@code dev up} on
     * the same folder is refused. A pid whose start time differs is a reused pid, not that dev up.
     */
    static final class DevUp {
        static final String FILE = "dev-up.pid";

        private DevUp() {
        }

        static void write(Path data, ProcessHandle self) throws IOException {
            Files.createDirectories(data);
            long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            Files.writeString(data.resolve(FILE), self.pid() + " " + started + "\n", StandardCharsets.US_ASCII);
        }

        static void remove(Path data, ProcessHandle self) {
            if (find(data).map(h -> h.pid() == self.pid()).orElse(false)) {
                try {
                    Files.deleteIfExists(data.resolve(FILE));
                } catch (IOException e) {
                    // best effort: the start time check makes a stale file harmless
                }
            }
        }

        /** The dev up running on {@code data}, if one is. */
        static Optional<ProcessHandle> find(Path data) {
            try {
                Path f = data.resolve(FILE);
                if (!Files.exists(f)) {
                    return Optional.empty();
                }
                String[] parts = Files.readString(f, StandardCharsets.US_ASCII).strip().split(" ");
                long pid = Long.parseLong(parts[0]);
                long started = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
                return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> started == 0
                        || h.info().startInstant().map(Instant::toEpochMilli).orElse(started) == started);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}

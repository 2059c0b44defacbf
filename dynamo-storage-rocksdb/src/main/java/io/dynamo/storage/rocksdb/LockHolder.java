package io.dynamo.storage.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.rocksdb.RocksDBException;

/**
 * Which process holds a data folder, when RocksDB refuses to open it because its {@code LOCK} file
 * is locked: a second server on the same {@code data_dir}, typically one left running.
 *
 * <p>RocksDB takes a POSIX write lock ({@code fcntl F_SETLK}) on {@code LOCK}. On Linux the holder
 * is the process that {@code /proc/locks} names for the file's device and inode; failing that (a
 * kernel that hides other processes' locks), a process with the file open under {@code /proc/*}
 * {@code /fd}. Its command line comes from {@code /proc/PID/cmdline}. Elsewhere, or when nothing
 * is found, the message only says another process holds the folder. Best effort throughout: the
 * search never fails the open more than it already failed.
 */
final class LockHolder {

    /** A process holding the lock: its id and command line (empty when it cannot be read). */
    record Holder(long pid, String commandLine) {
    }

    private static final Path PROC = Path.of("/proc");

    private LockHolder() {
    }

    /** Whether {@code e} is RocksDB's failure to lock the database's {@code LOCK} file. */
    static boolean isLockFailure(RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("While lock file") || message.toLowerCase(Locale.ROOT).contains("lock hold by");
    }

    /**
     * The one-line message for a data folder whose lock another process holds, naming it when it
     * can be found: "data folder D is in use by process 123 (java ... --config n3/node.yaml); stop
     * it or use another data_dir".
     */
    static String message(Path dataDirectory) {
        Optional<Holder> holder = find(dataDirectory.resolve("LOCK"));
        String who = holder.map(h -> "in use by process " + h.pid() + (h.commandLine().isEmpty() ? ""
                : " (" + abbreviate(h.commandLine()) + ")")).orElse("held by another process");
        return "data folder " + dataDirectory.toAbsolutePath() + " is " + who + "; stop it or use another data_dir";
    }

    /** The process holding {@code lockFile}'s lock, if it can be found. */
    static Optional<Holder> find(Path lockFile) {
        if (!Files.isDirectory(PROC)) {
            return Optional.empty();
        }
        try {
            Optional<Long> pid = fromProcLocks(lockFile);
            if (pid.isEmpty()) {
                pid = fromOpenFiles(lockFile);
            }
            return pid.map(p -> new Holder(p, commandLine(p)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The pid of a granted POSIX lock on the file's device and inode in {@code /proc/locks}. */
    static Optional<Long> fromProcLocks(Path lockFile) throws IOException {
        Path locks = PROC.resolve("locks");
        if (!Files.isReadable(locks)) {
            return Optional.empty();
        }
        long inode = ((Number) Files.getAttribute(lockFile, "unix:ino")).longValue();
        long dev = ((Number) Files.getAttribute(lockFile, "unix:dev")).longValue();
        return parseProcLocks(Files.readAllLines(locks, StandardCharsets.US_ASCII), major(dev), minor(dev), inode);
    }

    /**
     * The holder's pid in lines of {@code /proc/locks}, e.g. {@code 1: POSIX  ADVISORY  WRITE 4242
     * 08:01:1234567 0 EOF}: a granted lock (not a {@code ->} waiter) on device {@code major:minor}
     * (hexadecimal) and {@code inode}.
     */
    static Optional<Long> parseProcLocks(List<String> lines, long major, long minor, long inode) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || f[1].equals("->") || !f[1].equals("POSIX")) {
                continue;
            }
            String[] id = f[5].split(":");
            if (id.length != 3) {
                continue;
            }
            try {
                if (Long.parseLong(id[0], 16) == major && Long.parseLong(id[1], 16) == minor
                        && Long.parseLong(id[2]) == inode) {
                    long pid = Long.parseLong(f[4]);
                    if (pid > 0) {
                        return Optional.of(pid);
                    }
                }
            } catch (NumberFormatException e) {
                // a line of another shape: not ours
            }
        }
        return Optional.empty();
    }

    /** glibc's {@code major()} of a Linux {@code st_dev}. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
    }

    /** glibc's {@code minor()} of a Linux {@code st_dev}. */
    static long minor(long dev) {
        return (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
    }

    /** A process other than this one with {@code lockFile} open (this one would have been in /proc/locks). */
    private static Optional<Long> fromOpenFiles(Path lockFile) throws IOException {
        Path target = lockFile.toRealPath();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid != self && holdsOpen(process.resolve("fd"), target)) {
                    return Optional.of(pid);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean holdsOpen(Path fds, Path target) {
        try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
            for (Path link : links) {
                try {
                    if (Files.readSymbolicLink(link).equals(target)) {
                        return true;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // closed meanwhile, or not ours to read
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or gone
        }
        return false;
    }

    /** {@code /proc/PID/cmdline} with its NUL separators as spaces; else what the JDK knows; else empty. */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            String text = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
            if (!text.isEmpty()) {
                return text;
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
    }

    /**
     * A command line short enough for one message line: a long class path ({@code -cp} or
     * {@code -classpath} and the argument after it) becomes {@code -cp ...}.
     */
    static String abbreviate(String commandLine) {
        String[] words = commandLine.split(" ");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(words[i]);
            if ((words[i].equals("-cp") || words[i].equals("-classpath") || words[i].equals("--class-path"))
                    && i + 1 < words.length) {
                b.append(" ...");
                i++;
            }
        }
        String s = b.toString();
        return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }
}

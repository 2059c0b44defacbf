package io.dynamo.cli.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A generated part of a Markdown file, between {@code <!-- ID:begin ... -->} and
 * {@code <!-- ID:end -->}: written anew each run, the rest of the file kept as it is. A file
 * without the markers gets the section appended; a missing file is created.
 */
public final class MarkdownSection {

    private MarkdownSection() {
    }

    public static void write(Path file, String id, String content) throws IOException {
        String begin = "<!-- " + id + ":begin";
        String end = "<!-- " + id + ":end -->";
        String section = begin + " (written by ./dynamo bench; edits inside are overwritten) -->\n"
                + content.strip() + "\n" + end;
        String text = Files.exists(file) ? Files.readString(file) : "";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        String updated;
        if (b >= 0 && e > b) {
            updated = text.substring(0, b) + section + text.substring(e + end.length());
        } else if (b >= 0 || e >= 0) {
            throw new IOException(file + " has a broken '" + id + "' section (a begin marker without an end, or "
                    + "the reverse): fix or remove it, then run again");
        } else {
            updated = text.isEmpty() ? section + "\n" : text.stripTrailing() + "\n\n" + section + "\n";
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, ".bench-report", ".tmp");
        Files.writeString(tmp, updated);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}

package io.dynamo.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dynamo admin repair [-b BUCKET] [--partition P]}: an anti-entropy round now, as
 * Cassandra's {@code nodetool repair}: the asked node exchanges Merkle trees with every other
 * owner of each partition it holds, and the command follows the round to its end.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Starts an anti-entropy round now on the asked node: a Merkle-tree exchange of each partition "
                + "it owns (or the one named) with every other owner, mending what differs, and follows it to the end "
                + "with a progress line. Anti-entropy also runs on its own, always; this only does it now.",
            "Exit 0 when every exchange completed, 1 when some failed or owners were unreachable (named)."})
public final class AdminRepair extends AdminCommand.Sub {

    @Option(names = {"-b", "--bucket"}, description = "Only this bucket's keys (and its N's owners).")
    String bucket;

    @Option(names = "--partition", paramLabel = "P", description = "Only this partition (the asked node must own it).")
    Integer partition;

    @Option(names = "--no-wait", description = "Start the round and return at once.")
    boolean noWait;

    @Option(names = "--timeout", defaultValue = "PT30M", paramLabel = "DURATION",
            description = "How long to follow the round (ISO-8601, default ${DEFAULT-VALUE}); it goes on after.")
    Duration timeout;

    private boolean clean = true;

    @Override
    JsonNode fetch(HttpCalls http) {
        List<String> q = new ArrayList<>();
        if (bucket != null) {
            q.add("bucket=" + HttpCalls.enc(bucket));
        }
        if (partition != null) {
            q.add("partition=" + partition);
        }
        JsonNode started = http.postJson("/admin/repair" + (q.isEmpty() ? "" : "?" + String.join("&", q)));
        PrintWriter out = spec.commandLine().getOut();
        if (json || noWait) {
            return started;
        }
        out.printf("repair %d started on %s: %d exchanges%n", started.path("id").asLong(), node,
                started.path("total").asInt());
        out.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode now = started;
        int shown = -1;
        while (!now.path("state").asText().equals("finished") && System.nanoTime() - deadline < 0) {
            if (now.path("done").asInt() + now.path("failed_count").asInt() != shown) {
                shown = now.path("done").asInt() + now.path("failed_count").asInt();
                out.printf("  %d of %d done%s%n", shown, now.path("total").asInt(),
                        now.hasNonNull("current") ? ", now " + now.path("current").asText() : "");
                out.flush();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = http.getJson("/admin/repair");
        }
        return now;
    }

    @Override
    void print(JsonNode r, PrintWriter out) {
        boolean finished = r.path("state").asText().equals("finished");
        out.printf("repair %d %s: %d of %d exchanges done, %d keys repaired here, %d sent to other owners, %d Merkle "
                + "segments differed%n", r.path("id").asLong(), finished ? "finished" : "still running (--timeout "
                + "passed; 'dynamo admin repair --json' shows it later through GET /admin/repair)",
                r.path("done").asInt(), r.path("total").asInt(), r.path("keys_repaired").asLong(),
                r.path("keys_sent").asLong(), r.path("differing_segments").asLong());
        r.path("failed").fields().forEachRemaining(e -> out.println("  failed: " + e.getKey() + ": "
                + e.getValue().asText()));
        r.path("skipped").fields().forEachRemaining(e -> out.println("  skipped: " + e.getKey() + ": "
                + e.getValue().asText()));
        clean = finished && r.path("failed").isEmpty() && r.path("skipped").isEmpty();
    }

    @Override
    public Integer call() {
        Integer code = super.call();
        return code == 0 && !json && !noWait && !clean ? io.dynamo.cli.Main.FAILURE : code;
    }
}

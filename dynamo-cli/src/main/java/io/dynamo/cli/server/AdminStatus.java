package io.dynamo.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code dynamo admin status}: the asked node's state and counters, with pending hints summed over
 * the whole cluster: every member's own count, from {@code GET /admin/cluster} (the asked node
 * gathers each member's view over the peer protocol), so a node that holds no hints does not make
 * the cluster look drained. Members that did not answer are named and their hints not counted.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"The asked node's state and counters; pending_hints is summed over every member of the "
                + "cluster, with each member's share (asked over the peer protocol, as 'admin members' does), and "
                + "names the members that did not answer, whose hints are not counted.",
            "--json prints the node's /admin/status answer with a 'cluster_pending_hints' object added: total, "
                    + "by_member, not_counted."})
public final class AdminStatus extends AdminCommand.Sub {

    static final String CLUSTER_HINTS = "cluster_pending_hints";

    @Override
    JsonNode fetch(HttpCalls http) {
        ObjectNode status = (ObjectNode) http.getJson("/admin/status").deepCopy();
        if (!status.path("state").asText().equals("up")) {
            return status;
        }
        try {
            status.set(CLUSTER_HINTS, clusterHints(http.getJson("/admin/cluster?since=" + Long.MAX_VALUE)));
        } catch (HttpCalls.CallException e) {
            status.putObject(CLUSTER_HINTS).put("error", e.getMessage());
        }
        return status;
    }

    /** {@code {total, by_member: {n1: 10, ...}, not_counted: {n5: "why"}}} from a {@code /admin/cluster} body. */
    static ObjectNode clusterHints(JsonNode cluster) {
        ObjectNode out = HttpCalls.JSON.createObjectNode();
        ObjectNode byMember = HttpCalls.JSON.createObjectNode();
        ObjectNode notCounted = HttpCalls.JSON.createObjectNode();
        long total = 0;
        for (JsonNode m : cluster.path("members")) {
            String id = m.path("id").asText();
            if (m.path("status").asText().equals("left")) {
                continue;
            }
            if (m.path("answered").asBoolean()) {
                long held = 0;
                for (JsonNode c : m.path("view").path("hints").path("pending")) {
                    held += c.asLong();
                }
                byMember.put(id, held);
                total += held;
            } else {
                String error = m.path("error").asText("no answer");
                notCounted.put(id, m.path("reachable").asBoolean() ? "did not answer: " + error : "unreachable");
            }
        }
        out.put("total", total);
        out.set("by_member", byMember);
        out.set("not_counted", notCounted);
        return out;
    }

    /** "42 (n1 10, n2 12, n3 20; not counted: n5 unreachable)". */
    static String hintsLine(JsonNode hints) {
        if (hints.has("error")) {
            return "? (the other members' counts could not be gathered: " + hints.path("error").asText() + ")";
        }
        List<String> shares = new ArrayList<>();
        hints.path("by_member").fields().forEachRemaining(f -> shares.add(f.getKey() + " " + f.getValue().asLong()));
        List<String> missing = new ArrayList<>();
        hints.path("not_counted").fields().forEachRemaining(f -> missing.add(f.getKey() + " " + f.getValue().asText()));
        String line = hints.path("total").asLong() + " (" + String.join(", ", shares);
        if (!missing.isEmpty()) {
            line += (shares.isEmpty() ? "" : "; ") + "not counted: " + String.join(", ", missing);
        }
        return line + ")";
    }

    @Override
    void print(JsonNode s, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        JsonNode hints = s.path(CLUSTER_HINTS);
        s.fields().forEachRemaining(f -> {
            if (f.getKey().equals(CLUSTER_HINTS)) {
                return;
            }
            if (f.getKey().equals("pending_hints") && !hints.isMissingNode()) {
                rows.add(new String[] {"pending_hints", hintsLine(hints)});
            } else if (!f.getValue().isContainerNode()) {
                rows.add(new String[] {f.getKey(), f.getValue().asText()});
            } else if (f.getValue().isArray()) {
                List<String> items = new ArrayList<>();
                f.getValue().forEach(v -> items.add(v.asText()));
                rows.add(new String[] {f.getKey(), items.isEmpty() ? "-" : String.join(", ", items)});
            } else {
                f.getValue().fields().forEachRemaining(g -> rows.add(new String[] {
                    f.getKey() + "." + g.getKey(), g.getValue().asText()}));
            }
        });
        Table.print(out, new String[] {"key", "value"}, rows);
    }
}

package io.dynamo.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dynamo admin plan [--leave NODE | --replace NODE --by NEWNODE | --invite HOST:PORT | --clear]}:
 * staged membership changes, as Riak's {@code cluster plan}. Each change is staged on the asked
 * node and the plan shows what all of them would do: every member's share before and after, and
 * the partitions that would stream to each node. {@code dynamo admin commit} makes them.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Stages a membership change on the asked node and shows what the staged changes would do: "
                + "each member's partitions before and after, and the partitions each node would receive. "
                + "Without an option it shows the plan; 'dynamo admin commit' makes it. The direct commands "
                + "(invite, leave, replace) stay."})
public final class AdminPlan extends AdminCommand.Sub {

    static final class Change {
        @Option(names = "--leave", paramLabel = "NODE", description = "Stage a leave of this member.")
        String leave;

        @Option(names = "--replace", paramLabel = "NODE",
                description = "Stage a replace of this member (with --by: a node that has asked to join).")
        String replace;

        @Option(names = "--invite", paramLabel = "HOST:PORT",
                description = "Stage the join of the node waiting at this HTTP address.")
        String invite;

        @Option(names = "--clear", description = "Forget every staged change.")
        boolean clear;
    }

    @ArgGroup(exclusive = true)
    Change change;

    @Option(names = "--by", paramLabel = "NEWNODE", description = "The newcomer that takes the replaced member's place.")
    String by;

    @Override
    JsonNode fetch(HttpCalls http) {
        if (change == null) {
            return http.getJson("/admin/plan");
        }
        if (change.clear) {
            return HttpCalls.json(http.send(http.request("/admin/plan").DELETE()));
        }
        String query;
        if (change.leave != null) {
            query = "leave=" + HttpCalls.enc(change.leave);
        } else if (change.replace != null) {
            if (by == null) {
                throw new HttpCalls.CallException(400, "--replace needs --by NEWNODE, the node that takes its place");
            }
            query = "replace=" + HttpCalls.enc(change.replace) + "&by=" + HttpCalls.enc(by);
        } else {
            query = "invite=" + HttpCalls.enc(change.invite);
        }
        return http.postJson("/admin/plan?" + query);
    }

    @Override
    void print(JsonNode p, PrintWriter out) {
        print(p, out, "dynamo admin commit --node " + node);
    }

    static void print(JsonNode p, PrintWriter out, String commit) {
        if (p.has("cleared")) {
            out.println("cleared " + p.path("cleared").asInt() + " staged change(s)");
            return;
        }
        if (p.path("staged").asInt() == 0) {
            out.println(p.path("message").asText("nothing is staged"));
            return;
        }
        out.println("staged, on ring epoch " + p.path("epoch").asLong() + ":");
        p.path("changes").forEach(c -> out.println("  " + c.asText()));
        out.printf("%-8s %8s %8s%n", "member", "before", "after");
        p.path("shares").fields().forEachRemaining(e -> out.printf("%-8s %8d %8d%n", e.getKey(),
                e.getValue().path("before").asInt(), e.getValue().path("after").asInt()));
        out.println(p.path("partitions_moving").asInt() + " partitions change their first owner; transfers:");
        p.path("transfers").fields().forEachRemaining(e -> out.println("  to " + e.getKey() + ": "
                + e.getValue().size() + " partitions " + e.getValue()));
        out.println("make it so: " + commit);
    }
}

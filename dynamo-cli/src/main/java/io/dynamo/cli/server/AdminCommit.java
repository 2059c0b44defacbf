package io.dynamo.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code dynamo admin commit}: makes the changes staged with {@code dynamo admin plan}, as
 * Riak's {@code cluster commit}. Shows the plan and asks first, unless {@code --yes}; refused
 * (nothing made) if the ring changed since the plan.
 */
@Command(name = "commit", mixinStandardHelpOptions = true,
        description = {"Makes the membership changes staged with 'dynamo admin plan' on the asked node, in order. "
                + "Shows the plan and asks for confirmation, or needs --yes without a terminal. Refused, changing "
                + "nothing, if the ring changed since the plan."})
public final class AdminCommit extends AdminCommand.Sub implements io.dynamo.cli.Prompt.User {

    @picocli.CommandLine.Option(names = {"-y", "--yes"}, description = "Do not ask: the commit is confirmed.")
    boolean yes;

    private io.dynamo.cli.Prompt prompt = io.dynamo.cli.Prompt.system();
    private long epoch = -1;

    @Override
    public void prompt(io.dynamo.cli.Prompt p) {
        this.prompt = p;
    }

    @Override
    Integer before(HttpCalls http) {
        JsonNode plan = http.getJson("/admin/plan");
        if (plan.path("staged").asInt() == 0) {
            spec.commandLine().getErr().println("dynamo: nothing is staged on " + node
                    + "; stage a change with 'dynamo admin plan --leave NODE' (or --invite, --replace)");
            return io.dynamo.cli.Main.USAGE;
        }
        epoch = plan.path("epoch").asLong(-1);
        if (yes) {
            return null;
        }
        PrintWriter err = spec.commandLine().getErr();
        if (!prompt.interactive()) {
            err.println("dynamo: admin commit changes the cluster's membership and asks for confirmation, but there "
                    + "is no terminal to ask on: pass --yes to confirm (dynamo admin commit --yes)");
            return io.dynamo.cli.Main.USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        AdminPlan.print(plan, out, "(this commit)");
        out.flush();
        String answer = prompt.ask("Commit these changes? [y/N] ");
        String a = answer == null ? "" : answer.strip().toLowerCase(java.util.Locale.ROOT);
        if (!a.equals("y") && !a.equals("yes")) {
            out.println("cancelled: nothing changed; the changes stay staged ('dynamo admin plan --clear' forgets them)");
            return io.dynamo.cli.Main.FAILURE;
        }
        return null;
    }

    @Override
    JsonNode fetch(HttpCalls http) {
        return http.postJson("/admin/commit" + (epoch >= 0 ? "?epoch=" + epoch : ""));
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        body.path("committed").forEach(c -> out.println("committed: " + c.asText()));
        out.println(body.path("message").asText());
    }
}

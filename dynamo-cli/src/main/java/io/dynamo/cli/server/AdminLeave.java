package io.dynamo.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamo.cli.Main;
import io.dynamo.cli.Prompt;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dynamo admin leave [NODE]}: marks a member as leaving, for good. It asks for confirmation
 * on a terminal; elsewhere (a script, CI) it refuses unless {@code --yes} is given.
 */
@Command(name = "leave", mixinStandardHelpOptions = true,
        description = {"Marks a member as leaving: its partitions move to the other members, then it is gone for "
                + "good (a node that left joins again only under a new id). Asks for confirmation; without a "
                + "terminal to ask on, refuses unless --yes is given."})
public final class AdminLeave extends AdminCommand.Sub implements Prompt.User {

    @Parameters(index = "0", paramLabel = "NODE", arity = "0..1",
            description = "The member that leaves (default: the node asked).")
    String member;

    @Option(names = {"-y", "--yes"}, description = "Do not ask: the leave is confirmed.")
    boolean yes;

    private Prompt prompt = Prompt.system();

    @Override
    public void prompt(Prompt p) {
        this.prompt = p;
    }

    @Override
    Integer before(HttpCalls http) {
        if (yes) {
            return null;
        }
        PrintWriter err = spec.commandLine().getErr();
        String example = "dynamo admin leave " + (member == null ? "" : member + " ") + "--yes";
        if (!prompt.interactive()) {
            err.println("dynamo: admin leave makes " + (member == null ? "the asked node" : member) + " leave the "
                    + "cluster for good and asks for confirmation, but there is no terminal to ask on: pass --yes "
                    + "to confirm (" + example + ")");
            return Main.USAGE;
        }
        JsonNode status = http.getJson("/admin/status");
        String who = member != null ? member : status.path("node").asText("the asked node");
        String answer = prompt.ask(who + " leaves cluster '" + status.path("cluster").asText() + "' for good: its "
                + "partitions move to the other members, and it can join again only under a new id. Leave? [y/N] ");
        String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
        if (!a.equals("y") && !a.equals("yes")) {
            spec.commandLine().getOut().println("cancelled: nothing changed");
            return Main.FAILURE;
        }
        return null;
    }

    @Override
    JsonNode fetch(HttpCalls http) {
        return http.postJson("/admin/leave" + (member == null ? "" : "?node=" + HttpCalls.enc(member)));
    }

    @Override
    void print(JsonNode body, PrintWriter out) {
        out.println(body.path("leaving").asText() + " is leaving; watch 'dynamo admin transfers'");
    }
}

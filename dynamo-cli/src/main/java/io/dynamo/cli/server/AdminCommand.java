package io.dynamo.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamo.cli.Main;
import io.dynamo.cli.MissingSubcommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dynamo admin ...}: the cluster as a node sees it, and operator changes, as readable tables. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Cluster administration through a node's HTTP admin API (/admin/...).",
        subcommands = {AdminStatus.class, AdminCommand.Ring.class, AdminCommand.Members.class,
            AdminCommand.Preflist.class, AdminCommand.Transfers.class, AdminCommand.Join.class, AdminCommand.Invite.class, AdminLeave.class,
            AdminCommand.Replace.class, AdminCommand.Buckets.class, AdminRepair.class, AdminPlan.class,
            AdminCommit.class})
public final class AdminCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw MissingSubcommand.of(spec);
    }

    /** The shared --node option and error handling. */
    abstract static class Sub implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--node", defaultValue = "127.0.0.1:8081",
                description = "The HTTP address of the node to ask (default ${DEFAULT-VALUE}).")
        String node;

        @Option(names = "--json", description = "Print the node's JSON answer as it is.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                HttpCalls http = new HttpCalls(node);
                Integer refused = before(http);
                if (refused != null) {
                    return refused;
                }
                JsonNode answer = fetch(http);
                if (json) {
                    out.println(answer.toPrettyString());
                } else {
                    print(answer, out);
                }
                return Main.OK;
            } catch (HttpCalls.CallException e) {
                spec.commandLine().getErr().println("dynamo: " + e.getMessage());
                return e.status / 100 == 4 ? Main.USAGE : Main.FAILURE;
            }
        }

        /** Runs before {@link #fetch}: an exit code to end with instead (a refused confirmation), or null. */
        Integer before(HttpCalls http) {
            return null;
        }

        abstract JsonNode fetch(HttpCalls http);

        abstract void print(JsonNode answer, PrintWriter out);
    }

    @Command(name = "ring", mixinStandardHelpOptions = true,
            description = "Partitions per node, and each partition's owners.")
    public static final class Ring extends Sub {
        @Option(names = "--partitions", description = "Also list every partition's preference list.")
        boolean partitions;

        @Override
        JsonNode fetch(HttpCalls http) {
            return http.getJson("/admin/ring");
        }

        @Override
        void print(JsonNode ring, PrintWriter out) {
            int q = ring.path("partitions").asInt();
            out.println("ring epoch " + ring.path("epoch").asLong() + ", " + q + " partitions, n=" + ring.path("n").asInt()
                    + (ring.has("next") ? " (a ring change is under way)" : ""));
            List<String[]> rows = new ArrayList<>();
            ring.path("partitions_owned").fields().forEachRemaining(f -> rows.add(new String[] {f.getKey(),
                f.getValue().asText(), String.format("%.1f%%", 100.0 * f.getValue().asInt() / Math.max(1, q))}));
            Table.print(out, new String[] {"node", "partitions", "share"}, rows);
            if (partitions) {
                List<String[]> owners = new ArrayList<>();
                for (JsonNode p : ring.path("owners")) {
                    List<String> nodes = new ArrayList<>();
                    p.path("nodes").forEach(n -> nodes.add(n.asText()));
                    owners.add(new String[] {p.path("partition").asText(), String.join(", ", nodes)});
                }
                out.println();
                Table.print(out, new String[] {"partition", "owners (preference list)"}, owners);
            }
        }
    }

    @Command(name = "members", mixinStandardHelpOptions = true,
            description = {"Every member: status, zone, addresses, whether the asked node reaches it, partitions, and "
                + "the member's own uptime, data size and pending hints (asked over the peer protocol, as the "
                + "dashboard does; '-' when it did not answer)."})
    public static final class Members extends Sub {
        @Override
        JsonNode fetch(HttpCalls http) {
            return http.getJson("/admin/cluster?since=" + Long.MAX_VALUE);
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            List<String[]> rows = new ArrayList<>();
            for (JsonNode m : body.path("members")) {
                JsonNode view = m.path("view");
                boolean answered = m.path("answered").asBoolean();
                long hints = 0;
                for (JsonNode c : view.path("hints").path("pending")) {
                    hints += c.asLong();
                }
                rows.add(new String[] {m.path("id").asText(), m.path("status").asText(), m.path("zone").asText(),
                    m.path("http").asText(m.path("address").asText()), m.path("peer").asText("-"),
                    m.path("status").asText().equals("left") ? "-" // gone: nobody should reach it
                            : m.path("reachable").asBoolean() && answered ? "yes" : "NO", m.path("partitions").asText(),
                    answered ? duration(view.path("uptime_ms").asLong()) : "-",
                    answered ? bytes(view.path("data").path("bytes").asLong()) : "-",
                    answered ? Long.toString(hints) : "-"});
            }
            Table.print(out, new String[] {"node", "status", "zone", "http", "peer", "reachable", "partitions",
                "uptime", "data", "hints"}, rows);
            for (JsonNode m : body.path("members")) {
                if (!m.path("answered").asBoolean() && !m.path("status").asText().equals("left")) {
                    out.println(m.path("id").asText() + ": " + m.path("error").asText());
                }
            }
        }
    }

    @Command(name = "preflist", mixinStandardHelpOptions = true,
            description = "Where a key lives: its partition, its N owners, and where requests go now "
                + "(fallbacks standing in for unreachable owners).")
    public static final class Preflist extends Sub {
        @Option(names = {"-b", "--bucket"}, defaultValue = "default", description = "Bucket (default ${DEFAULT-VALUE}).")
        String bucket;

        @Parameters(index = "0", paramLabel = "KEY", description = "The key (as UTF-8 text).")
        String key;

        @Override
        JsonNode fetch(HttpCalls http) {
            return http.getJson("/admin/preflist?bucket=" + HttpCalls.enc(bucket) + "&key=" + HttpCalls.enc(key));
        }

        @Override
        void print(JsonNode p, PrintWriter out) {
            out.println("bucket " + p.path("bucket").asText() + ", key " + p.path("key").asText() + ": partition "
                    + p.path("partition").asInt() + ", n=" + p.path("n").asInt());
            List<String[]> rows = new ArrayList<>();
            int i = 0;
            for (JsonNode primary : p.path("primaries")) {
                String id = primary.asText();
                String now = "-";
                for (JsonNode t : p.path("now")) {
                    if (t.path("node").asText().equals(id) && !t.has("stands_in_for")) {
                        now = id;
                    } else if (t.path("stands_in_for").asText().equals(id)) {
                        now = t.path("node").asText() + " (fallback)";
                    }
                }
                rows.add(new String[] {Integer.toString(++i), id, now});
            }
            Table.print(out, new String[] {"#", "owner", "requests go to"}, rows);
            List<String> next = new ArrayList<>();
            p.path("next_owners").forEach(n -> next.add(n.asText()));
            if (!next.isEmpty()) {
                out.println("also written to (owners under the next ring): " + String.join(", ", next));
            }
        }
    }

    @Command(name = "transfers", mixinStandardHelpOptions = true,
            description = "Ownership transfers planned by the ring change under way, and this node's progress.")
    public static final class Transfers extends Sub {
        @Override
        JsonNode fetch(HttpCalls http) {
            return http.getJson("/admin/transfers");
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            out.println(body.path("ring_settled").asBoolean() ? "the ring is settled: no transfers planned"
                    : "a ring change is under way");
            List<String[]> rows = new ArrayList<>();
            for (JsonNode t : body.path("planned")) {
                rows.add(new String[] {t.path("partition").asText(), t.path("to").asText(),
                    t.path("done").asBoolean() ? "done" : "pending"});
            }
            if (!rows.isEmpty()) {
                Table.print(out, new String[] {"partition", "to", "state"}, rows);
            }
            JsonNode mine = body.path("this_node");
            if (!mine.isMissingNode()) {
                out.println("this node: " + mine.path("pending").asInt() + " pending, " + mine.path("done").asLong()
                        + " done, " + mine.path("keys_moved").asLong() + " keys received ("
                        + mine.path("bytes_per_second").asLong() + " B/s), " + mine.path("handed_off").asLong()
                        + " partitions handed off");
            }
        }
    }

    @Command(name = "invite", mixinStandardHelpOptions = true,
            description = "Joins a new, empty node to the cluster of the node given by --node, which asks it to "
                + "join with itself as the seed (what the dashboard's Join does).")
    public static final class Invite extends Sub {
        @Parameters(index = "0", paramLabel = "HTTP_ADDRESS", description = "The new node's HTTP address, HOST:PORT.")
        String address;

        @Override
        JsonNode fetch(HttpCalls http) {
            return http.postJson("/admin/invite?http=" + HttpCalls.enc(address));
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            out.println(body.path("invited").asText() + " is joining with seed " + body.path("seed").asText()
                    + "; watch 'dynamo admin transfers' for its partitions arriving");
        }
    }

    @Command(name = "join", mixinStandardHelpOptions = true,
            description = "Asks the node given by --node (a new, empty node) to join the cluster SEED belongs to.")
    public static final class Join extends Sub {
        @Parameters(index = "0", paramLabel = "SEED", description = "A member of the cluster: NODE@HOST:PEER_PORT.")
        String seed;

        @Override
        JsonNode fetch(HttpCalls http) {
            return http.postJson("/admin/join?seed=" + HttpCalls.enc(seed));
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            out.println("joining the cluster of " + body.path("joining").asText()
                    + "; watch 'dynamo admin transfers' for its partitions arriving");
        }
    }

    @Command(name = "replace", mixinStandardHelpOptions = true,
            description = "A new node (already joining) takes over a member's partitions; the member leaves.")
    public static final class Replace extends Sub {
        @Parameters(index = "0", paramLabel = "NODE", description = "The member replaced.")
        String replaced;

        @Parameters(index = "1", paramLabel = "NEWCOMER", description = "The node that takes its place.")
        String by;

        @Override
        JsonNode fetch(HttpCalls http) {
            return http.postJson("/admin/replace?node=" + HttpCalls.enc(replaced) + "&by=" + HttpCalls.enc(by));
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            out.println(body.path("by").asText() + " replaces " + body.path("replaced").asText());
        }
    }

    @Command(name = "buckets", mixinStandardHelpOptions = true,
            description = {"Shows bucket (namespace) properties, or changes them for the whole cluster.",
                "  dynamo admin buckets                    every bucket with properties of its own",
                "  dynamo admin buckets carts              one bucket's properties and their source",
                "  dynamo admin buckets carts --set r=1 --set w=3",
                "  dynamo admin buckets carts --reset      back to the nodes' configuration"})
    public static final class Buckets extends Sub {
        @Parameters(index = "0", paramLabel = "BUCKET", arity = "0..1", description = "The bucket.")
        String bucket;

        @Option(names = "--set", paramLabel = "NAME=VALUE",
                description = "Changes a property (n, r, w, dw, conflict_mode, max_key_bytes, max_value_bytes); "
                        + "repeatable.")
        java.util.Map<String, String> set = new java.util.LinkedHashMap<>();

        @Option(names = "--reset", description = "Drops the cluster-wide setting: back to each node's configuration.")
        boolean reset;

        @Override
        JsonNode fetch(HttpCalls http) {
            if (bucket == null) {
                if (!set.isEmpty() || reset) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "name the BUCKET to change");
                }
                return http.getJson("/admin/buckets");
            }
            if (!set.isEmpty() && reset) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--set and --reset cannot be combined");
            }
            String path = "/admin/buckets/" + HttpCalls.enc(bucket);
            if (reset) {
                return HttpCalls.json(http.send(http.request(path).DELETE()));
            }
            if (!set.isEmpty()) {
                com.fasterxml.jackson.databind.node.ObjectNode body = HttpCalls.JSON.createObjectNode();
                set.forEach(body.putObject("props")::put);
                return HttpCalls.json(http.send(http.request(path).header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()))));
            }
            return http.getJson(path);
        }

        @Override
        void print(JsonNode body, PrintWriter out) {
            if (body.has("buckets")) {
                List<String[]> rows = new ArrayList<>();
                rows.add(row("(defaults)", body.path("defaults"), "config"));
                body.path("buckets").fields().forEachRemaining(b -> rows.add(row(b.getKey(), b.getValue().path("props"),
                        b.getValue().path("source").asText())));
                Table.print(out, new String[] {"bucket", "n", "r", "w", "dw", "conflict_mode", "max_value_bytes",
                    "source"}, rows);
                return;
            }
            List<String[]> rows = new ArrayList<>();
            body.path("props").fields().forEachRemaining(p -> rows.add(new String[] {p.getKey(), p.getValue().asText()}));
            Table.print(out, new String[] {"property", "value"}, rows);
            String source = body.path("source").asText();
            JsonNode setting = body.path("setting");
            out.println("source: " + switch (source) {
                case "cluster" -> "set for the whole cluster (version " + setting.path("version").asLong() + ", at "
                        + setting.path("by").asText() + ")";
                case "config" -> "this node's configuration file";
                default -> "the defaults";
            });
            if (body.has("problem")) {
                out.println("problem: " + body.path("problem").asText());
            }
        }

        private static String[] row(String name, JsonNode p, String source) {
            return new String[] {name, p.path("n").asText(), p.path("r").asText(), p.path("w").asText(),
                p.path("dw").asText(), p.path("conflict_mode").asText(), p.path("max_value_bytes").asText(), source};
        }
    }

    /** "3 h 12 min", "4 min 5 s", "12 s". */
    static String duration(long millis) {
        long s = millis / 1000;
        if (s >= 86_400) {
            return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
        }
        if (s >= 3600) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        if (s >= 60) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s + " s";
    }

    /** "512 B", "4.2 KiB", "1.5 GiB". */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

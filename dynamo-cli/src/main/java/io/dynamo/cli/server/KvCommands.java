package io.dynamo.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamo.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dynamo get|put|delete}: one key over a node's HTTP API. */
public final class KvCommands {

    private KvCommands() {
    }

    /** Options every key command shares. */
    abstract static class KeyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--node", defaultValue = "127.0.0.1:8081",
                description = "A node's HTTP address (default ${DEFAULT-VALUE}).")
        String node;

        @Option(names = {"-b", "--bucket"}, defaultValue = "default", description = "Bucket (default ${DEFAULT-VALUE}).")
        String bucket;

        @Option(names = "--timeout-ms", description = "How long the coordinator may take.")
        Integer timeoutMs;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        String path(List<String> params) {
            List<String> all = new ArrayList<>(params);
            if (timeoutMs != null) {
                all.add("timeout_ms=" + timeoutMs);
            }
            return "/buckets/" + HttpCalls.enc(bucket) + "/keys/" + HttpCalls.enc(key)
                    + (all.isEmpty() ? "" : "?" + String.join("&", all));
        }

        @Override
        public Integer call() {
            try {
                return run(new HttpCalls(node), spec.commandLine().getOut());
            } catch (HttpCalls.CallException e) {
                spec.commandLine().getErr().println("dynamo: " + e.getMessage());
                return e.status == 404 ? 3 : e.status / 100 == 4 ? Main.USAGE : Main.FAILURE;
            }
        }

        abstract int run(HttpCalls http, PrintWriter out);
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Reads a key. Prints the value, or every sibling when there are several; the context "
                    + "for a later put goes to stderr as 'context: ...'. Exit code 3 when the key has no value."})
    public static final class Get extends KeyCommand {
        @Option(names = "-r", description = "Read quorum for this request.")
        Integer r;

        @Override
        int run(HttpCalls http, PrintWriter out) {
            List<String> params = new ArrayList<>();
            if (r != null) {
                params.add("r=" + r);
            }
            HttpResponse<byte[]> resp = http.send(http.request(path(params)).GET());
            String context = resp.headers().firstValue("X-Dynamo-Context").orElse("");
            PrintWriter err = spec.commandLine().getErr();
            if (resp.statusCode() == 200) {
                out.println(new String(resp.body(), StandardCharsets.UTF_8));
            } else if (resp.statusCode() == 300) {
                JsonNode body = HttpCalls.parse(resp);
                int i = 1;
                for (JsonNode s : body.path("siblings")) {
                    out.println("sibling " + i++ + " (" + s.path("content_type").asText() + "): "
                            + new String(Base64.getDecoder().decode(s.path("value").asText()), StandardCharsets.UTF_8));
                }
            } else if (resp.statusCode() == 404) {
                if (!context.isEmpty()) {
                    err.println("context: " + context);
                }
                err.println("dynamo: not found: " + key);
                return 3;
            } else {
                HttpCalls.json(resp);
            }
            if (!context.isEmpty()) {
                err.println("context: " + context);
            }
            return Main.OK;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Writes a value. Give the context a get printed to replace what it read; without one the "
                    + "write is blind and may create a sibling. Prints the new context.")
    public static final class Put extends KeyCommand {
        @Parameters(index = "1", paramLabel = "VALUE", arity = "0..1", description = "The value (or use --file).")
        String value;

        @Option(names = "--file", description = "Read the value from this file.")
        Path file;

        @Option(names = "--content-type", defaultValue = "text/plain", description = "Default ${DEFAULT-VALUE}.")
        String contentType;

        @Option(names = "--context", description = "The context from a get.")
        String context;

        @Option(names = "-w", description = "Write quorum for this request.")
        Integer w;

        @Option(names = "--receipt", description = "Print which nodes acknowledged, and fallbacks used.")
        boolean receipt;

        @Override
        int run(HttpCalls http, PrintWriter out) {
            byte[] bytes;
            if (file != null) {
                try {
                    bytes = Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new HttpCalls.CallException(400, "cannot read --file " + file + ": " + e.getMessage());
                }
            } else if (value != null) {
                bytes = value.getBytes(StandardCharsets.UTF_8);
            } else {
                throw new HttpCalls.CallException(400, "give a VALUE or --file");
            }
            List<String> params = new ArrayList<>();
            if (w != null) {
                params.add("w=" + w);
            }
            if (receipt) {
                params.add("receipt=true");
            }
            HttpRequest.Builder req = http.request(path(params)).header("Content-Type", contentType)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
            if (context != null) {
                req.header("X-Dynamo-Context", context);
            }
            HttpResponse<byte[]> resp = http.send(req);
            if (resp.statusCode() / 100 != 2) {
                HttpCalls.json(resp);
            }
            if (receipt) {
                JsonNode r = HttpCalls.json(resp).path("receipt");
                out.println("acknowledged: " + r.path("acknowledged"));
                out.println("fallbacks: " + r.path("fallbacks"));
                out.println("durable: " + r.path("durable").asInt());
            }
            out.println("context: " + resp.headers().firstValue("X-Dynamo-Context").orElse(""));
            return Main.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Deletes a key. With --context (from a get), the delete covers what that get read. "
                    + "Without it, the key is read first and deleted with that read's context, so the delete "
                    + "supersedes every version the read returned (a delete with no context at all would supersede "
                    + "nothing: it would only add a concurrent tombstone). Then the key is read again: a version "
                    + "the delete did not cover (written meanwhile) is reported, with exit code 1.",
                "Exit code 3 when the key has no value (nothing to delete)."})
    public static final class Delete extends KeyCommand {
        @Option(names = "--context", description = "The context from a get.")
        String context;

        @Override
        int run(HttpCalls http, PrintWriter out) {
            PrintWriter err = spec.commandLine().getErr();
            String covering = context;
            if (covering == null) {
                Read read = read(http);
                if (read.versions() == 0) {
                    err.println("dynamo: not found: " + key + " (nothing to delete)");
                    return 3;
                }
                out.println("no --context given: read the key first; deleting the "
                        + (read.versions() == 1 ? "version" : read.versions() + " versions") + " it returned");
                covering = read.context();
            }
            HttpResponse<byte[]> resp = http.send(http.request(path(List.of())).DELETE()
                    .header("X-Dynamo-Context", covering));
            if (resp.statusCode() / 100 != 2) {
                HttpCalls.json(resp);
            }
            if (context == null) {
                int left = read(http).versions();
                if (left > 0) {
                    err.println("dynamo: " + key + " still has " + (left == 1 ? "a version" : left + " versions")
                            + " the delete did not cover (written since the read): run the delete again");
                    return Main.FAILURE;
                }
            }
            out.println("deleted " + key);
            return Main.OK;
        }

        /** What a read found: how many versions (0 when none), and the context covering them. */
        private record Read(int versions, String context) {
        }

        private Read read(HttpCalls http) {
            HttpResponse<byte[]> resp = http.send(http.request(path(List.of())).GET());
            String ctx = resp.headers().firstValue("X-Dynamo-Context").orElse("");
            int status = resp.statusCode();
            if (status == 404 && !HttpCalls.parse(resp).path("error").asText("not_found").equals("not_found")) {
                HttpCalls.json(resp); // e.g. unknown_namespace: not a missing key
            }
            return switch (status) {
                case 404 -> new Read(0, ctx);
                case 200 -> new Read(1, ctx);
                case 300 -> new Read(Math.max(1, HttpCalls.parse(resp).path("siblings").size()), ctx);
                default -> {
                    HttpCalls.json(resp); // throws with the server's message
                    throw new HttpCalls.CallException(resp.statusCode(), "HTTP " + resp.statusCode());
                }
            };
        }
    }
}

package io.dynamo.net.http;

import static io.dynamo.net.http.Responses.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.core.membership.ClusterState;
import io.dynamo.core.membership.MemberEntry;
import io.dynamo.core.membership.MemberStatus;
import io.dynamo.core.ring.NodeId;
import io.dynamo.net.server.DynamoServer;
import io.dynamo.server.DynamoNode;
import io.dynamo.server.antientropy.RepairRound;
import io.dynamo.server.membership.Plan;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The operator's actions that take more than one step: anti-entropy repair rounds
 * ({@code /admin/repair}) and staged membership changes ({@code /admin/plan},
 * {@code /admin/commit}, as Riak's {@code cluster plan} and {@code cluster commit}). The staged
 * changes are held by the node asked, in memory, until committed or cleared; every read and
 * change of them runs on the node's thread.
 */
final class AdminOps {

    /** A staged change, and for a join the newcomer's HTTP address (the commit invites it). */
    private record Staged(Plan.Change change, String http) {
    }

    private final DynamoServer server;
    private final Function<Map<String, String>, CompletableFuture<io.netty.handler.codec.http.FullHttpResponse>> invite;
    private final List<Staged> staged = new ArrayList<>();

    AdminOps(DynamoServer server,
            Function<Map<String, String>, CompletableFuture<io.netty.handler.codec.http.FullHttpResponse>> invite) {
        this.server = server;
        this.invite = invite;
    }

    // ---------------------------------------------------------------- repair

    /** {@code POST /admin/repair[?bucket=B][&partition=P]}: starts a round, answers where it stands. */
    CompletableFuture<ObjectNode> startRepair(DynamoNode node, String bucket, int partition) {
        return server.call(() -> {
            try {
                return repairJson(node.antiEntropy().repair(bucket, partition));
            } catch (IllegalStateException e) {
                throw new HttpError(HttpResponseStatus.CONFLICT, "repair_running", e.getMessage());
            }
        });
    }

    /** {@code GET /admin/repair}: the running round, else the last one. */
    CompletableFuture<ObjectNode> repairStatus(DynamoNode node) {
        return server.call(() -> node.antiEntropy().repairStatus().map(AdminOps::repairJson)
                .orElseGet(() -> JSON.createObjectNode().put("state", "none")
                        .put("message", "no repair was asked of " + node.id() + " since it started")));
    }

    static ObjectNode repairJson(RepairRound.Status s) {
        ObjectNode o = JSON.createObjectNode().put("id", s.id()).put("state", s.finished() ? "finished" : "running");
        if (s.bucket() != null) {
            o.put("bucket", s.bucket());
        }
        if (s.partition() >= 0) {
            o.put("partition", s.partition());
        }
        o.put("total", s.total()).put("done", s.done()).put("failed_count", s.failed().size())
                .put("keys_repaired", s.keysRepaired()).put("keys_sent", s.keysSent())
                .put("differing_segments", s.differingSegments()).put("started_ms", s.startedMillis());
        if (s.finished()) {
            o.put("finished_ms", s.finishedMillis());
        } else if (!s.current().isEmpty()) {
            o.put("current", s.current());
        }
        ObjectNode failed = o.putObject("failed");
        new java.util.TreeMap<>(s.failed()).forEach(failed::put);
        ObjectNode skipped = o.putObject("skipped");
        new java.util.TreeMap<>(s.skipped()).forEach(skipped::put);
        return o;
    }

    // ---------------------------------------------------------------- plan and commit

    /**
     * {@code POST /admin/plan} with one of {@code leave=NODE}, {@code replace=NODE&by=NEWNODE}
     * (a node that has asked to join), or {@code invite=HOST:PORT} (a node waiting to join; its
     * {@code status} is read for its id and zone): stages it, answers the plan.
     */
    CompletableFuture<ObjectNode> stage(DynamoNode node, Map<String, String> args, JsonNode invitee) {
        return server.call(() -> {
            Staged s = parse(node, args, invitee);
            List<Plan.Change> changes = new ArrayList<>(staged.stream().map(Staged::change).toList());
            changes.add(s.change());
            ObjectNode preview = planJson(node, changes); // refuses a change that does not apply, staging nothing
            staged.add(s);
            return preview;
        });
    }

    /** {@code GET /admin/plan}: the staged changes and what they would do now. */
    CompletableFuture<ObjectNode> plan(DynamoNode node) {
        return server.call(() -> staged.isEmpty()
                ? JSON.createObjectNode().put("staged", 0).put("message", "nothing is staged; POST /admin/plan with "
                        + "leave=NODE, replace=NODE&by=NEWNODE or invite=HOST:PORT stages a change")
                : planJson(node, staged.stream().map(Staged::change).toList()));
    }

    /** {@code DELETE /admin/plan}: forgets the staged changes. */
    CompletableFuture<ObjectNode> clear() {
        return server.call(() -> {
            int n = staged.size();
            staged.clear();
            return JSON.createObjectNode().put("cleared", n);
        });
    }

    /**
     * {@code POST /admin/commit[?epoch=E]}: makes the staged changes, in order, as the direct
     * commands make them. Refused (409, nothing made) if the ring changed since the plan was
     * shown ({@code epoch}, when given, must be the plan's) or a ring change is under way.
     */
    CompletableFuture<ObjectNode> commit(DynamoNode node, long expectedEpoch) {
        return server.call(() -> {
            if (staged.isEmpty()) {
                throw new HttpError(HttpResponseStatus.CONFLICT, "nothing_staged",
                        "nothing is staged to commit; POST /admin/plan stages a change first");
            }
            ClusterState state = node.clusterState().orElseThrow();
            Plan.Preview preview;
            try {
                preview = Plan.preview(state, staged.stream().map(Staged::change).toList(), state.ring().strategy(),
                        node.namespaces().view().replicationFactors());
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new HttpError(HttpResponseStatus.CONFLICT, "plan_stale", e.getMessage()
                        + "; the staged changes are kept: review them with GET /admin/plan, or clear them");
            }
            if (expectedEpoch >= 0 && expectedEpoch != preview.epoch()) {
                throw new HttpError(HttpResponseStatus.CONFLICT, "plan_stale", "the ring changed since the plan was"
                        + " shown (epoch " + expectedEpoch + ", now " + preview.epoch()
                        + "); review it again with GET /admin/plan");
            }
            List<Staged> todo = List.copyOf(staged);
            staged.clear();
            return todo;
        }).thenCompose(todo -> apply(node, todo, 0, JSON.createObjectNode().putArray("committed")));
    }

    private CompletableFuture<ObjectNode> apply(DynamoNode node, List<Staged> todo, int i, ArrayNode done) {
        if (i == todo.size()) {
            ObjectNode body = JSON.createObjectNode();
            body.set("committed", done);
            body.put("message", "the changes spread by gossip; the claimant plans the ring change, and "
                    + "GET /admin/transfers shows the partitions moving");
            return CompletableFuture.completedFuture(body);
        }
        Staged s = todo.get(i);
        CompletableFuture<?> step = switch (s.change()) {
            case Plan.Change.Leave l -> node.leave(l.node());
            case Plan.Change.Replace r -> node.replace(r.replaced(), r.newcomer().id());
            case Plan.Change.Join j -> invite.apply(Map.of("http", s.http())).thenAccept(response -> {
                if (response.status().code() != 200) {
                    String body = response.content().toString(java.nio.charset.StandardCharsets.UTF_8);
                    response.release();
                    throw new HttpError(HttpResponseStatus.BAD_GATEWAY, "invite_failed", "inviting " + s.http()
                            + " failed (" + response.status() + "): " + body);
                }
                response.release();
            });
        };
        return step.thenCompose(ignored -> {
            done.add(Plan.describe(s.change()));
            return apply(node, todo, i + 1, done);
        });
    }

    private static Staged parse(DynamoNode node, Map<String, String> args, JsonNode invitee) {
        ClusterState state = node.clusterState().orElseThrow();
        if (args.containsKey("leave")) {
            return new Staged(new Plan.Change.Leave(id(args.get("leave"), "leave")), null);
        }
        if (args.containsKey("replace")) {
            NodeId by = id(args.get("by"), "by");
            MemberEntry newcomer = state.member(by).filter(e -> e.status() == MemberStatus.JOINING)
                    .orElseThrow(() -> HttpError.badRequest(by + " must have asked to join before it can replace a"
                            + " member (start it as a joiner with the seeds)"));
            return new Staged(new Plan.Change.Replace(id(args.get("replace"), "replace"), newcomer), null);
        }
        if (args.containsKey("invite")) {
            if (invitee == null || !invitee.path("state").asText().equals("waiting_to_join")) {
                throw HttpError.badRequest(args.get("invite") + " is not a node waiting to join (its status says "
                        + (invitee == null ? "nothing" : "'" + invitee.path("state").asText() + "'") + ")");
            }
            NodeId id = id(invitee.path("node").asText(), "the invitee's node id");
            MemberEntry entry = new MemberEntry(id, invitee.path("zone").asText("default"),
                    invitee.path("endpoints").path("peer").asText(""), MemberStatus.JOINING, 1, 1, 0);
            return new Staged(new Plan.Change.Join(entry), args.get("invite"));
        }
        throw HttpError.badRequest("stage one change: leave=NODE, replace=NODE&by=NEWNODE, or invite=HOST:PORT");
    }

    private static NodeId id(String value, String what) {
        if (value == null || value.isBlank()) {
            throw HttpError.badRequest("'" + what + "' (a node id) is required");
        }
        try {
            return NodeId.of(value.trim());
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("'" + what + "': " + e.getMessage());
        }
    }

    private static ObjectNode planJson(DynamoNode node, List<Plan.Change> changes) {
        ClusterState state = node.clusterState().orElseThrow();
        Plan.Preview p;
        try {
            p = Plan.preview(state, changes, state.ring().strategy(), node.namespaces().view().replicationFactors());
        } catch (IllegalStateException e) {
            throw new HttpError(HttpResponseStatus.CONFLICT, "ring_changing", e.getMessage());
        }
        ObjectNode o = JSON.createObjectNode().put("staged", changes.size()).put("epoch", p.epoch())
                .put("partitions_moving", p.moves());
        ArrayNode list = o.putArray("changes");
        changes.forEach(c -> list.add(Plan.describe(c)));
        ObjectNode shares = o.putObject("shares");
        java.util.TreeSet<NodeId> all = new java.util.TreeSet<>(p.before().keySet());
        all.addAll(p.after().keySet());
        for (NodeId id : all) {
            shares.putObject(id.value()).put("before", p.before().getOrDefault(id, 0))
                    .put("after", p.after().getOrDefault(id, 0));
        }
        ObjectNode transfers = o.putObject("transfers");
        p.transfers().forEach((to, partitions) -> {
            ArrayNode a = transfers.putArray(to.value());
            partitions.forEach(a::add);
        });
        o.put("commit", "POST /admin/commit?epoch=" + p.epoch() + " makes these changes");
        return o;
    }
}

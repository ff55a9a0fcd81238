package gatehouse.gateway.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import gatehouse.contracts.tyk.StatusMessage;
import gatehouse.gateway.analytics.AnalyticsRecorder;
import gatehouse.gateway.cluster.GroupReload;
import gatehouse.gateway.state.ClusterView;
import gatehouse.gateway.state.StateReplicator;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's own control endpoints: {@code /tyk/reload} (this node), {@code /tyk/reload/group}
 * (every node, durable, optionally waiting for acknowledgements) and {@code /tyk/cluster} (our
 * addition: the nodes, the state each has applied and its lag). The caller has passed the secret
 * check already.
 */
public final class ReloadEndpoints {

    /** A group reload's answer with {@code ?block=true}: Tyk's envelope plus the nodes. */
    @JsonPropertyOrder({"status", "message", "nodes"})
    public record GroupReloadAnswer(
            String status, String message, List<GroupReload.NodeAck> nodes) {}

    /** One node in {@code /tyk/cluster}. */
    @JsonPropertyOrder({
        "node_id",
        "live",
        "ready",
        "apis",
        "applied_offset",
        "lag",
        "heartbeat_at"
    })
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ClusterNode(
            @JsonProperty("node_id") String nodeId,
            boolean live,
            boolean ready,
            int apis,
            @JsonProperty("applied_offset") long appliedOffset,
            long lag,
            @JsonProperty("heartbeat_at") Instant heartbeatAt) {}

    /**
     * {@code /tyk/cluster}: every node seen and the highest state version among the live ones, the
     * owners as this node sees them, and this node's analytics counts.
     */
    @JsonPropertyOrder({"live_nodes", "nodes", "owners", "analytics"})
    public record ClusterStatus(
            @JsonProperty("live_nodes") long liveNodes,
            List<ClusterNode> nodes,
            List<OwnerState> owners,
            Analytics analytics) {}

    /**
     * This node's analytics records: made, acknowledged by the broker, lost (buffer full or the
     * broker refused them), waiting.
     */
    @JsonPropertyOrder({"node_id", "recorded", "sent", "dropped", "queued"})
    public record Analytics(
            @JsonProperty("node_id") String nodeId,
            long recorded,
            long sent,
            long dropped,
            long queued) {}

    /** An owner service as this node last probed it. */
    public record OwnerState(String name, boolean reachable, Instant since) {}

    private final OwnerDirectory owners;
    private static final StatusMessage OK = StatusMessage.ok("");

    private final StateReplicator replicator;
    private final GroupReload groupReload;
    private final ClusterView cluster;
    private final Duration timeout;
    private final Supplier<AnalyticsRecorder.Figures> analytics;

    public ReloadEndpoints(
            StateReplicator replicator,
            GroupReload groupReload,
            ClusterView cluster,
            OwnerDirectory owners,
            Supplier<AnalyticsRecorder.Figures> analytics,
            Duration timeout) {
        this.analytics = analytics;
        this.owners = owners;
        this.replicator = replicator;
        this.groupReload = groupReload;
        this.cluster = cluster;
        this.timeout = timeout;
    }

    public void reload(RoutingContext context) {
        var reload = replicator.reload();
        if (!blocking(context)) {
            ControlApi.json(context.response(), 200, OK);
            return;
        }
        Context vertxContext = context.vertx().getOrCreateContext();
        reload.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete(
                        (done, failure) ->
                                vertxContext.runOnContext(
                                        ignored -> {
                                            if (failure == null) {
                                                ControlApi.json(context.response(), 200, OK);
                                            } else {
                                                ControlApi.json(
                                                        context.response(),
                                                        503,
                                                        StatusMessage.error(
                                                                "the reload did not complete within "
                                                                        + timeout.toSeconds()
                                                                        + " s: the broker may be unreachable"));
                                            }
                                        }));
    }

    public void groupReload(RoutingContext context) {
        if (!blocking(context)) {
            groupReload
                    .send()
                    .subscribe()
                    .with(
                            command -> ControlApi.json(context.response(), 200, OK),
                            failure -> brokerUnavailable(context, failure));
            return;
        }
        groupReload
                .sendAndAwait(timeout)
                .subscribe()
                .with(
                        outcome -> {
                            if (outcome.complete()) {
                                ControlApi.json(
                                        context.response(),
                                        200,
                                        new GroupReloadAnswer("ok", "", outcome.nodes()));
                            } else {
                                String missing =
                                        String.join(
                                                ", ",
                                                outcome.nodes().stream()
                                                        .filter(node -> !node.acknowledged())
                                                        .map(GroupReload.NodeAck::nodeId)
                                                        .toList());
                                ControlApi.json(
                                        context.response(),
                                        504,
                                        new GroupReloadAnswer(
                                                "error",
                                                "reload not acknowledged within "
                                                        + timeout.toSeconds()
                                                        + " s by: "
                                                        + missing,
                                                outcome.nodes()));
                            }
                        },
                        failure -> brokerUnavailable(context, failure));
    }

    public void clusterStatus(RoutingContext context) {
        Instant now = Instant.now();
        AnalyticsRecorder.Figures figures = analytics.get();
        List<ClusterNode> nodes =
                cluster.all().stream()
                        .map(
                                n ->
                                        new ClusterNode(
                                                n.nodeId(),
                                                cluster.isLive(n, now),
                                                n.ready(),
                                                n.apis(),
                                                n.appliedOffset(),
                                                n.lag(),
                                                n.heartbeatAt()))
                        .toList();
        ControlApi.json(
                context.response(),
                200,
                new ClusterStatus(
                        nodes.stream().filter(ClusterNode::live).count(),
                        nodes,
                        owners.reachability().stream()
                                .map(o -> new OwnerState(o.name(), o.up(), o.since()))
                                .toList(),
                        new Analytics(
                                figures.nodeId(),
                                figures.recorded(),
                                figures.sent(),
                                figures.dropped(),
                                figures.queued())));
    }

    private static void brokerUnavailable(RoutingContext context, Throwable failure) {
        ControlApi.json(
                context.response(),
                503,
                StatusMessage.error(
                        "the reload command could not be published: " + failure.getMessage()));
    }

    /** Tyk waits only for the exact value {@code true}. */
    private static boolean blocking(RoutingContext context) {
        return "true".equals(context.request().getParam("block"));
    }
}

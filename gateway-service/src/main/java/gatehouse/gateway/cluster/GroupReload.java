package gatehouse.gateway.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import gatehouse.contracts.cluster.ClusterCommand;
import gatehouse.contracts.cluster.NodeStatus;
import gatehouse.gateway.state.ClusterView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /tyk/reload/group}: a durable reload command for every node. Unlike Tyk's fire-and-forget
 * pub/sub, the caller can wait until every node that was live when the command went out has carried
 * it out, and learns which did.
 */
public final class GroupReload {

    /** One node's part in a group reload. */
    @JsonPropertyOrder({"node_id", "acknowledged"})
    public record NodeAck(
            @JsonProperty("node_id") String nodeId,
            @JsonProperty("acknowledged") boolean acknowledged) {}

    /** The outcome: every node expected, and whether each acknowledged in time. */
    public record Outcome(ClusterCommand command, List<NodeAck> nodes) {
        public boolean complete() {
            return nodes.stream().allMatch(NodeAck::acknowledged);
        }
    }

    private final ClusterPublisher publisher;
    private final ClusterView cluster;
    private final Vertx vertx;
    private final String selfId;

    public GroupReload(
            ClusterPublisher publisher, ClusterView cluster, Vertx vertx, String selfId) {
        this.publisher = publisher;
        this.cluster = cluster;
        this.vertx = vertx;
        this.selfId = selfId;
    }

    /** Publishes the command; completes when the broker has it. */
    public Uni<ClusterCommand> send() {
        return publisher.broadcast(ClusterCommand.GROUP_RELOAD);
    }

    /** Publishes the command and waits for the live nodes' acknowledgements, up to the timeout. */
    public Uni<Outcome> sendAndAwait(Duration timeout) {
        Set<String> expected =
                cluster.live().stream().map(NodeStatus::nodeId).collect(Collectors.toSet());
        expected.add(selfId);
        return send().flatMap(
                        command ->
                                Uni.createFrom()
                                        .emitter(
                                                emitter -> {
                                                    Instant deadline = Instant.now().plus(timeout);
                                                    long[] timer = new long[1];
                                                    timer[0] =
                                                            vertx.setPeriodic(
                                                                    0,
                                                                    50,
                                                                    id -> {
                                                                        List<NodeAck> acks =
                                                                                expected.stream()
                                                                                        .sorted()
                                                                                        .map(
                                                                                                node ->
                                                                                                        new NodeAck(
                                                                                                                node,
                                                                                                                acknowledged(
                                                                                                                        node,
                                                                                                                        command
                                                                                                                                .id())))
                                                                                        .toList();
                                                                        boolean all =
                                                                                acks.stream()
                                                                                        .allMatch(
                                                                                                NodeAck
                                                                                                        ::acknowledged);
                                                                        if (all
                                                                                || Instant.now()
                                                                                        .isAfter(
                                                                                                deadline)) {
                                                                            vertx.cancelTimer(
                                                                                    timer[0]);
                                                                            emitter.complete(
                                                                                    new Outcome(
                                                                                            command,
                                                                                            acks));
                                                                        }
                                                                    });
                                                }));
    }

    private boolean acknowledged(String nodeId, String commandId) {
        NodeStatus status = cluster.get(nodeId);
        return status != null && status.acknowledged().contains(commandId);
    }
}

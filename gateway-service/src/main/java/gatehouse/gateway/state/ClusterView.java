package gatehouse.gateway.state;

import gatehouse.contracts.cluster.NodeStatus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway nodes as their heartbeats on {@code gatehouse.nodes} describe them. A node is live
 * while its last heartbeat is younger than {@code gatehouse.cluster.node-timeout}.
 */
@Singleton
public class ClusterView {

    private final Map<String, NodeStatus> nodes = new ConcurrentHashMap<>();
    private final Duration nodeTimeout;
    private volatile int liveCount = 1;

    ClusterView(
            @ConfigProperty(name = "gatehouse.cluster.node-timeout", defaultValue = "5s")
                    Duration nodeTimeout) {
        this.nodeTimeout = nodeTimeout;
    }

    void update(NodeStatus status) {
        nodes.merge(
                status.nodeId(),
                status,
                (held, incoming) ->
                        incoming.heartbeatAt().isBefore(held.heartbeatAt()) ? held : incoming);
        liveCount = Math.max(1, live().size());
    }

    void remove(String nodeId) {
        nodes.remove(nodeId);
        liveCount = Math.max(1, live().size());
    }

    /** Every node seen, live or not, by id. */
    public List<NodeStatus> all() {
        return nodes.values().stream().sorted(Comparator.comparing(NodeStatus::nodeId)).toList();
    }

    public boolean isLive(NodeStatus status, Instant now) {
        return status.heartbeatAt().isAfter(now.minus(nodeTimeout));
    }

    /** Nodes that sent a heartbeat recently. */
    public List<NodeStatus> live() {
        Instant now = Instant.now();
        return all().stream().filter(node -> isLive(node, now)).toList();
    }

    /**
     * Live nodes, at least 1 (this one); read on the request path, so computed on heartbeats only.
     */
    public int liveCount() {
        return liveCount;
    }

    public NodeStatus get(String nodeId) {
        return nodes.get(nodeId);
    }
}

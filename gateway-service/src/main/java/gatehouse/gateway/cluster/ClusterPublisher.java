package gatehouse.gateway.cluster;

import gatehouse.contracts.cluster.ClusterCommand;
import gatehouse.contracts.cluster.NodeStatus;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventSender;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.gateway.state.NodeIdentity;
import gatehouse.gateway.state.StateReplicator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * What this node publishes for the cluster: its heartbeat on {@code gatehouse.nodes} every interval
 * and at once after carrying out a command (that is its acknowledgement), a tombstone when it
 * stops, and the commands it broadcasts on {@code gatehouse.cluster}.
 */
@ApplicationScoped
public class ClusterPublisher {

    private static final Logger LOGGER = Logger.getLogger(ClusterPublisher.class);
    private static final String SOURCE = "/gatehouse/gateway-service";

    private final EventSender sender;
    private final StateReplicator replicator;
    private final Vertx vertx;
    private final String nodeId;
    private final Duration interval;
    private final AtomicLong sequence = new AtomicLong();
    private long timer = -1;

    ClusterPublisher(
            @Channel("cluster-out") @OnOverflow(value = OnOverflow.Strategy.DROP)
                    MutinyEmitter<Record<String, String>> emitter,
            StateReplicator replicator,
            Vertx vertx,
            NodeIdentity node,
            @ConfigProperty(name = "gatehouse.cluster.heartbeat-interval", defaultValue = "1s")
                    Duration interval) {
        this.sender = new EventSender(emitter);
        this.replicator = replicator;
        this.vertx = vertx;
        this.nodeId = node.id();
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        replicator.onAcknowledged(this::beat);
        timer = vertx.setPeriodic(0, interval.toMillis(), id -> beat());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
        // leave the cluster at once rather than after the node timeout
        send(Topics.NODES.name(), NodeStatus.EVENT_TYPE, nodeId, null)
                .await()
                .atMost(Duration.ofSeconds(2));
    }

    /** Publishes this node's status now. */
    public void beat() {
        NodeStatus status = replicator.status();
        send(
                        Topics.NODES.name(),
                        NodeStatus.EVENT_TYPE,
                        nodeId,
                        TykJson.encode(status).stripTrailing())
                .subscribe()
                .with(
                        ok -> {},
                        failure -> LOGGER.debugf("heartbeat not sent: %s", failure.getMessage()));
    }

    /** Broadcasts a command to every node, this one included; completes when the broker has it. */
    public Uni<ClusterCommand> broadcast(String command) {
        var payload = new ClusterCommand(UUID.randomUUID().toString(), command, nodeId);
        return send(
                        Topics.CLUSTER.name(),
                        ClusterCommand.EVENT_TYPE,
                        payload.id(),
                        TykJson.encode(payload).stripTrailing())
                .replaceWith(payload);
    }

    private Uni<Void> send(String topic, String type, String subject, String data) {
        var event =
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        SOURCE,
                        type,
                        subject,
                        Instant.now(),
                        "node:" + nodeId,
                        null,
                        sequence.incrementAndGet(),
                        data);
        return sender.send(topic, event);
    }
}

package gatehouse.contracts.outbox;

import gatehouse.contracts.events.Topic;
import gatehouse.contracts.events.TopicProvisioner;
import gatehouse.contracts.events.Topics;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs an owner service's outbox relay: woken after each commit and every second (to retry after a
 * broker outage). Creates the topics the service writes ({@code gatehouse.outbox.topics}) in the
 * background, so the service starts and takes writes while the broker is still down; then fires
 * {@link TopicsReady} (synchronously, on a worker thread) before the first publication.
 */
@ApplicationScoped
@IfBuildProperty(name = "gatehouse.outbox.enabled", stringValue = "true")
public class OutboxPublication {

    /** Fired once the service's topics exist, before anything is published. */
    public record TopicsReady(String bootstrapServers) {}

    private static final Logger LOGGER = Logger.getLogger(OutboxPublication.class);

    private final OutboxRelay relay;
    private final Event<TopicsReady> topicsReadyEvent;
    private final Vertx vertx;
    private final String bootstrapServers;
    private final List<Topic> topics;
    private final short replicationFactor;
    private volatile boolean topicsReady;
    private long timer = -1;
    private long pruning = -1;
    private final OutboxRows rows;
    private final Duration retention;
    private final Duration pruneInterval;

    OutboxPublication(
            OutboxRows rows,
            OutboxSender sender,
            Event<TopicsReady> topicsReadyEvent,
            Vertx vertx,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "gatehouse.outbox.topics") List<String> topicNames,
            @ConfigProperty(name = "gatehouse.topics.replication-factor", defaultValue = "1")
                    short replicationFactor,
            @ConfigProperty(name = "gatehouse.outbox.retention", defaultValue = "1h")
                    Duration retention,
            @ConfigProperty(name = "gatehouse.outbox.prune-interval", defaultValue = "60s")
                    Duration pruneInterval) {
        this.relay = new OutboxRelay(rows, sender::publish, 100);
        this.rows = rows;
        this.retention = retention;
        this.pruneInterval = pruneInterval;
        this.topicsReadyEvent = topicsReadyEvent;
        this.topics =
                Topics.ALL.stream().filter(topic -> topicNames.contains(topic.name())).toList();
        this.vertx = vertx;
        this.bootstrapServers = bootstrapServers;
        this.replicationFactor = replicationFactor;
    }

    void start(@Observes StartupEvent event) {
        timer =
                vertx.setPeriodic(
                        1000,
                        id -> {
                            if (topicsReady) {
                                relay.wake();
                            } else {
                                vertx.executeBlocking(() -> provisionTopics(), false);
                            }
                        });
        // published rows are Kafka's from then on; keep an hour for diagnosis, not forever
        pruning =
                vertx.setPeriodic(
                        pruneInterval.toMillis(),
                        id ->
                                rows.prunePublished(retention.toSeconds())
                                        .subscribe()
                                        .with(
                                                pruned -> {
                                                    if (pruned > 0) {
                                                        LOGGER.debugf(
                                                                "pruned %d published outbox rows",
                                                                pruned);
                                                    }
                                                },
                                                failure ->
                                                        LOGGER.debugf(
                                                                "outbox pruning skipped: %s",
                                                                failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
        vertx.cancelTimer(pruning);
    }

    private boolean provisionTopics() {
        if (topicsReady) {
            return true;
        }
        try {
            TopicProvisioner.ensure(
                    bootstrapServers, topics, replicationFactor, Duration.ofSeconds(5));
            topicsReadyEvent.fire(new TopicsReady(bootstrapServers));
            topicsReady = true;
            relay.wake();
        } catch (RuntimeException e) {
            LOGGER.warnf(
                    "topics not ready yet (is Kafka reachable?), changes stay in the outbox: %s",
                    e.getMessage());
        }
        return topicsReady;
    }

    /** Publishes what was just committed. */
    public void wake() {
        if (topicsReady) {
            relay.wake();
        }
    }
}

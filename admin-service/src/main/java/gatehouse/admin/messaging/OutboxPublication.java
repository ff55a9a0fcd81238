package gatehouse.admin.messaging;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import gatehouse.contracts.events.TopicProvisioner;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.outbox.OutboxRelay;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs admin-service's outbox relay: woken after each commit and every second (to retry after a broker
 * outage). Creates the topics admin-service writes, in the background, so the service starts and takes
 * writes while the broker is still down, and refills a state topic the broker has lost.
 */
@ApplicationScoped
public class OutboxPublication {

    private static final Logger LOGGER = Logger.getLogger(OutboxPublication.class);

    private final OutboxRelay relay;
    private final StateRepublisher republisher;
    private final Vertx vertx;
    private final String bootstrapServers;
    private final short replicationFactor;
    private volatile boolean topicsReady;
    private long timer = -1;

    OutboxPublication(OutboxRows rows, KafkaEventPublisher publisher, StateRepublisher republisher, Vertx vertx,
                      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                      @ConfigProperty(name = "gatehouse.topics.replication-factor", defaultValue = "1") short replicationFactor) {
        this.relay = new OutboxRelay(rows, publisher::publish, 100);
        this.republisher = republisher;
        republisher.onQueued(this::wake);
        this.vertx = vertx;
        this.bootstrapServers = bootstrapServers;
        this.replicationFactor = replicationFactor;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(1000, id -> {
            if (topicsReady) {
                relay.wake();
            } else {
                vertx.executeBlocking(() -> provisionTopics(), false);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    private boolean provisionTopics() {
        if (topicsReady) {
            return true;
        }
        try {
            TopicProvisioner.ensure(bootstrapServers, List.of(Topics.APIS, Topics.POLICIES, Topics.AUDIT),
                    replicationFactor, Duration.ofSeconds(5));
            republisher.republishLostTopics();
            topicsReady = true;
            relay.wake();
        } catch (RuntimeException e) {
            LOGGER.warnf("topics not ready yet (is Kafka reachable?), changes stay in the outbox: %s", e.getMessage());
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

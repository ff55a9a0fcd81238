package gatehouse.admin.messaging;

import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topic;
import gatehouse.contracts.events.TopicProvisioner;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.outbox.OutboxPublication;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refills a state topic from the database when the broker has lost it (a new or wiped cluster):
 * every live document is queued in the outbox again with its current version. Gateways that already
 * hold that version ignore the copy; gateways that start from the refilled topic get the full
 * state.
 */
@ApplicationScoped
public class StateRepublisher {

    private static final Logger LOGGER = Logger.getLogger(StateRepublisher.class);

    private final Pool pool;
    private final String bootstrapServers;
    private final Instance<OutboxPublication> publication;

    StateRepublisher(
            Pool pool,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            Instance<OutboxPublication> publication) {
        this.pool = pool;
        this.bootstrapServers = bootstrapServers;
        this.publication = publication;
    }

    /**
     * Before the first publication: queue again the documents of a state topic the broker has none
     * of.
     */
    void onTopicsReady(@Observes OutboxPublication.TopicsReady ready) {
        republishLostTopics();
    }

    /**
     * Blocking: checks both state topics and queues their documents again where the broker has
     * none.
     */
    public void republishLostTopics() {
        republishIfNeverWritten(Topics.APIS, "api_definition", "api_id", EventTypes.API_UPSERTED);
        republishIfNeverWritten(Topics.POLICIES, "policy", "id", EventTypes.POLICY_UPSERTED);
    }

    private void republishIfNeverWritten(Topic topic, String table, String idColumn, String type) {
        if (TopicProvisioner.neverWritten(bootstrapServers, topic.name(), Duration.ofSeconds(10))) {
            int queued =
                    republish(topic, table, idColumn, type).await().atMost(Duration.ofSeconds(30));
            if (queued > 0) {
                LOGGER.warnf(
                        "%s was empty on the broker: %d documents queued again from the database",
                        topic.name(), queued);
            }
        }
    }

    /** Queues every live API and policy again, whatever the broker holds; then wakes the relay. */
    public void republish() {
        republish(Topics.APIS, "api_definition", "api_id", EventTypes.API_UPSERTED)
                .await()
                .atMost(Duration.ofSeconds(30));
        republish(Topics.POLICIES, "policy", "id", EventTypes.POLICY_UPSERTED)
                .await()
                .atMost(Duration.ofSeconds(30));
        publication.get().wake();
    }

    /** Queues every live document of a table in the outbox with its current version. */
    Uni<Integer> republish(Topic topic, String table, String idColumn, String type) {
        // table and column names come from the constants above, never from input
        return pool.preparedQuery(
                        "insert into outbox_event (topic, event_id, source, event_type, aggregate_id,"
                                + " aggregate_version, actor, request_id, occurred_at, payload)"
                                + " select $1, gen_random_uuid()::text, $3, $2, "
                                + idColumn
                                + ", version, 'admin-service:republish',"
                                + " null, now(), document from "
                                + table
                                + " where deleted_at is null order by updated_at")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(topic.name(), type, AdminEvents.SOURCE))
                .map(rows -> rows.rowCount());
    }
}

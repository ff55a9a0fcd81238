package gatehouse.keys.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.keys.UsageDelta;
import gatehouse.contracts.outbox.SafeContext;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.keys.persistence.KeyStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the authoritative quota counts: every usage delta the gateways publish on {@code
 * gatehouse.usage} is added to the key's counter in PostgreSQL exactly once, and the new count goes
 * out on {@code gatehouse.keys}, at most once per {@code gatehouse.usage.publish-interval} per key
 * (a busy key's gateways report every 50 ms each; republishing its whole state as often would cost
 * every gateway, the broker and this service more than the requests counted). A database outage
 * holds the deltas in the topic until it is back.
 */
@ApplicationScoped
public class UsageCounter {

    private static final Logger LOGGER = Logger.getLogger(UsageCounter.class);

    /** Keys whose held-back counts go out per pass. */
    private static final int PUBLISH_BATCH = 500;

    private final KeyStore store;
    private final Vertx vertx;
    private final Duration publishInterval;
    private final AtomicBoolean publishing = new AtomicBoolean();
    private long timer = -1;

    UsageCounter(
            KeyStore store,
            Vertx vertx,
            @ConfigProperty(name = "gatehouse.usage.publish-interval", defaultValue = "1s")
                    Duration publishInterval) {
        this.store = store;
        this.vertx = vertx;
        this.publishInterval = publishInterval;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(Math.max(1, publishInterval.toMillis()), id -> publishPending());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    /** Sends the counts held back, a batch at a time; one pass at once. */
    private void publishPending() {
        if (!publishing.compareAndSet(false, true)) {
            return;
        }
        SafeContext.run(vertx, () -> store.publishPendingUsage(PUBLISH_BATCH))
                .subscribe()
                .with(
                        published -> {
                            publishing.set(false);
                            if (published == PUBLISH_BATCH) {
                                publishPending();
                            }
                        },
                        failure -> {
                            publishing.set(false);
                            LOGGER.debugf(
                                    "held-back quota counts not published yet: %s",
                                    failure.getMessage());
                        });
    }

    /**
     * One poll's deltas, counted in one transaction (a gateway reports every 50 ms per busy key; a
     * transaction per delta would cost more than the requests counted).
     */
    @Incoming("usage")
    Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<KeyStore.Counted> counted = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                EventEnvelope event = CloudEventCodec.read(record);
                UsageDelta delta = TykJson.MAPPER.readValue(event.data(), UsageDelta.class);
                counted.add(
                        new KeyStore.Counted(
                                record.partition(), record.offset(), event.subject(), delta));
            } catch (MalformedEventException
                    | JsonProcessingException
                    | IllegalArgumentException e) {
                LOGGER.warnf(
                        "skipped malformed usage event at %d@%d: %s",
                        record.partition(), record.offset(), e.getMessage());
            }
        }
        if (counted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.countUsage(counted, publishInterval)
                .onFailure()
                .invoke(
                        e ->
                                LOGGER.warnf(
                                        "could not count usage yet, retrying: %s", e.getMessage()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10))
                .indefinitely()
                .replaceWithVoid();
    }
}

package gatehouse.keys.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.keys.UsageDelta;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.keys.persistence.KeyStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the authoritative quota counts: every usage delta the gateways publish on {@code
 * gatehouse.usage} is added to the key's counter in PostgreSQL exactly once, and the new count goes
 * out on {@code gatehouse.keys}. A database outage holds the deltas in the topic until it is back.
 */
@ApplicationScoped
public class UsageCounter {

    private static final Logger LOGGER = Logger.getLogger(UsageCounter.class);

    private final KeyStore store;

    UsageCounter(KeyStore store) {
        this.store = store;
    }

    @Incoming("usage")
    Uni<Void> consume(ConsumerRecord<String, String> record) {
        UsageDelta delta;
        EventEnvelope event;
        try {
            event = CloudEventCodec.read(record);
            delta = TykJson.MAPPER.readValue(event.data(), UsageDelta.class);
        } catch (MalformedEventException | JsonProcessingException | IllegalArgumentException e) {
            LOGGER.warnf(
                    "skipped malformed usage event at %d@%d: %s",
                    record.partition(), record.offset(), e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return store.countUsage(record.partition(), record.offset(), event.subject(), delta)
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

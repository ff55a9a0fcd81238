package gatehouse.contracts.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One change event on a Gatehouse topic: the whole new state of one aggregate, or a tombstone.
 * Travels as a CloudEvent in Kafka's binary binding (see {@link CloudEventCodec}).
 *
 * @param id unique event id (CloudEvents {@code id})
 * @param source the emitting service, e.g. {@code /gatehouse/admin-service}
 * @param type what happened, see {@link EventTypes}
 * @param subject the aggregate id (also the Kafka record key)
 * @param time when the change was committed
 * @param actor who made the change (a digest or name, never a secret)
 * @param requestId the request that caused the change, for tracing
 * @param version per-aggregate version; consumers ignore events not newer than what they hold
 * @param data the aggregate as JSON, or {@code null} for a deletion (tombstone)
 */
public record EventEnvelope(
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String actor,
        String requestId,
        long version,
        String data) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
    }

    /**
     * A new event about one aggregate, timestamped now, with a fresh id.
     *
     * @param source the emitting service ({@code /gatehouse/<service>})
     * @param data the new state, or null for a deletion
     */
    public static EventEnvelope now(
            String source,
            String type,
            String subject,
            long version,
            ChangeOrigin origin,
            String data) {
        return new EventEnvelope(
                java.util.UUID.randomUUID().toString(),
                source,
                type,
                subject,
                Instant.now(),
                origin.describe(),
                origin.requestId(),
                version,
                data);
    }

    /** True when this event removes the aggregate. */
    public boolean isTombstone() {
        return data == null;
    }
}

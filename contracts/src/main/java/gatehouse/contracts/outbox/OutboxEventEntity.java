package gatehouse.contracts.outbox;

import gatehouse.contracts.events.EventEnvelope;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * An owner's outbox row: an event persisted in the same transaction as the change it describes
 * (DESIGN.md §3). The table comes from the shared migration {@code db/gatehouse-outbox}.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEventEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(nullable = false)
    public String source;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "aggregate_id", nullable = false)
    public String aggregateId;

    @Column(name = "aggregate_version", nullable = false)
    public long aggregateVersion;

    public String actor;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "occurred_at", nullable = false)
    public OffsetDateTime occurredAt;

    @Column(columnDefinition = "text")
    public String payload;

    @Column(name = "published_at")
    public OffsetDateTime publishedAt;

    /** A pending row for the event on the topic. */
    public static OutboxEventEntity of(String topic, EventEnvelope event) {
        var row = new OutboxEventEntity();
        row.topic = topic;
        row.eventId = event.id();
        row.source = event.source();
        row.eventType = event.type();
        row.aggregateId = event.subject();
        row.aggregateVersion = event.version();
        row.actor = event.actor();
        row.requestId = event.requestId();
        row.occurredAt = event.time().atOffset(ZoneOffset.UTC);
        row.payload = event.data();
        return row;
    }
}

package gatehouse.contracts.events;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends events through a SmallRye Kafka emitter as CloudEvents (binary mode), keyed by the event's
 * subject, to the topic given per event. A null data is sent as a tombstone.
 */
public final class EventSender {

    private final MutinyEmitter<Record<String, String>> emitter;

    /**
     * @param emitter an emitter on a channel configured with String key and value serializers
     */
    public EventSender(MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    /** Sends one event; the Uni completes when the broker has acknowledged it. */
    public Uni<Void> send(String topic, EventEnvelope event) {
        var headers = new RecordHeaders();
        CloudEventCodec.headers(event).forEach(headers::add);
        var metadata =
                OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(topic)
                        .withKey(event.subject())
                        .withHeaders(headers)
                        .build();
        return emitter.sendMessage(
                Message.of(Record.of(event.subject(), event.data())).addMetadata(metadata));
    }
}

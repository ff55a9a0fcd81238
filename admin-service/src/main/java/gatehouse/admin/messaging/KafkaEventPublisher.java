package gatehouse.admin.messaging;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.outbox.OutboxEntry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends outbox entries as CloudEvents (binary mode) keyed by aggregate id; completes on the broker's ack. */
@ApplicationScoped
public class KafkaEventPublisher {

    private final MutinyEmitter<Record<String, String>> emitter;

    KafkaEventPublisher(@Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                        MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(OutboxEntry entry) {
        var headers = new RecordHeaders();
        CloudEventCodec.headers(entry.event()).forEach(headers::add);
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(entry.topic())
                .withKey(entry.event().subject())
                .withHeaders(headers)
                .build();
        // a null value is a tombstone: the aggregate was deleted
        return emitter.sendMessage(Message.of(Record.of(entry.event().subject(), entry.event().data()))
                .addMetadata(metadata));
    }
}

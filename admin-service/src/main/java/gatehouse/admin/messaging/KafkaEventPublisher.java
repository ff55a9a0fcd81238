package gatehouse.admin.messaging;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import gatehouse.contracts.events.EventSender;
import gatehouse.contracts.outbox.OutboxEntry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends outbox entries to their topics; completes on the broker's ack. */
@ApplicationScoped
public class KafkaEventPublisher {

    private final EventSender sender;

    KafkaEventPublisher(@Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                        MutinyEmitter<Record<String, String>> emitter) {
        this.sender = new EventSender(emitter);
    }

    public Uni<Void> publish(OutboxEntry entry) {
        return sender.send(entry.topic(), entry.event());
    }
}

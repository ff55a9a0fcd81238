package gatehouse.contracts.outbox;

import gatehouse.contracts.events.EventSender;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends outbox entries to their topics over the {@code outbox} channel; completes on the broker's
 * ack.
 */
@ApplicationScoped
@IfBuildProperty(name = "gatehouse.outbox.enabled", stringValue = "true")
public class OutboxSender {

    private final EventSender sender;

    OutboxSender(
            @Channel("outbox") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                    MutinyEmitter<Record<String, String>> emitter) {
        this.sender = new EventSender(emitter);
    }

    public Uni<Void> publish(OutboxEntry entry) {
        return sender.send(entry.topic(), entry.event());
    }
}

package gatehouse.keys.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.tyk.TykJson;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The policies keys-service applies to keys, learned from {@code gatehouse.policies} (admin-service owns
 * them). Every instance reads the whole compacted topic from the beginning.
 */
@ApplicationScoped
public class PolicyCatalog {

    private static final Logger LOGGER = Logger.getLogger(PolicyCatalog.class);

    private record Held(long version, ObjectNode policy) {
    }

    private final Map<String, Held> policies = new ConcurrentHashMap<>();

    /** The policy with that id, or null; treat it as read-only. */
    public ObjectNode policy(String id) {
        Held held = policies.get(id);
        return held == null ? null : held.policy();
    }

    @Incoming("policies")
    void consume(ConsumerRecord<String, String> record) {
        try {
            EventEnvelope event = envelope(record);
            policies.compute(event.subject(), (id, held) -> {
                if (held != null && held.version() >= event.version()) {
                    return held;
                }
                if (event.isTombstone() || EventTypes.POLICY_DELETED.equals(event.type())) {
                    return new Held(event.version(), null);
                }
                return new Held(event.version(), parse(event));
            });
        } catch (MalformedEventException e) {
            LOGGER.warnf("skipped malformed policy event at offset %d: %s", record.offset(), e.getMessage());
        }
    }

    private static ObjectNode parse(EventEnvelope event) {
        try {
            JsonNode document = TykJson.MAPPER.readTree(event.data());
            if (document instanceof ObjectNode policy) {
                return policy;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new MalformedEventException("unreadable policy " + event.subject());
    }

    /** The envelope of a record read with String key and value deserializers. */
    static EventEnvelope envelope(ConsumerRecord<String, String> record) {
        return CloudEventCodec.read(name -> {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : header.value();
        }, record.value() == null ? null : record.value().getBytes(StandardCharsets.UTF_8));
    }
}

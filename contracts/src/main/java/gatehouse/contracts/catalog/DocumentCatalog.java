package gatehouse.contracts.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.MalformedEventException;
import gatehouse.contracts.tyk.TykJson;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Documents of one state topic by id, as the events bring them: versions only move forward, a
 * deletion's version is kept, a malformed event is logged and skipped.
 */
final class DocumentCatalog {

    private static final Logger LOGGER = Logger.getLogger(DocumentCatalog.class);

    private record Held(long version, ObjectNode document) {}

    private final String kind;
    private final String upserted;
    private final String deleted;
    private final Map<String, Held> documents = new ConcurrentHashMap<>();

    DocumentCatalog(String kind, String upserted, String deleted) {
        this.kind = kind;
        this.upserted = upserted;
        this.deleted = deleted;
    }

    ObjectNode get(String id) {
        Held held = id == null ? null : documents.get(id);
        return held == null ? null : held.document();
    }

    /**
     * True when an event about this id has arrived, whether it brought the document or its
     * deletion.
     */
    boolean known(String id) {
        return id != null && documents.containsKey(id);
    }

    void consume(ConsumerRecord<String, String> record) {
        try {
            EventEnvelope event = CloudEventCodec.read(record);
            if (!event.isTombstone()
                    && !deleted.equals(event.type())
                    && !upserted.equals(event.type())) {
                throw new MalformedEventException("unknown event type " + event.type());
            }
            ObjectNode document =
                    event.isTombstone() || deleted.equals(event.type()) ? null : parse(event);
            documents.compute(
                    event.subject(),
                    (id, held) ->
                            held != null && held.version() >= event.version()
                                    ? held
                                    : new Held(event.version(), document));
        } catch (MalformedEventException e) {
            LOGGER.warnf(
                    "skipped malformed %s event at offset %d: %s",
                    kind, record.offset(), e.getMessage());
        }
    }

    private ObjectNode parse(EventEnvelope event) {
        try {
            JsonNode document = TykJson.MAPPER.readTree(event.data());
            if (document instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new MalformedEventException("unreadable " + kind + " " + event.subject());
    }
}

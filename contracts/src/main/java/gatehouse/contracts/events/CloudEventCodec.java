package gatehouse.contracts.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The CloudEvents Kafka protocol binding, binary mode: attributes as {@code ce_*} headers, the data
 * as the record value. Gatehouse's extension attributes: {@code actor}, {@code requestid}, {@code
 * aggregateversion}.
 */
public final class CloudEventCodec {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    private CloudEventCodec() {}

    /** The headers that carry the envelope's attributes, in a stable order. */
    public static Map<String, byte[]> headers(EventEnvelope event) {
        var headers = new LinkedHashMap<String, byte[]>();
        put(headers, "ce_specversion", SPEC_VERSION);
        put(headers, "ce_id", event.id());
        put(headers, "ce_source", event.source());
        put(headers, "ce_type", event.type());
        put(headers, "ce_subject", event.subject());
        put(headers, "ce_time", event.time().toString());
        put(headers, "ce_actor", event.actor());
        put(headers, "ce_requestid", event.requestId());
        put(headers, "ce_aggregateversion", Long.toString(event.version()));
        if (event.data() != null) {
            put(headers, "content-type", CONTENT_TYPE);
        }
        return headers;
    }

    /**
     * Reads an envelope back from a record's headers and value.
     *
     * @param header looks up the last value of a header, or null
     * @param value the record value, null for a tombstone
     * @throws MalformedEventException when a required attribute is missing or unreadable
     */
    public static EventEnvelope read(Function<String, byte[]> header, byte[] value) {
        String specVersion = text(header, "ce_specversion");
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new MalformedEventException(
                    "unsupported or missing ce_specversion: " + specVersion);
        }
        try {
            return new EventEnvelope(
                    required(header, "ce_id"),
                    required(header, "ce_source"),
                    required(header, "ce_type"),
                    required(header, "ce_subject"),
                    Instant.parse(required(header, "ce_time")),
                    text(header, "ce_actor"),
                    text(header, "ce_requestid"),
                    Long.parseLong(required(header, "ce_aggregateversion")),
                    value == null ? null : new String(value, StandardCharsets.UTF_8));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new MalformedEventException("unreadable CloudEvent attribute: " + e.getMessage());
        }
    }

    /** Reads the envelope of a record consumed with String key and value deserializers. */
    public static EventEnvelope read(
            org.apache.kafka.clients.consumer.ConsumerRecord<String, String> record) {
        return read(
                name -> {
                    var header = record.headers().lastHeader(name);
                    return header == null ? null : header.value();
                },
                record.value() == null ? null : record.value().getBytes(StandardCharsets.UTF_8));
    }

    private static void put(Map<String, byte[]> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String text(Function<String, byte[]> header, String name) {
        byte[] raw = header.apply(name);
        return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
    }

    private static String required(Function<String, byte[]> header, String name) {
        String value = text(header, name);
        if (value == null || value.isEmpty()) {
            throw new MalformedEventException("missing CloudEvent attribute " + name);
        }
        return value;
    }
}

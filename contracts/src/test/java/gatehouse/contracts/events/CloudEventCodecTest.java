package gatehouse.contracts.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

class CloudEventCodecTest {

    private final EventEnvelope event =
            new EventEnvelope(
                    "e1",
                    "/gatehouse/admin-service",
                    EventTypes.API_UPSERTED,
                    "api-1",
                    Instant.parse("2026-11-22T10:00:00Z"),
                    "admin",
                    "req-1",
                    7,
                    "{\"api_id\":\"api-1\"}");

    @Test
    void anEventSurvivesTheBinaryBinding() {
        var headers = CloudEventCodec.headers(event);
        assertEquals("1.0", new String(headers.get("ce_specversion"), StandardCharsets.UTF_8));
        var back =
                CloudEventCodec.read(headers::get, event.data().getBytes(StandardCharsets.UTF_8));
        assertEquals(event, back);
    }

    @Test
    void aTombstoneHasNoDataAndNoContentType() {
        var tombstone =
                new EventEnvelope(
                        "e2",
                        "s",
                        EventTypes.API_DELETED,
                        "api-1",
                        Instant.now(),
                        null,
                        null,
                        8,
                        null);
        var headers = CloudEventCodec.headers(tombstone);
        assertTrue(!headers.containsKey("content-type"));
        assertTrue(CloudEventCodec.read(headers::get, null).isTombstone());
    }

    @Test
    void missingOrBrokenAttributesAreMalformed() {
        var headers = new HashMap<>(CloudEventCodec.headers(event));
        headers.remove("ce_aggregateversion");
        assertThrows(MalformedEventException.class, () -> CloudEventCodec.read(headers::get, null));
        headers.put("ce_aggregateversion", "seven".getBytes(StandardCharsets.UTF_8));
        assertThrows(MalformedEventException.class, () -> CloudEventCodec.read(headers::get, null));
        assertThrows(MalformedEventException.class, () -> CloudEventCodec.read(name -> null, null));
    }
}

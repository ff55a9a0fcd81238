package gatehouse.dashboard.common.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Writing stored values back as Tyk's documents show them. */
public final class Views {

    private Views() {}

    /** A time as RFC 3339 with milliseconds. */
    public static String time(OffsetDateTime time) {
        return time.truncatedTo(ChronoUnit.MILLIS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** A stored JSON object. */
    public static ObjectNode object(String stored) {
        try {
            return (ObjectNode) TykJson.MAPPER.readTree(stored);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("unreadable stored document", e);
        }
    }
}

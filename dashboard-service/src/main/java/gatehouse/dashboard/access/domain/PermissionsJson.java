package gatehouse.dashboard.access.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Permissions as stored: a JSON object, section to level. */
public final class PermissionsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private PermissionsJson() {}

    /** The stored text of a map. */
    public static String write(Permissions permissions) {
        try {
            return MAPPER.writeValueAsString(permissions.asMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    /** A stored map. */
    public static Permissions read(String stored) {
        try {
            return Permissions.of(MAPPER.readValue(stored, MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored permissions", e);
        }
    }
}

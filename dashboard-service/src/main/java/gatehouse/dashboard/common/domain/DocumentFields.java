package gatehouse.dashboard.common.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.dashboard.access.domain.InvalidPermissionsException;
import gatehouse.dashboard.access.domain.Permissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the typed fields of a request document: absent or null is null, a value of the wrong type
 * is an {@link InvalidDocumentException} (Go's decoder refuses it too).
 */
public final class DocumentFields {

    private DocumentFields() {}

    /** A string, trimmed. */
    public static String text(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidDocumentException(field + " must be a string");
        }
        return node.asText().trim();
    }

    /** A boolean. */
    public static Boolean bool(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw new InvalidDocumentException(field + " must be true or false");
        }
        return node.asBoolean();
    }

    /** A whole number, 0 or more. */
    public static Integer count(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
            throw new InvalidDocumentException(field + " must be a whole number, 0 or more");
        }
        return node.asInt();
    }

    /** An object. */
    public static ObjectNode object(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidDocumentException(field + " must be an object");
        }
        return (ObjectNode) node;
    }

    /** {@code user_permissions}: an object of strings, as {@link Permissions#of} reads it. */
    public static Permissions permissions(ObjectNode body) {
        ObjectNode node = object(body, "user_permissions");
        if (node == null) {
            return null;
        }
        Map<String, String> raw = new LinkedHashMap<>();
        node.fields()
                .forEachRemaining(
                        e -> {
                            if (!e.getValue().isTextual()) {
                                throw new InvalidDocumentException(
                                        "permission " + e.getKey() + " must be a string");
                            }
                            raw.put(e.getKey(), e.getValue().asText());
                        });
        try {
            return Permissions.of(raw);
        } catch (InvalidPermissionsException e) {
            throw new InvalidDocumentException(e.getMessage());
        }
    }
}

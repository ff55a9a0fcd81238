package gatehouse.admin.policies.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.admin.documents.InvalidDocumentException;
import gatehouse.admin.documents.JsonDocuments;
import java.util.regex.Pattern;

/** Reads and validates a policy as Tyk's {@code POST/PUT /tyk/policies} do (COMPAT §4.2). */
public final class PolicyRules {

    /** A policy to store: its id and the whole document, {@code id} filled in. */
    public record PolicyDocument(String id, String orgId, ObjectNode document) {}

    private static final Pattern SAFE_ID = Pattern.compile("[a-zA-Z0-9._~-]+");
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");

    private PolicyRules() {}

    /**
     * @param pathId the id in the path, or null for {@code POST /tyk/policies}
     * @throws InvalidDocumentException with Tyk's message
     */
    public static PolicyDocument read(String pathId, String body) {
        ObjectNode document = JsonDocuments.readObject(body);
        String id = text(document, "id");
        if (pathId != null && !pathId.equals(id)) {
            throw new InvalidDocumentException(
                    "Request ID does not match that in policy! For Update operations these must match.");
        }
        if (id.isEmpty()) {
            String objectId = text(document, "_id");
            if (!OBJECT_ID.matcher(objectId).matches()) {
                throw new InvalidDocumentException("Unable to create policy without id.");
            }
            id = objectId.toLowerCase();
            document.put("id", id);
        }
        if (!SAFE_ID.matcher(id).matches()) {
            throw new InvalidDocumentException(
                    "Invalid Policy ID: Allowed characters: a-z, A-Z, 0-9, ., _, -, ~");
        }
        return new PolicyDocument(id, text(document, "org_id"), document);
    }

    private static String text(ObjectNode document, String field) {
        JsonNode value = document.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}

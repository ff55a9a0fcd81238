package gatehouse.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Takes secrets out of a document before it enters the audit log: any field whose name says it
 * holds a secret and whose value is a string becomes {@value #REDACTED} (an empty one stays empty,
 * so an auditor can tell a secret was set or cleared). Applied to every document an owner records.
 */
public final class AuditRedaction {

    /** What a secret's value is replaced with. */
    public static final String REDACTED = "<redacted>";

    private static final Set<String> SECRET_FIELDS =
            Set.of(
                    "password",
                    "secret",
                    "client_secret",
                    "hmac_string",
                    "hmac_secret",
                    "jwt_secret",
                    "private_key",
                    "key",
                    "raw_key",
                    "access_token",
                    "refresh_token",
                    "token",
                    "authorization",
                    "api_key",
                    "shared_secret",
                    "session_key");

    private AuditRedaction() {}

    /** A copy of the document with its secrets redacted; null stays null. */
    public static JsonNode redact(JsonNode document) {
        if (document == null || document.isNull()) {
            return null;
        }
        JsonNode copy = document.deepCopy();
        scrub(copy);
        return copy;
    }

    /** True when a field of that name holds a secret. */
    public static boolean isSecretField(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return SECRET_FIELDS.contains(lower)
                || lower.endsWith("_secret")
                || lower.endsWith("_password")
                || lower.endsWith("_token");
    }

    private static void scrub(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (isSecretField(field.getKey())
                        && value.isTextual()
                        && !value.asText().isEmpty()) {
                    field.setValue(JsonNodeFactory.instance.textNode(REDACTED));
                } else {
                    scrub(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(AuditRedaction::scrub);
        }
    }
}

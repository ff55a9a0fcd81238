package gatehouse.dashboard.organisations.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.dashboard.common.domain.InvalidDocumentException;
import java.util.Locale;

/**
 * Tyk's {@code OrganisationDocument} (DASHBOARD.md §2) as Go writes it: every field, in the
 * struct's order, with its zero value when the request left it out (a PUT replaces the whole
 * document). Unknown fields are dropped, as Go's decoder drops them.
 */
public final class OrganisationDocuments {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OrganisationDocuments() {}

    /**
     * The stored document of a request body under the given id.
     *
     * @throws InvalidDocumentException when a field has the wrong JSON type
     */
    public static ObjectNode normalise(ObjectNode body, String id) {
        ObjectNode doc = NODES.objectNode();
        doc.put("id", id);
        String ownerName = string(body, "owner_name");
        doc.put("owner_name", ownerName);
        String slug = string(body, "owner_slug");
        doc.put("owner_slug", slug.isEmpty() ? slug(ownerName) : slug);
        doc.put("cname_enabled", bool(body, "cname_enabled"));
        doc.put("cname", string(body, "cname"));
        doc.set("apis", array(body, "apis"));
        doc.put("sso_enabled", bool(body, "sso_enabled"));
        doc.put("developer_quota", number(body, "developer_quota"));
        doc.put("developer_count", number(body, "developer_count"));
        doc.set("event_options", object(body, "event_options"));
        doc.put("hybrid_enabled", bool(body, "hybrid_enabled"));
        doc.set("ui", object(body, "ui"));
        doc.set("org_options_meta", object(body, "org_options_meta"));
        ObjectNode openPolicy = object(body, "open_policy");
        ObjectNode policy = NODES.objectNode();
        policy.put("rules", string(openPolicy, "rules"));
        policy.put("enabled", bool(openPolicy, "enabled"));
        doc.set("open_policy", policy);
        ObjectNode additional = object(body, "additional_permissions");
        additional
                .fields()
                .forEachRemaining(
                        e -> {
                            if (!e.getValue().isTextual()) {
                                throw new InvalidDocumentException(
                                        "additional_permissions values must be strings");
                            }
                        });
        doc.set("additional_permissions", additional);
        return doc;
    }

    /** {@code owner_name} in lower case, runs of anything but letters and digits as one dash. */
    static String slug(String ownerName) {
        String slug =
                ownerName
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}]+", "-")
                        .replaceAll("(^-+)|(-+$)", "");
        return slug;
    }

    private static String string(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new InvalidDocumentException(field + " must be a string");
        }
        return node.asText();
    }

    private static boolean bool(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new InvalidDocumentException(field + " must be true or false");
        }
        return node.asBoolean();
    }

    private static long number(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidDocumentException(field + " must be a whole number");
        }
        return node.asLong();
    }

    private static ObjectNode object(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return NODES.objectNode();
        }
        if (!node.isObject()) {
            throw new InvalidDocumentException(field + " must be an object");
        }
        return ((ObjectNode) node).deepCopy();
    }

    private static JsonNode array(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return NODES.arrayNode();
        }
        if (!node.isArray()) {
            throw new InvalidDocumentException(field + " must be a list");
        }
        for (JsonNode api : node) {
            if (!api.isObject()) {
                throw new InvalidDocumentException(field + " must be a list of objects");
            }
        }
        return node.deepCopy();
    }
}

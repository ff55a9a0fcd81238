package gatehouse.admin.apis.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.admin.documents.InvalidDocumentException;

/**
 * Tyk's child versions ({@code POST /tyk/apis?base_api_id=&new_version_name=}, COMPAT §5): the new
 * API is a version of a base API, which then routes that version's requests to it ({@code
 * definition.enabled}, {@code definition.versions}).
 *
 * @param baseApiId the base API
 * @param newVersionName the version the new API serves
 * @param baseVersionName the base's own version name when it gets one, or empty
 * @param setDefault the new version becomes the base's default
 */
public record ApiVersions(
        String baseApiId, String newVersionName, String baseVersionName, boolean setDefault) {

    /** Tyk's name for "the base API itself". */
    public static final String SELF = "self";

    /** Tyk's 422 when {@code new_version_name} is missing. */
    public static final String NAME_REQUIRED = "The new version name is required";

    /**
     * The request's parameters; null when it creates no version.
     *
     * @throws InvalidDocumentException {@link #NAME_REQUIRED} (a 422) without a version name
     */
    public static ApiVersions of(
            String baseApiId, String newVersionName, String baseVersionName, String setDefault) {
        if (baseApiId == null || baseApiId.isEmpty()) {
            return null;
        }
        if (newVersionName == null || newVersionName.isEmpty()) {
            throw new InvalidDocumentException(NAME_REQUIRED);
        }
        return new ApiVersions(
                baseApiId,
                newVersionName,
                baseVersionName == null ? "" : baseVersionName,
                "true".equals(setDefault));
    }

    /** Tyk's 400 when the base does not exist. */
    public String noBase() {
        return baseApiId + " is not a valid Base API version";
    }

    /**
     * The base's definition with the new version routed to {@code childApiId}: versioning on, the
     * base's own name set when asked, the default moved when asked, Tyk's defaults for where the
     * version is read.
     *
     * @throws InvalidDocumentException when the base has no version name and none is given
     */
    public ObjectNode linkedBase(ObjectNode base, String childApiId) {
        ObjectNode linked = base.deepCopy();
        JsonNode current = linked.get("definition");
        ObjectNode definition =
                current instanceof ObjectNode object ? object : linked.putObject("definition");
        if (!baseVersionName.isEmpty()) {
            definition.put("name", baseVersionName);
        }
        if (definition.path("name").asText("").isEmpty()) {
            throw new InvalidDocumentException(
                    "you need to provide a version name for the new Base API: " + baseApiId);
        }
        definition.put("enabled", true);
        if (definition.path("key").asText("").isEmpty()) {
            definition.put("key", "x-api-version");
        }
        if (definition.path("location").asText("").isEmpty()) {
            definition.put("location", "header");
        }
        if (setDefault) {
            definition.put("default", newVersionName);
        } else if (definition.path("default").asText("").isEmpty()) {
            definition.put("default", SELF);
        }
        definition.put("base_id", baseApiId);
        JsonNode versions = definition.get("versions");
        ObjectNode map =
                versions instanceof ObjectNode object ? object : definition.putObject("versions");
        map.put(newVersionName, childApiId);
        return linked;
    }

    /** The new API's definition, marked as a version of the base. */
    public ObjectNode markedChild(ObjectNode child) {
        ObjectNode marked = child.deepCopy();
        JsonNode current = marked.get("definition");
        ObjectNode definition =
                current instanceof ObjectNode object ? object : marked.putObject("definition");
        definition.put("base_id", baseApiId);
        return marked;
    }

    /** The base API's id when the definition is a child version, else null. */
    public static String baseOf(ObjectNode document) {
        String baseId = document.path("definition").path("base_id").asText("");
        String apiId = document.path("api_id").asText("");
        return baseId.isEmpty() || baseId.equals(apiId) ? null : baseId;
    }
}

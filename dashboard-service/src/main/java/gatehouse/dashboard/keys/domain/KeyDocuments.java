package gatehouse.dashboard.keys.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gatehouse.contracts.tyk.TykJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The Dashboard's key documents (DASHBOARD.md §5): {@code KeyData} and what a session names. */
public final class KeyDocuments {

    private KeyDocuments() {}

    /**
     * {@code {"api_model":{},"key_id":…,"key_hash":…,"data":SessionState}}.
     *
     * @param keyId the key as the caller named it; the raw key only in a creation's answer
     */
    public static ObjectNode keyData(String keyId, String keyHash, JsonNode session) {
        ObjectNode out = TykJson.MAPPER.createObjectNode();
        out.putObject("api_model");
        out.put("key_id", keyId);
        out.put("key_hash", keyHash);
        out.set("data", session == null ? TykJson.MAPPER.createObjectNode() : session);
        return out;
    }

    /** The API ids a session's {@code access_rights} names. */
    public static Set<String> apiIds(JsonNode session) {
        Set<String> ids = new LinkedHashSet<>();
        session.path("access_rights").fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    /**
     * The policies a session applies ({@code apply_policies} and the older {@code
     * apply_policy_id}).
     */
    public static List<String> policyIds(JsonNode session) {
        List<String> ids = new ArrayList<>();
        session.path("apply_policies").forEach(id -> addText(ids, id));
        addText(ids, session.path("apply_policy_id"));
        return ids;
    }

    /** True when the key reaches the API: access_rights names it, or names no API at all. */
    public static boolean grants(JsonNode session, String apiId) {
        JsonNode rights = session.path("access_rights");
        return !rights.isObject() || rights.isEmpty() || rights.has(apiId);
    }

    /**
     * The {@code access_rights} entry opening every version of a stored API definition, for a key
     * that names no API: Tyk writes such a key to every API, Gatehouse to every API of its
     * organisation at the time of writing.
     */
    public static ObjectNode accessTo(JsonNode definition) {
        ObjectNode access = TykJson.MAPPER.createObjectNode();
        access.put("api_id", definition.path("api_id").asText());
        access.put("api_name", definition.path("name").asText(""));
        ArrayNode versions = access.putArray("versions");
        JsonNode versionData = definition.path("version_data");
        if (!versionData.path("not_versioned").asBoolean(true)) {
            for (Iterator<String> names = versionData.path("versions").fieldNames();
                    names.hasNext(); ) {
                versions.add(names.next());
            }
        }
        return access;
    }

    private static void addText(List<String> ids, JsonNode id) {
        if (id.isTextual() && !id.asText().isEmpty() && !ids.contains(id.asText())) {
            ids.add(id.asText());
        }
    }
}

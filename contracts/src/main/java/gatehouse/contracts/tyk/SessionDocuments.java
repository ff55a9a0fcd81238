package gatehouse.contracts.tyk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Session (key) documents as Tyk v5.8 writes them: every field of {@code SessionState} is present,
 * with Go's zero value when unset ({@code 0}, {@code ""}, {@code false}, {@code
 * "0001-01-01T00:00:00Z"}, and {@code null} for slices, maps and pointers), in the order Go's
 * encoder writes the struct, with map keys sorted. Gatehouse keeps this full shape although Tyk
 * omits zero values since v5.12 (see COMPAT "Where Gatehouse deliberately differs").
 */
public final class SessionDocuments {

    /** Go's zero {@code time.Time} as its JSON encoder writes it. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * One known field and how its value is normalised; the normaliser returns null to leave the
     * field out.
     */
    private record Field(String name, UnaryOperator<JsonNode> normaliser) {}

    // Go's RateLimit is embedded in APILimit, so its fields come first; its smoothing is omitempty.
    private static final List<Field> LIMIT =
            List.of(
                    new Field("rate", SessionDocuments::floatValue),
                    new Field("per", SessionDocuments::floatValue),
                    new Field("smoothing", SessionDocuments::omitNull),
                    new Field("throttle_interval", SessionDocuments::floatValue),
                    new Field("throttle_retry_limit", SessionDocuments::intValue),
                    new Field("max_query_depth", SessionDocuments::intValue),
                    new Field("quota_max", SessionDocuments::intValue),
                    new Field("quota_renews", SessionDocuments::intValue),
                    new Field("quota_remaining", SessionDocuments::intValue),
                    new Field("quota_renewal_rate", SessionDocuments::intValue));

    private static final List<Field> RATE_LIMIT =
            List.of(
                    new Field("rate", SessionDocuments::floatValue),
                    new Field("per", SessionDocuments::floatValue),
                    new Field("smoothing", SessionDocuments::omitNull));

    // path and name are omitempty; an endpoint's limit is always written
    private static final List<Field> ENDPOINT_METHOD =
            List.of(
                    new Field("name", SessionDocuments::omitEmpty),
                    new Field("limit", v -> struct(v, RATE_LIMIT)));

    private static final List<Field> ENDPOINT =
            List.of(
                    new Field("path", SessionDocuments::omitEmpty),
                    new Field(
                            "methods",
                            v -> omitEmpty(v) == null ? null : listOf(v, ENDPOINT_METHOD)));

    private static final List<Field> ACCESS_SPEC =
            List.of(
                    new Field("url", SessionDocuments::stringValue),
                    new Field("methods", SessionDocuments::nullable));

    private static final List<Field> GRAPHQL_TYPE =
            List.of(
                    new Field("name", SessionDocuments::stringValue),
                    new Field("fields", SessionDocuments::nullable));

    private static final List<Field> FIELD_ACCESS =
            List.of(
                    new Field("type_name", SessionDocuments::stringValue),
                    new Field("field_name", SessionDocuments::stringValue),
                    new Field(
                            "limits",
                            v ->
                                    struct(
                                            v,
                                            List.of(
                                                    new Field(
                                                            "max_query_depth",
                                                            SessionDocuments::intValue)))));

    private static final List<Field> ACCESS_DEFINITION =
            List.of(
                    new Field("api_name", SessionDocuments::stringValue),
                    new Field("api_id", SessionDocuments::stringValue),
                    new Field("versions", SessionDocuments::nullable),
                    new Field("allowed_urls", v -> listOf(v, ACCESS_SPEC)),
                    new Field("restricted_types", v -> listOf(v, GRAPHQL_TYPE)),
                    new Field("allowed_types", v -> listOf(v, GRAPHQL_TYPE)),
                    new Field("limit", v -> struct(v, LIMIT)),
                    new Field("field_access_rights", v -> listOf(v, FIELD_ACCESS)),
                    new Field("disable_introspection", SessionDocuments::boolValue),
                    new Field("allowance_scope", SessionDocuments::stringValue),
                    // omitempty in v5.8: an empty list is not written
                    new Field("endpoints", v -> omitEmpty(v) == null ? null : listOf(v, ENDPOINT)));

    private static final List<Field> SESSION =
            List.of(
                    new Field("last_check", SessionDocuments::intValue),
                    new Field("allowance", SessionDocuments::floatValue),
                    new Field("rate", SessionDocuments::floatValue),
                    new Field("per", SessionDocuments::floatValue),
                    new Field("throttle_interval", SessionDocuments::floatValue),
                    new Field("throttle_retry_limit", SessionDocuments::intValue),
                    new Field("max_query_depth", SessionDocuments::intValue),
                    new Field(
                            "date_created",
                            v -> present(v) ? v.deepCopy() : TextNode.valueOf(ZERO_TIME)),
                    new Field("expires", SessionDocuments::intValue),
                    new Field("quota_max", SessionDocuments::intValue),
                    new Field("quota_renews", SessionDocuments::intValue),
                    new Field("quota_remaining", SessionDocuments::intValue),
                    new Field("quota_renewal_rate", SessionDocuments::intValue),
                    new Field("access_rights", SessionDocuments::accessRights),
                    new Field("org_id", SessionDocuments::stringValue),
                    new Field("oauth_client_id", SessionDocuments::stringValue),
                    new Field("oauth_keys", SessionDocuments::sortedMap),
                    new Field("certificate", SessionDocuments::stringValue),
                    new Field(
                            "basic_auth_data",
                            v ->
                                    struct(
                                            v,
                                            List.of(
                                                    new Field(
                                                            "password",
                                                            SessionDocuments::stringValue),
                                                    new Field(
                                                            "hash_type",
                                                            SessionDocuments::stringValue)))),
                    new Field(
                            "jwt_data",
                            v ->
                                    struct(
                                            v,
                                            List.of(
                                                    new Field(
                                                            "secret",
                                                            SessionDocuments::stringValue)))),
                    new Field("hmac_enabled", SessionDocuments::boolValue),
                    new Field("enable_http_signature_validation", SessionDocuments::boolValue),
                    new Field("hmac_string", SessionDocuments::stringValue),
                    new Field("rsa_certificate_id", SessionDocuments::stringValue),
                    new Field("is_inactive", SessionDocuments::boolValue),
                    new Field("apply_policy_id", SessionDocuments::stringValue),
                    new Field("apply_policies", SessionDocuments::nullable),
                    new Field("data_expires", SessionDocuments::intValue),
                    new Field(
                            "monitor",
                            v ->
                                    struct(
                                            v,
                                            List.of(
                                                    new Field(
                                                            "trigger_limits",
                                                            SessionDocuments::nullable)))),
                    new Field("enable_detail_recording", SessionDocuments::boolValue),
                    new Field("enable_detailed_recording", SessionDocuments::boolValue),
                    new Field("meta_data", SessionDocuments::sortedMap),
                    new Field("tags", SessionDocuments::nullable),
                    new Field("alias", SessionDocuments::stringValue),
                    new Field("last_updated", SessionDocuments::stringValue),
                    new Field("id_extractor_deadline", SessionDocuments::intValue),
                    new Field("session_lifetime", SessionDocuments::intValue),
                    new Field("smoothing", SessionDocuments::nullable));

    /** The JSON names of Tyk v5.8's {@code SessionState}, in the order Go writes them. */
    public static final List<String> SESSION_FIELDS = SESSION.stream().map(Field::name).toList();

    /**
     * The JSON names of Tyk v5.8's {@code AccessDefinition} (one entry of {@code access_rights}),
     * in Go's order.
     */
    public static final List<String> ACCESS_DEFINITION_FIELDS =
            ACCESS_DEFINITION.stream().map(Field::name).toList();

    private SessionDocuments() {}

    /**
     * A copy of a session document with every v5.8 field present: missing (or JSON {@code null})
     * scalars and structs get their zero value, missing slices and maps become {@code null}, as Go
     * writes them. Each entry of {@code access_rights} is completed the same way. Values the client
     * sent are kept (whole-number floats are written as integers, as Go does), fields Gatehouse
     * does not know are kept after the known ones, and the keys of {@code access_rights}, {@code
     * oauth_keys} and {@code meta_data} are sorted.
     *
     * @param session a session document; not modified
     * @return a new document
     */
    public static ObjectNode withDefaults(ObjectNode session) {
        return struct(session, SESSION);
    }

    /**
     * A copy of one {@code access_rights} entry with every v5.8 {@code AccessDefinition} field
     * present, its {@code limit} included; see {@link #withDefaults(ObjectNode)}.
     *
     * @param accessDefinition an entry, or null / JSON null for an empty one; not modified
     * @return a new document
     */
    public static ObjectNode accessDefinitionWithDefaults(JsonNode accessDefinition) {
        return struct(accessDefinition, ACCESS_DEFINITION);
    }

    /**
     * A copy of an {@code access_rights} {@code limit} object with every {@code APILimit} field
     * present.
     *
     * @param limit a limit, or null / JSON null for an empty one; not modified
     * @return a new document
     */
    public static ObjectNode limitWithDefaults(JsonNode limit) {
        return struct(limit, LIMIT);
    }

    /**
     * A number as Go writes a {@code float64}: whole numbers without a fraction ({@code 3}, not
     * {@code 3.0}).
     *
     * @param value the number
     * @return a JSON number node
     */
    public static JsonNode number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e18) {
            return LongNode.valueOf((long) value);
        }
        return DoubleNode.valueOf(value);
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    private static JsonNode intValue(JsonNode value) {
        if (!present(value)) {
            return LongNode.valueOf(0);
        }
        if (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())) {
            return LongNode.valueOf(value.asLong());
        }
        return value.deepCopy(); // not Go-decodable; kept for the caller's validation to judge
    }

    private static JsonNode floatValue(JsonNode value) {
        if (!present(value)) {
            return LongNode.valueOf(0);
        }
        return value.isNumber() ? number(value.asDouble()) : value.deepCopy();
    }

    private static JsonNode stringValue(JsonNode value) {
        return present(value) ? value.deepCopy() : TextNode.valueOf("");
    }

    private static JsonNode boolValue(JsonNode value) {
        return present(value) ? value.deepCopy() : BooleanNode.FALSE;
    }

    private static JsonNode nullable(JsonNode value) {
        return present(value) ? value.deepCopy() : NullNode.getInstance();
    }

    private static JsonNode omitNull(JsonNode value) {
        return present(value) ? value.deepCopy() : null;
    }

    private static JsonNode omitEmpty(JsonNode value) {
        if (!present(value)) {
            return null;
        }
        boolean empty =
                value.isContainerNode()
                        ? value.isEmpty()
                        : value.isTextual() && value.asText().isEmpty();
        return empty ? null : value.deepCopy();
    }

    /**
     * A Go struct: the known fields in order, then whatever else was sent. A non-object is kept as
     * it is.
     */
    private static ObjectNode struct(JsonNode value, List<Field> fields) {
        ObjectNode out = NODES.objectNode();
        ObjectNode in = value instanceof ObjectNode object ? object : NODES.objectNode();
        for (Field field : fields) {
            JsonNode normalised = field.normaliser().apply(in.get(field.name()));
            if (normalised != null) {
                out.set(field.name(), normalised);
            }
        }
        for (Map.Entry<String, JsonNode> entry : in.properties()) {
            if (!out.has(entry.getKey())
                    && fields.stream().noneMatch(f -> f.name().equals(entry.getKey()))) {
                out.set(entry.getKey(), entry.getValue().deepCopy());
            }
        }
        return out;
    }

    private static JsonNode listOf(JsonNode value, List<Field> fields) {
        if (!(value instanceof ArrayNode array)) {
            return nullable(value);
        }
        ArrayNode out = NODES.arrayNode();
        for (JsonNode item : array) {
            out.add(item.isObject() || item.isNull() ? struct(item, fields) : item.deepCopy());
        }
        return out;
    }

    private static JsonNode accessRights(JsonNode value) {
        if (!(value instanceof ObjectNode rights)) {
            return nullable(value);
        }
        ObjectNode out = NODES.objectNode();
        new TreeMap<>(toMap(rights))
                .forEach(
                        (apiId, definition) ->
                                out.set(
                                        apiId,
                                        definition.isObject() || definition.isNull()
                                                ? accessDefinitionWithDefaults(definition)
                                                : definition.deepCopy()));
        return out;
    }

    /** Go sorts map keys at every depth when it writes a {@code map[string]interface{}}. */
    private static JsonNode sortedMap(JsonNode value) {
        return present(value) ? sortedCopy(value) : NullNode.getInstance();
    }

    private static JsonNode sortedCopy(JsonNode value) {
        if (value instanceof ObjectNode object) {
            ObjectNode out = NODES.objectNode();
            new TreeMap<>(toMap(object)).forEach((k, v) -> out.set(k, sortedCopy(v)));
            return out;
        }
        if (value instanceof ArrayNode array) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(item -> items.add(sortedCopy(item)));
            return NODES.arrayNode().addAll(items);
        }
        return value.deepCopy();
    }

    private static Map<String, JsonNode> toMap(ObjectNode object) {
        Map<String, JsonNode> map = new TreeMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }
}

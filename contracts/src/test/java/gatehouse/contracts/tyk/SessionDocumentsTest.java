package gatehouse.contracts.tyk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionDocumentsTest {

    /** What Go's encoder writes for an empty v5.8 {@code SessionState}. */
    private static final String EMPTY_SESSION =
            "{\"last_check\":0,\"allowance\":0,\"rate\":0,\"per\":0,"
                    + "\"throttle_interval\":0,\"throttle_retry_limit\":0,\"max_query_depth\":0,"
                    + "\"date_created\":\"0001-01-01T00:00:00Z\",\"expires\":0,\"quota_max\":0,\"quota_renews\":0,"
                    + "\"quota_remaining\":0,\"quota_renewal_rate\":0,\"access_rights\":null,\"org_id\":\"\","
                    + "\"oauth_client_id\":\"\",\"oauth_keys\":null,\"certificate\":\"\","
                    + "\"basic_auth_data\":{\"password\":\"\",\"hash_type\":\"\"},\"jwt_data\":{\"secret\":\"\"},"
                    + "\"hmac_enabled\":false,\"enable_http_signature_validation\":false,\"hmac_string\":\"\","
                    + "\"rsa_certificate_id\":\"\",\"is_inactive\":false,\"apply_policy_id\":\"\",\"apply_policies\":null,"
                    + "\"data_expires\":0,\"monitor\":{\"trigger_limits\":null},\"enable_detail_recording\":false,"
                    + "\"enable_detailed_recording\":false,\"meta_data\":null,\"tags\":null,\"alias\":\"\","
                    + "\"last_updated\":\"\",\"id_extractor_deadline\":0,\"session_lifetime\":0,\"smoothing\":null}";

    /** What Go's encoder writes for an empty v5.8 {@code AccessDefinition}. */
    private static final String EMPTY_ACCESS =
            "{\"api_name\":\"\",\"api_id\":\"\",\"versions\":null,"
                    + "\"allowed_urls\":null,\"restricted_types\":null,\"allowed_types\":null,"
                    + "\"limit\":{\"rate\":0,\"per\":0,\"throttle_interval\":0,\"throttle_retry_limit\":0,"
                    + "\"max_query_depth\":0,\"quota_max\":0,\"quota_renews\":0,\"quota_remaining\":0,\"quota_renewal_rate\":0},"
                    + "\"field_access_rights\":null,\"disable_introspection\":false,\"allowance_scope\":\"\"}";

    private static ObjectNode parse(String json) throws JsonProcessingException {
        return (ObjectNode) TykJson.MAPPER.readTree(json);
    }

    private static String write(Object node) throws JsonProcessingException {
        return TykJson.MAPPER.writeValueAsString(node);
    }

    @Test
    void anEmptySessionGetsEveryV58FieldWithGosZeroValueInGosOrder() throws Exception {
        assertEquals(EMPTY_SESSION, write(SessionDocuments.withDefaults(parse("{}"))));
    }

    @Test
    void fieldListsNameEveryField() {
        assertEquals(38, SessionDocuments.SESSION_FIELDS.size());
        assertEquals("last_check", SessionDocuments.SESSION_FIELDS.get(0));
        assertTrue(
                SessionDocuments.SESSION_FIELDS.containsAll(
                        List.of("expires", "date_created", "access_rights", "smoothing")));
        assertTrue(
                SessionDocuments.ACCESS_DEFINITION_FIELDS.containsAll(
                        List.of("limit", "allowed_urls", "versions", "endpoints")));
    }

    @Test
    void anEmptyAccessRightGetsEveryFieldAndAFullLimit() throws Exception {
        ObjectNode out = SessionDocuments.withDefaults(parse("{\"access_rights\":{\"a1\":{}}}"));
        assertEquals(EMPTY_ACCESS, write(out.get("access_rights").get("a1")));
        assertEquals(EMPTY_ACCESS, write(SessionDocuments.accessDefinitionWithDefaults(null)));
    }

    @Test
    void sentValuesAreKeptAndNullStructsBecomeZeroStructs() throws Exception {
        ObjectNode out =
                SessionDocuments.withDefaults(
                        parse(
                                """
                {"rate":5,"per":0.5,"expires":1700000000,"org_id":"o1","tags":[],"apply_policies":["p"],
                 "date_created":"2024-01-02T03:04:05Z","basic_auth_data":null,"quota_max":null,
                 "meta_data":{"b":1,"a":{"y":1,"x":2}},"smoothing":{"enabled":true}}"""));
        assertEquals(5, out.get("rate").asInt());
        assertEquals(0.5, out.get("per").asDouble());
        assertEquals(1700000000L, out.get("expires").asLong());
        assertEquals("o1", out.get("org_id").asText());
        assertEquals("[]", write(out.get("tags")), "an empty list stays an empty list, not null");
        assertEquals("[\"p\"]", write(out.get("apply_policies")));
        assertEquals("2024-01-02T03:04:05Z", out.get("date_created").asText());
        assertEquals("{\"password\":\"\",\"hash_type\":\"\"}", write(out.get("basic_auth_data")));
        assertEquals(0, out.get("quota_max").asLong());
        assertEquals(
                "{\"a\":{\"x\":2,\"y\":1},\"b\":1}",
                write(out.get("meta_data")),
                "map keys sorted at every depth");
        assertEquals("{\"enabled\":true}", write(out.get("smoothing")));
    }

    @Test
    void wholeFloatsAreWrittenAsGoWritesThem() throws Exception {
        ObjectNode out =
                SessionDocuments.withDefaults(
                        parse(
                                "{\"rate\":3.0,\"per\":60.0,\"quota_max\":10.0,\"access_rights\":{\"a\":{\"limit\":{\"rate\":2.0,\"per\":1.5}}}}"));
        assertEquals("3", write(out.get("rate")));
        assertEquals("60", write(out.get("per")));
        assertEquals("10", write(out.get("quota_max")));
        assertEquals("2", write(out.get("access_rights").get("a").get("limit").get("rate")));
        assertEquals("1.5", write(out.get("access_rights").get("a").get("limit").get("per")));
    }

    @Test
    void unknownFieldsAreKeptAfterTheKnownOnes() throws Exception {
        ObjectNode out =
                SessionDocuments.withDefaults(
                        parse(
                                "{\"custom\":{\"x\":1},\"post_expiry_action\":\"delete\",\"access_rights\":{\"a\":{\"extra\":true,\"limit\":{\"more\":1}}}}"));
        assertEquals("{\"x\":1}", write(out.get("custom")));
        assertEquals("delete", out.get("post_expiry_action").asText());
        assertTrue(out.get("access_rights").get("a").get("extra").asBoolean());
        assertEquals(1, out.get("access_rights").get("a").get("limit").get("more").asInt());
        List<String> names = new java.util.ArrayList<>();
        out.fieldNames().forEachRemaining(names::add);
        assertEquals(
                SessionDocuments.SESSION_FIELDS,
                names.subList(0, SessionDocuments.SESSION_FIELDS.size()));
    }

    @Test
    void accessRightsAreSortedByApiIdAndEachEntryIsCompleted() throws Exception {
        ObjectNode out =
                SessionDocuments.withDefaults(
                        parse(
                                """
                {"access_rights":{"z":{"api_id":"z","versions":["Default"],
                   "allowed_urls":[{"url":"/x"}],"limit":{"quota_max":-1}},"a":null}}"""));
        assertEquals(List.of("a", "z"), iterate(out.get("access_rights")));
        ObjectNode z = (ObjectNode) out.get("access_rights").get("z");
        assertEquals("z", z.get("api_id").asText());
        assertEquals("", z.get("api_name").asText());
        assertEquals("[\"Default\"]", write(z.get("versions")));
        assertEquals("[{\"url\":\"/x\",\"methods\":null}]", write(z.get("allowed_urls")));
        assertEquals(-1, z.get("limit").get("quota_max").asLong());
        assertEquals(0, z.get("limit").get("quota_renewal_rate").asLong());
        assertEquals(
                EMPTY_ACCESS,
                write(out.get("access_rights").get("a")),
                "a null entry is an empty definition");
    }

    @Test
    void emptyEndpointsAndNullLimitSmoothingAreLeftOutAsGoOmitsThem() throws Exception {
        ObjectNode right =
                SessionDocuments.accessDefinitionWithDefaults(
                        parse("{\"endpoints\":[],\"limit\":{\"smoothing\":null}}"));
        assertFalse(right.has("endpoints"));
        assertFalse(right.get("limit").has("smoothing"));
        ObjectNode withEndpoints =
                SessionDocuments.accessDefinitionWithDefaults(
                        parse(
                                "{\"endpoints\":[{\"path\":\"/get\",\"methods\":[{\"name\":\"GET\",\"limit\":{\"rate\":-1}}]}]}"));
        assertEquals(
                "[{\"path\":\"/get\",\"methods\":[{\"name\":\"GET\",\"limit\":{\"rate\":-1,\"per\":0}}]}]",
                write(withEndpoints.get("endpoints")));
    }

    @Test
    void theInputIsNotModified() throws Exception {
        ObjectNode in = parse("{\"rate\":1.0,\"access_rights\":{\"a\":{}}}");
        String before = write(in);
        ObjectNode out = SessionDocuments.withDefaults(in);
        ((ObjectNode) out.get("access_rights").get("a")).put("api_id", "changed");
        assertEquals(before, write(in));
    }

    @Test
    void numbersAreWrittenWithoutAFractionWhenWhole() throws Exception {
        assertEquals("3", write(SessionDocuments.number(3.0)));
        assertEquals("-1", write(SessionDocuments.number(-1)));
        assertEquals("0.25", write(SessionDocuments.number(0.25)));
    }

    private static List<String> iterate(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

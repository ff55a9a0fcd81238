package gatehouse.contracts.tyk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyApplierTest {

    /**
     * Test documents are written loosely (unquoted names, single quotes) to keep the rows short.
     */
    private static final ObjectMapper LOOSE =
            JsonMapper.builder()
                    .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
                    .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
                    .build();

    private static final String GET_AND_POST_ENDPOINTS =
            "[{path:'/get',methods:[{name:'GET',limit:{rate:-1}}]},{path:'/post',methods:[{name:'POST',limit:{rate:300,per:10}}]}]";

    /**
     * The policy store of Tyk's {@code internal/policy/apply_test.go} scenarios (its {@code
     * testdata/policies.json}), by lookup name; a policy's own {@code id} may differ or be missing,
     * as there.
     */
    private static final Map<String, String> TYK_POLICIES = new HashMap<>();

    static {
        store("acl-for-a-b", "{access_rights:{a:{},b:{}},partitions:{acl:true}}");
        store("acl1", "{access_rights:{a:{}},partitions:{acl:true}}");
        store("acl2", "{access_rights:{b:{}},partitions:{acl:true}}");
        store(
                "allowed-types1",
                "{id:'allowed_types_1',access_rights:{a:{"
                        + "allowed_types:[{name:'Country',fields:['code','name']},{name:'Person',fields:['name','height']}],"
                        + "restricted_types:[{name:'Dog',fields:['name','breed','country']},{name:'Cat',fields:['name','country']}]}}}");
        store(
                "allowed-types2",
                "{id:'allowed_types_2',access_rights:{a:{"
                        + "allowed_types:[{name:'Country',fields:['code','phone']},{name:'Person',fields:['name','mass']}],"
                        + "restricted_types:[{name:'Dog',fields:['name','breed']},{name:'Cat',fields:['name']}]}}}");
        store(
                "complexity1",
                "{max_query_depth:2,access_rights:{a:{}},partitions:{acl:true,complexity:true}}");
        store(
                "complexity2",
                "{max_query_depth:3,access_rights:{a:{}},partitions:{acl:true,complexity:true}}");
        store("difforg", "{org_id:'different'}");
        store(
                "field-level-depth-limit1",
                "{id:'field-level-depth-limit1',access_rights:{'graphql-api':{limit:{},"
                        + "field_access_rights:[{type_name:'Query',field_name:'people',limits:{max_query_depth:4}},"
                        + "{type_name:'Mutation',field_name:'putPerson',limits:{max_query_depth:3}},"
                        + "{type_name:'Query',field_name:'countries',limits:{max_query_depth:3}}]}}}");
        store(
                "field-level-depth-limit2",
                "{id:'field-level-depth-limit2',access_rights:{'graphql-api':{limit:{},"
                        + "field_access_rights:[{type_name:'Query',field_name:'people',limits:{max_query_depth:2}},"
                        + "{type_name:'Mutation',field_name:'putPerson',limits:{max_query_depth:-1}},"
                        + "{type_name:'Query',field_name:'continents',limits:{max_query_depth:4}}]}}}");
        store(
                "inactive1",
                "{access_rights:{a:{}},is_inactive:true,partitions:{acl:true,rate_limit:true}}");
        store(
                "inactive2",
                "{access_rights:{a:{}},is_inactive:true,partitions:{acl:true,quota:true}}");
        store(
                "introspection-disabled",
                "{id:'introspection_disabled',access_rights:{a:{limit:{},disable_introspection:true}}}");
        store("introspection-enabled", "{id:'introspection_enabled',access_rights:{a:{}}}");
        store("nonpart1", "{id:'p1',access_rights:{a:{}}}");
        store("nonpart2", "{id:'p2',access_rights:{b:{}}}");
        store("nonpart3", "{id:'p3',access_rights:{a:{},b:{}}}");
        store(
                "per-path1",
                "{id:'per_path_1',access_rights:{a:{allowed_urls:[{url:'/user',methods:['GET','POST']}]},"
                        + "b:{allowed_urls:[{url:'/',methods:['PUT']}]}}}");
        store(
                "per-path2",
                "{id:'per_path_2',access_rights:{a:{allowed_urls:[{url:'/user',methods:['GET']},"
                        + "{url:'/companies',methods:['GET','POST']}]}}}");
        store(
                "per_api_and_no_other_partitions",
                "{id:'per_api_and_no_other_partitions',access_rights:{"
                        + "c:{limit:{rate:2000,per:60,quota_max:-1}},"
                        + "d:{limit:{rate:20,per:1,quota_max:1000,quota_renewal_rate:3600}}},partitions:{per_api:true}}");
        store(
                "per_api_and_partitions",
                "{id:'per_api_and_partitions',access_rights:{"
                        + "d:{limit:{rate:20,per:1,quota_max:1000,quota_renewal_rate:3600}}},"
                        + "partitions:{quota:true,rate_limit:true,acl:true,per_api:true}}");
        store(
                "per_api_and_some_partitions",
                "{id:'per_api_and_some_partitions',access_rights:{"
                        + "d:{limit:{rate:20,per:1,quota_max:1000,quota_renewal_rate:3600}}},partitions:{rate_limit:true,per_api:true}}");
        store(
                "per_api_with_limit_set_from_policy",
                "{id:'per_api_with_limit_set_from_policy',rate:300,per:1,quota_max:-1,"
                        + "access_rights:{d:{limit:{rate:200,per:10,quota_max:5000,quota_renewal_rate:3600}},e:{}},"
                        + "partitions:{per_api:true}}");
        store(
                "per_api_with_api_d",
                "{id:'per_api_with_api_d',access_rights:{"
                        + "d:{limit:{rate:200,per:10,quota_max:5000,quota_renewal_rate:3600}}},partitions:{per_api:true}}");
        store(
                "per_api_with_higher_rate_on_api_d",
                "{id:'per_api_with_higher_rate_on_api_d',access_rights:{"
                        + "d:{limit:{rate:400,per:25,quota_max:5000,quota_renewal_rate:3600}}},partitions:{per_api:true}}");
        store(
                "per_api_with_api_c",
                "{id:'per_api_with_api_c',access_rights:{"
                        + "c:{limit:{rate:3000,per:10,quota_max:6000,quota_renewal_rate:3600}}},partitions:{per_api:true}}");
        store("quota1", "{quota_max:2,access_rights:{a:{}},partitions:{acl:true,quota:true}}");
        store("quota2", "{quota_max:3,access_rights:{a:{}},partitions:{acl:true,quota:true}}");
        store("quota3", "{quota_max:3,access_rights:{a:{}},partitions:{acl:true,quota:true}}");
        store("quota4", "{quota_max:3,access_rights:{b:{}},partitions:{quota:true}}");
        store("quota5", "{quota_max:4,access_rights:{b:{}},partitions:{acl:true,quota:true}}");
        store("rate-for-a", "{rate:4,per:1,access_rights:{a:{}},partitions:{rate_limit:true}}");
        store(
                "rate-for-a-b",
                "{rate:4,per:1,access_rights:{a:{},b:{}},partitions:{rate_limit:true}}");
        store("rate-for-b", "{rate:2,per:1,access_rights:{b:{}},partitions:{rate_limit:true}}");
        store("rate-no-partition", "{rate:12,per:1,access_rights:{a:{}},partitions:{}}");
        store("rate1", "{rate:3,per:1,access_rights:{a:{}},partitions:{acl:true,rate_limit:true}}");
        store("rate2", "{rate:4,per:1,access_rights:{a:{}},partitions:{acl:true,rate_limit:true}}");
        store("rate3", "{rate:4,per:4,partitions:{acl:true,rate_limit:true}}");
        store("rate4", "{rate:8,per:1,access_rights:{a:{}},partitions:{acl:true,rate_limit:true}}");
        store(
                "rate5",
                "{rate:10,per:1,access_rights:{a:{}},partitions:{acl:true,rate_limit:true}}");
        store(
                "restricted-types1",
                "{id:'restricted_types_1',access_rights:{a:{restricted_types:["
                        + "{name:'Country',fields:['code','name']},{name:'Person',fields:['name','height']}]}}}");
        store(
                "restricted-types2",
                "{id:'restricted_types_2',access_rights:{a:{restricted_types:["
                        + "{name:'Country',fields:['code','phone']},{name:'Person',fields:['name','mass']}]}}}");
        store("tags1", "{access_rights:{a:{}},tags:['tagA'],partitions:{acl:true,quota:true}}");
        store(
                "tags2",
                "{access_rights:{a:{}},tags:['tagX','tagY'],partitions:{acl:true,rate_limit:true}}");
        store(
                "throttle1",
                "{id:'throttle1',throttle_interval:9,throttle_retry_limit:99,access_rights:{a:{}}}");
        store(
                "unlimited-quota",
                "{quota_max:-1,access_rights:{a:{}},partitions:{acl:true,quota:true}}");
        store(
                "unlimited-rate",
                "{rate:-1,access_rights:{a:{}},partitions:{acl:true,rate_limit:true}}");
        store(
                "unlimitedComplexity",
                "{max_query_depth:-1,access_rights:{a:{}},partitions:{acl:true,complexity:true}}");
        store(
                "per_api_with_endpoint_limits_on_d_and_e",
                "{id:'per_api_with_endpoint_limits_on_d_and_e',rate:500,per:1,"
                        + "quota_max:-1,access_rights:{d:{limit:{rate:100,per:10},endpoints:"
                        + GET_AND_POST_ENDPOINTS
                        + "},"
                        + "e:{endpoints:"
                        + GET_AND_POST_ENDPOINTS
                        + "}},partitions:{per_api:true}}");
        store(
                "per_endpoint_limits_different_on_api_d",
                "{id:'per_endpoint_limits_different_on_api_d',rate:500,per:1,"
                        + "quota_max:-1,access_rights:{d:{limit:{rate:100,per:10},endpoints:["
                        + "{path:'/get',methods:[{name:'GET',limit:{rate:-1}}]},"
                        + "{path:'/post',methods:[{name:'POST',limit:{rate:400,per:11}}]},"
                        + "{path:'/anything',methods:[{name:'PUT',limit:{rate:500,per:10}}]}]}},partitions:{per_api:true}}");
        store(
                "endpoint_rate_limits_on_acl_partition_only",
                "{id:'endpoint_rate_limits_on_rate_limit_partition_disabled',"
                        + "rate:500,per:1,quota_max:-1,access_rights:{d:{endpoints:[{path:'/get',methods:[{name:'GET',limit:{rate:-1}}]}]}},"
                        + "partitions:{acl:true}}");
        store(
                "endpoint_rate_limits_on_quota_partition_only",
                "{id:'endpoint_rate_limits_on_quota_partition_only',"
                        + "quota_max:1000,quota_renews:60,partitions:{quota:true}}");
        storeEndpointPolicy("api_d_get_endpoint_rl_1", "d", "/get", "GET", "{rate:10,per:60}");
        storeEndpointPolicy("api_d_get_endpoint_rl_2", "d", "/get", "GET", "{rate:20,per:60}");
        storeEndpointPolicy("api_d_get_endpoint_rl_3", "d", "/get", "GET", "{rate:-1}");
        storeEndpointPolicy("api_d_post_endpoint_rl_1", "d", "/post", "POST", "{rate:20,per:60}");
        storeEndpointPolicy("api_e_get_endpoint_rl_1", "e", "/get", "GET", "{rate:100,per:60}");
    }

    private static void store(String name, String json) {
        TYK_POLICIES.put(name, json);
    }

    /**
     * The "…_configure_on_non_partitioned_policy" family: one endpoint limit, all partitions but
     * per_api.
     */
    private static void storeEndpointPolicy(
            String prefix, String api, String path, String method, String limit) {
        String id = prefix + "_configure_on_non_partitioned_policy";
        store(
                id,
                "{id:'"
                        + id
                        + "',rate:500,per:1,quota_max:-1,access_rights:{"
                        + api
                        + ":{endpoints:[{path:'"
                        + path
                        + "',methods:[{name:'"
                        + method
                        + "',limit:"
                        + limit
                        + "}]}]}},"
                        + "partitions:{acl:true,rate_limit:true,quota:true}}");
    }

    private static ObjectNode json(String loose) {
        try {
            return (ObjectNode) LOOSE.readTree(loose);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(loose, e);
        }
    }

    private static Function<String, ObjectNode> tykStore() {
        return id -> TYK_POLICIES.containsKey(id) ? json(TYK_POLICIES.get(id)) : null;
    }

    /** A session listing the policies, on top of the given session document (or an empty one). */
    private static ObjectNode sessionWith(String session, List<String> policies) {
        ObjectNode s = json(session == null ? "{}" : session);
        policies.forEach(s.withArray("apply_policies")::add);
        return s;
    }

    /** Compares numbers by value, so 3 and 3.0 and an int or a long node all match. */
    private static void assertJson(JsonNode expected, JsonNode actual) {
        boolean same =
                expected.equals(
                        (a, b) ->
                                a.isNumber() && b.isNumber()
                                        ? Double.compare(a.asDouble(), b.asDouble())
                                        : a.equals(b) ? 0 : 1,
                        actual);
        assertTrue(same, () -> "expected " + expected + "\n but was " + actual);
    }

    /** Asserts the whole access_rights map; expected entries list only their non-zero fields. */
    private static Consumer<ObjectNode> rights(String expected) {
        return session -> {
            ObjectNode want = JsonMapper.builder().build().createObjectNode();
            json(expected)
                    .properties()
                    .forEach(
                            e ->
                                    want.set(
                                            e.getKey(),
                                            SessionDocuments.accessDefinitionWithDefaults(
                                                    e.getValue())));
            assertJson(want, session.get("access_rights"));
        };
    }

    private static Consumer<ObjectNode> number(String field, double expected) {
        return session -> assertEquals(expected, session.get(field).asDouble(), field);
    }

    private static Consumer<ObjectNode> endpoints(String api, String expected) {
        return session -> {
            JsonNode want =
                    SessionDocuments.accessDefinitionWithDefaults(
                                    json("{endpoints:" + expected + "}"))
                            .get("endpoints");
            assertJson(want, session.get("access_rights").get(api).get("endpoints"));
        };
    }

    private record Row(
            List<String> policies,
            String session,
            String error,
            List<Consumer<ObjectNode>> checks) {}

    @SafeVarargs
    private static Arguments ok(
            String name, List<String> policies, Consumer<ObjectNode>... checks) {
        return Arguments.of(Named.of(name, new Row(policies, null, null, List.of(checks))));
    }

    @SafeVarargs
    private static Arguments okWith(
            String name, List<String> policies, String session, Consumer<ObjectNode>... checks) {
        return Arguments.of(Named.of(name, new Row(policies, session, null, List.of(checks))));
    }

    private static Arguments fails(String name, List<String> policies, String error) {
        return Arguments.of(Named.of(name, new Row(policies, null, error, List.of())));
    }

    /** The row in the listed and in the reversed policy order, as Tyk's {@code reverseOrder}. */
    @SafeVarargs
    private static Stream<Arguments> bothOrders(
            String name, List<String> policies, Consumer<ObjectNode>... checks) {
        List<String> reversed = new ArrayList<>(policies);
        java.util.Collections.reverse(reversed);
        return Stream.of(ok(name, policies, checks), ok(name + ", reversed", reversed, checks));
    }

    /**
     * The scenarios of Tyk's {@code TestService_Apply}, with the same policies, sessions and
     * expectations.
     */
    static Stream<Arguments> tykScenarios() {
        String perApiCd = "c:{limit:{rate:2000,per:60,quota_max:-1},allowance_scope:'c'},";
        String perApiD =
                "d:{limit:{rate:200,per:10,quota_max:5000,quota_renewal_rate:3600},allowance_scope:'d'}";
        String perApiE =
                "e:{limit:{quota_max:-1,rate:300,per:1},allowance_scope:'per_api_with_limit_set_from_policy'},";
        return Stream.of(
                        Stream.of(
                                ok("Empty", List.of()),
                                ok("Single", List.of("nonpart1")),
                                fails("Missing", List.of("nonexistent"), "not found"),
                                fails("DiffOrg", List.of("difforg"), "different org"),
                                ok(
                                        "MultiNonPart",
                                        List.of("nonpart1", "nonpart2", "nonexistent"),
                                        rights(
                                                "{a:{allowance_scope:'p1'},b:{allowance_scope:'p2'}}")),
                                ok("MultiACLPolicy", List.of("nonpart3"), rights("{a:{},b:{}}")),
                                ok(
                                        "QuotaPart with unlimited",
                                        List.of("unlimited-quota"),
                                        number("quota_max", -1)),
                                ok("QuotaPart", List.of("quota1"), number("quota_max", 2)),
                                ok(
                                        "QuotaParts",
                                        List.of("quota1", "quota2"),
                                        number("quota_max", 3)),
                                ok(
                                        "QuotaParts with acl",
                                        List.of("quota5", "quota4"),
                                        number("quota_max", 4)),
                                ok(
                                        "QuotaPart with access rights",
                                        List.of("quota3"),
                                        number("quota_max", 3)),
                                ok(
                                        "QuotaPart with access rights in multi-policy",
                                        List.of("quota4", "nonpart1"),
                                        number("quota_max", 3),
                                        rights("{a:{}}")),
                                ok(
                                        "RatePart with unlimited",
                                        List.of("unlimited-rate"),
                                        s -> assertTrue(s.get("rate").asDouble() <= 0)),
                                ok("RatePart", List.of("rate1"), number("rate", 3)),
                                ok("RateParts", List.of("rate1", "rate2"), number("rate", 4)),
                                ok(
                                        "RateParts with acl",
                                        List.of("rate5", "rate4"),
                                        number("rate", 10)),
                                okWith(
                                        "RateParts with acl respected by session",
                                        List.of("rate4", "rate5"),
                                        "{rate:20}",
                                        number("rate", 10)),
                                okWith(
                                        "Rate with no partition respected by session",
                                        List.of("rate-no-partition"),
                                        "{rate:20}",
                                        number("rate", 12)),
                                ok(
                                        "ComplexityPart with unlimited",
                                        List.of("unlimitedComplexity"),
                                        number("max_query_depth", -1)),
                                ok(
                                        "ComplexityPart",
                                        List.of("complexity1"),
                                        number("max_query_depth", 2)),
                                ok(
                                        "ComplexityParts",
                                        List.of("complexity1", "complexity2"),
                                        number("max_query_depth", 3)),
                                ok("AclPart", List.of("acl1"), rights("{a:{}}")),
                                ok("AclParts", List.of("acl1", "acl2"), rights("{a:{},b:{}}")),
                                ok(
                                        "Acl for a and rate for a,b",
                                        List.of("acl1", "rate-for-a-b"),
                                        rights("{a:{limit:{rate:4,per:1}}}")),
                                ok(
                                        "Acl for a,b and individual rate for a,b",
                                        List.of("acl-for-a-b", "rate-for-a", "rate-for-b"),
                                        rights(
                                                "{a:{limit:{rate:4,per:1}},b:{limit:{rate:2,per:1}}}")),
                                okWith(
                                        "RightsUpdate",
                                        List.of("acl-for-a-b"),
                                        "{access_rights:{c:{}}}",
                                        rights("{a:{},b:{}}")),
                                okWith(
                                        "InactiveNoPolicies",
                                        List.of(),
                                        "{is_inactive:true}",
                                        s -> assertTrue(s.get("is_inactive").asBoolean())),
                                ok(
                                        "InactiveMergeOne",
                                        List.of("tags1", "inactive1"),
                                        s -> assertTrue(s.get("is_inactive").asBoolean())),
                                ok(
                                        "InactiveMergeAll",
                                        List.of("inactive1", "inactive2"),
                                        s -> assertTrue(s.get("is_inactive").asBoolean())),
                                okWith(
                                        "InactiveWithSession",
                                        List.of("tags1", "tags2"),
                                        "{is_inactive:true}",
                                        s -> assertFalse(s.get("is_inactive").asBoolean())),
                                fails(
                                        "Per API is set with other partitions to true",
                                        List.of("per_api_and_partitions"),
                                        "cannot apply policy per_api_and_partitions which has per_api and any of partitions set"),
                                fails(
                                        "Per API is set to true with some partitions set to true",
                                        List.of("per_api_and_some_partitions"),
                                        "cannot apply policy per_api_and_some_partitions which has per_api and any of partitions set"),
                                ok(
                                        "Per API is set to true with no other partitions set to true",
                                        List.of("per_api_and_no_other_partitions"),
                                        rights(
                                                "{"
                                                        + perApiCd
                                                        + "d:{limit:{rate:20,per:1,quota_max:1000,quota_renewal_rate:3600},"
                                                        + "allowance_scope:'d'}}")),
                                ok(
                                        "several policies with Per API set to true specifying limit for the same API",
                                        List.of(
                                                "per_api_and_no_other_partitions",
                                                "per_api_with_api_d"),
                                        rights("{" + perApiCd + perApiD + "}")),
                                ok(
                                        "several policies with Per API set to true specifying limit for the same APIs",
                                        List.of(
                                                "per_api_and_no_other_partitions",
                                                "per_api_with_api_d",
                                                "per_api_with_api_c"),
                                        rights(
                                                "{c:{limit:{rate:3000,per:10,quota_max:-1},allowance_scope:'c'},"
                                                        + perApiD
                                                        + "}")),
                                fails(
                                        "several policies, mixed the one which has Per API set to true and partitioned ones",
                                        List.of("per_api_with_api_d", "quota1"),
                                        PolicyApplier.MIXED_PER_API_AND_PARTITIONS),
                                fails(
                                        "several policies, mixed the one which has Per API set to true and partitioned ones (different order)",
                                        List.of("rate1", "per_api_with_api_d"),
                                        PolicyApplier.MIXED_PER_API_AND_PARTITIONS),
                                ok(
                                        "Per API is set to true and some API gets limit set from policy's fields",
                                        List.of("per_api_with_limit_set_from_policy"),
                                        rights("{" + perApiE + perApiD + "}")),
                                ok(
                                        "Per API with limits override",
                                        List.of(
                                                "per_api_with_limit_set_from_policy",
                                                "per_api_with_api_d",
                                                "per_api_with_higher_rate_on_api_d"),
                                        rights("{" + perApiE + perApiD + "}")),
                                ok(
                                        "Merge per path rules for the same API",
                                        List.of("per-path2", "per-path1"),
                                        rights(
                                                "{a:{allowed_urls:[{url:'/user',methods:['GET','POST']},{url:'/companies',methods:['GET','POST']}]},"
                                                        + "b:{allowed_urls:[{url:'/',methods:['PUT']}]}}")),
                                ok(
                                        "Merge restricted fields for the same GraphQL API",
                                        List.of("restricted-types1", "restricted-types2"),
                                        rights(
                                                "{a:{restricted_types:[{name:'Country',fields:['code','name','phone']},"
                                                        + "{name:'Person',fields:['name','height','mass']}]}}")),
                                ok(
                                        "Merge allowed fields for the same GraphQL API",
                                        List.of("allowed-types1", "allowed-types2"),
                                        rights(
                                                "{a:{allowed_types:[{name:'Country',fields:['code','name','phone']},"
                                                        + "{name:'Person',fields:['name','height','mass']}],"
                                                        + "restricted_types:[{name:'Dog',fields:['name','breed','country']},"
                                                        + "{name:'Cat',fields:['name','country']}]}}")),
                                ok(
                                        "If GQL introspection is disabled, it remains disabled after merging",
                                        List.of("introspection-disabled", "introspection-enabled"),
                                        rights("{a:{disable_introspection:true}}")),
                                ok(
                                        "Merge field level depth limit for the same GraphQL API",
                                        List.of(
                                                "field-level-depth-limit1",
                                                "field-level-depth-limit2"),
                                        rights(
                                                "{'graphql-api':{field_access_rights:["
                                                        + "{type_name:'Query',field_name:'people',limits:{max_query_depth:4}},"
                                                        + "{type_name:'Mutation',field_name:'putPerson',limits:{max_query_depth:-1}},"
                                                        + "{type_name:'Query',field_name:'countries',limits:{max_query_depth:3}},"
                                                        + "{type_name:'Query',field_name:'continents',limits:{max_query_depth:4}}]}}")),
                                ok(
                                        "Throttle interval and retry limit from policy",
                                        List.of("throttle1"),
                                        number("throttle_interval", 9),
                                        number("throttle_retry_limit", 99)),
                                okWith(
                                        "TagMerge",
                                        List.of("tags1", "tags2"),
                                        "{tags:['key-tag']}",
                                        s -> {
                                            TreeSet<String> tags = new TreeSet<>();
                                            s.get("tags").forEach(t -> tags.add(t.asText()));
                                            assertEquals(
                                                    List.of("key-tag", "tagA", "tagX", "tagY"),
                                                    List.copyOf(tags));
                                            assertEquals(4, s.get("tags").size(), "deduplicated");
                                        }),
                                ok("NonpartAndPart", List.of("nonpart1", "quota1")),
                                ok(
                                        "inherit quota and rate from partitioned policies",
                                        List.of("quota1", "rate3"),
                                        number("quota_max", 2),
                                        number("rate", 4),
                                        number("per", 4)),
                                ok(
                                        "inherit quota and rate from partitioned policies applied in different order",
                                        List.of("rate3", "quota1"),
                                        number("quota_max", 2),
                                        number("rate", 4),
                                        number("per", 4)),
                                ok(
                                        "endpoint_rate_limits_on_acl_partition_only",
                                        List.of("endpoint_rate_limits_on_acl_partition_only"),
                                        s -> assertFalse(s.get("access_rights").isEmpty()),
                                        s ->
                                                assertFalse(
                                                        s.get("access_rights")
                                                                .get("d")
                                                                .has("endpoints")))),
                        Stream.of(
                                        bothOrders(
                                                "Per API and per endpoint policies",
                                                List.of(
                                                        "per_api_with_limit_set_from_policy",
                                                        "per_api_with_endpoint_limits_on_d_and_e"),
                                                rights(
                                                        "{e:{limit:{quota_max:-1,rate:500,per:1},allowance_scope:'per_api_with_endpoint_limits_on_d_and_e',"
                                                                + "endpoints:"
                                                                + GET_AND_POST_ENDPOINTS
                                                                + "},"
                                                                + "d:{limit:{quota_max:5000,quota_renewal_rate:3600,rate:200,per:10},allowance_scope:'d',"
                                                                + "endpoints:"
                                                                + GET_AND_POST_ENDPOINTS
                                                                + "}}")),
                                        bothOrders(
                                                "Endpoint level limits overlapping",
                                                List.of(
                                                        "per_api_with_limit_set_from_policy",
                                                        "per_api_with_endpoint_limits_on_d_and_e",
                                                        "per_endpoint_limits_different_on_api_d"),
                                                endpoints("e", GET_AND_POST_ENDPOINTS),
                                                endpoints(
                                                        "d",
                                                        "[{path:'/anything',methods:[{name:'PUT',limit:{rate:500,per:10}}]},"
                                                                + "{path:'/get',methods:[{name:'GET',limit:{rate:-1}}]},"
                                                                + "{path:'/post',methods:[{name:'POST',limit:{rate:400,per:11}}]}]"),
                                                s ->
                                                        assertJson(
                                                                SessionDocuments.limitWithDefaults(
                                                                        json(
                                                                                "{quota_max:-1,rate:500,per:1}")),
                                                                s.get("access_rights")
                                                                        .get("e")
                                                                        .get("limit")),
                                                s ->
                                                        assertJson(
                                                                SessionDocuments.limitWithDefaults(
                                                                        json(
                                                                                "{quota_max:5000,quota_renewal_rate:3600,rate:200,per:10}")),
                                                                s.get("access_rights")
                                                                        .get("d")
                                                                        .get("limit"))),
                                        bothOrders(
                                                "endpoint_rate_limits_when_acl_and_quota_partitions_combined",
                                                List.of(
                                                        "endpoint_rate_limits_on_acl_partition_only",
                                                        "endpoint_rate_limits_on_quota_partition_only"),
                                                s -> assertFalse(s.get("access_rights").isEmpty()),
                                                s ->
                                                        assertFalse(
                                                                s.get("access_rights")
                                                                        .get("d")
                                                                        .has("endpoints"))),
                                        bothOrders(
                                                "combine_non_partitioned_policies_with_endpoint_rate_limits_configured_on_api_d",
                                                List.of(
                                                        ep("api_d_get_endpoint_rl_1"),
                                                        ep("api_d_get_endpoint_rl_2")),
                                                endpoints(
                                                        "d",
                                                        "[{path:'/get',methods:[{name:'GET',limit:{rate:20,per:60}}]}]")),
                                        bothOrders(
                                                "combine_non_partitioned_policies_with_endpoint_rate_limits_no_bound_configured_on_api_d",
                                                List.of(
                                                        ep("api_d_get_endpoint_rl_1"),
                                                        ep("api_d_get_endpoint_rl_2"),
                                                        ep("api_d_get_endpoint_rl_3")),
                                                endpoints(
                                                        "d",
                                                        "[{path:'/get',methods:[{name:'GET',limit:{rate:-1}}]}]")),
                                        bothOrders(
                                                "combine_non_partitioned_policies_with_multiple_endpoint_rate_limits_configured_on_api_d",
                                                List.of(
                                                        ep("api_d_get_endpoint_rl_1"),
                                                        ep("api_d_get_endpoint_rl_2"),
                                                        ep("api_d_get_endpoint_rl_3"),
                                                        ep("api_d_post_endpoint_rl_1")),
                                                endpoints(
                                                        "d",
                                                        "[{path:'/get',methods:[{name:'GET',limit:{rate:-1}}]},"
                                                                + "{path:'/post',methods:[{name:'POST',limit:{rate:20,per:60}}]}]")),
                                        bothOrders(
                                                "combine_non_partitioned_policies_with_endpoint_rate_limits_configured_on_api_d_and_e",
                                                List.of(
                                                        ep("api_d_get_endpoint_rl_1"),
                                                        ep("api_d_get_endpoint_rl_2"),
                                                        ep("api_d_get_endpoint_rl_3"),
                                                        ep("api_d_post_endpoint_rl_1"),
                                                        ep("api_e_get_endpoint_rl_1")),
                                                endpoints(
                                                        "d",
                                                        "[{path:'/get',methods:[{name:'GET',limit:{rate:-1}}]},"
                                                                + "{path:'/post',methods:[{name:'POST',limit:{rate:20,per:60}}]}]"),
                                                endpoints(
                                                        "e",
                                                        "[{path:'/get',methods:[{name:'GET',limit:{rate:100,per:60}}]}]")))
                                .flatMap(s -> s))
                .flatMap(s -> s);
    }

    private static String ep(String prefix) {
        return prefix + "_configure_on_non_partitioned_policy";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tykScenarios")
    void tykApplyScenarios(Row row) {
        ObjectNode session = sessionWith(row.session(), row.policies());
        ObjectNode out;
        try {
            // Tyk's scenarios run with an empty API org: policies without org_id pass, "different"
            // does not
            out = PolicyApplier.apply(session, tykStore(), "");
        } catch (PolicyApplier.PolicyException e) {
            if (row.error() == null) {
                fail("unexpected error: " + e.getMessage());
            }
            assertTrue(e.getMessage().contains(row.error()), e.getMessage());
            return;
        }
        if (row.error() != null) {
            fail("expected an error containing: " + row.error());
        }
        row.checks().forEach(check -> check.accept(out));
    }

    // ---- Tyk's ApplyEndpointLevelLimits cases (testdata/apply_endpoint_rl.json) ----

    static Stream<Arguments> endpointMerges() {
        String user10 = "[{path:'/user',methods:[{name:'GET',limit:{rate:10,per:60}}]}]";
        String user5 = "[{path:'/user',methods:[{name:'GET',limit:{rate:5,per:30}}]}]";
        String admin5 = "[{path:'/admin',methods:[{name:'POST',limit:{rate:5,per:30}}]}]";
        return Stream.of(
                Arguments.of("both empty", "[]", "[]", "[]"),
                Arguments.of("policy endpoints empty", "[]", user10, user10),
                Arguments.of("curr endpoints empty", user10, "[]", user10),
                Arguments.of(
                        "non overlapping endpoints",
                        user10,
                        admin5,
                        "[{path:'/admin',methods:[{name:'POST',limit:{rate:5,per:30}}]},"
                                + "{path:'/user',methods:[{name:'GET',limit:{rate:10,per:60}}]}]"),
                Arguments.of(
                        "overlapping endpoints with different limits #1", user10, user5, user10),
                Arguments.of(
                        "overlapping endpoints with different limits #2", user5, user10, user10),
                Arguments.of("overlapping endpoints with same limits", user10, user10, user10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpointMerges")
    void endpointLimitsMergeKeepingTheHigherRate(
            String name, String policy, String current, String expected) {
        JsonNode merged =
                PolicyApplier.mergeEndpoints(
                        json("{e:" + policy + "}").get("e"), json("{e:" + current + "}").get("e"));
        JsonNode normalised =
                SessionDocuments.accessDefinitionWithDefaults(
                                merged == null ? null : json("{}").set("endpoints", merged))
                        .get("endpoints");
        JsonNode want =
                SessionDocuments.accessDefinitionWithDefaults(json("{endpoints:" + expected + "}"))
                        .get("endpoints");
        if (want == null) {
            assertTrue(normalised == null, String.valueOf(normalised));
        } else {
            assertJson(want, normalised);
        }
    }

    // ---- COMPAT §4.3 step by step ----

    private static Function<String, ObjectNode> policies(String... idsAndDocs) {
        Map<String, ObjectNode> map = new HashMap<>();
        for (int i = 0; i < idsAndDocs.length; i += 2) {
            ObjectNode doc = json(idsAndDocs[i + 1]);
            doc.put("id", idsAndDocs[i]);
            map.put(idsAndDocs[i], doc);
        }
        return map::get;
    }

    @Test
    void step1ClearsOnlyThePartitionsAPolicyControls() {
        String session =
                "{rate:100,per:1,quota_max:1000,quota_remaining:500,max_query_depth:7,"
                        + "throttle_interval:3,throttle_retry_limit:4,apply_policies:['q','acl']}";
        ObjectNode out =
                PolicyApplier.apply(
                        json(session),
                        policies(
                                "q", "{quota_max:10,access_rights:{a:{}},partitions:{quota:true}}",
                                "acl", "{access_rights:{a:{}},partitions:{acl:true}}"),
                        null);
        assertEquals(
                10,
                out.get("quota_max").asLong(),
                "quota partition: cleared, then the policy's value");
        assertEquals(0, out.get("quota_remaining").asLong());
        assertEquals(100, out.get("rate").asDouble(), "rate is not controlled by these policies");
        assertEquals(7, out.get("max_query_depth").asLong());
        // a is ACL'd and quota'd, not rate-limited: its rate is inherited from the key (step 8)
        assertEquals(100, out.get("access_rights").get("a").get("limit").get("rate").asDouble());
        assertEquals(
                3,
                out.get("access_rights").get("a").get("limit").get("throttle_interval").asDouble());

        ObjectNode all =
                PolicyApplier.apply(
                        json(session.replace("'q','acl'", "'all'")),
                        policies("all", "{rate:5,per:1,access_rights:{a:{}}}"),
                        null);
        assertEquals(
                5, all.get("rate").asDouble(), "a lower policy rate still wins after the clear");
        assertEquals(0, all.get("quota_max").asLong());
        assertEquals(0, all.get("throttle_retry_limit").asLong());
        assertEquals(0, all.get("max_query_depth").asLong());
    }

    @Test
    void step2AMissingPolicyFailsAloneAndIsSkippedInAList() {
        var e =
                assertThrows(
                        PolicyApplier.PolicyException.class,
                        () ->
                                PolicyApplier.apply(
                                        json("{apply_policies:['nope']}"), policies(), null));
        assertEquals("policy not found: \"nope\"", e.getMessage());
        ObjectNode out =
                PolicyApplier.apply(
                        json("{apply_policies:['nope','p']}"),
                        policies("p", "{access_rights:{a:{}}}"),
                        null);
        assertTrue(out.get("access_rights").has("a"));
        assertEquals("\"a\\\"b\\\\c\\n\"", PolicyApplier.goQuote("a\"b\\c\n"));
    }

    @Test
    void step3PoliciesOfAnotherOrgAreRefusedInAnApiContextOnly() {
        Function<String, ObjectNode> store = policies("p", "{org_id:'org2',access_rights:{a:{}}}");
        var e =
                assertThrows(
                        PolicyApplier.PolicyException.class,
                        () -> PolicyApplier.apply(json("{apply_policies:['p']}"), store, "org1"));
        assertEquals(PolicyApplier.DIFFERENT_ORG, e.getMessage());
        assertEquals(
                "attempting to apply policy from different organisation to key, skipping",
                e.getMessage());
        assertTrue(
                PolicyApplier.apply(json("{apply_policies:['p']}"), store, "org2")
                        .get("access_rights")
                        .has("a"));
        assertTrue(
                PolicyApplier.apply(json("{apply_policies:['p']}"), store, null)
                        .get("access_rights")
                        .has("a"),
                "no org check on the control API");
    }

    @Test
    void step4MixingPerApiAndPartitionsFails() {
        Function<String, ObjectNode> store =
                policies(
                        "per",
                                "{access_rights:{a:{limit:{rate:1,per:1}}},partitions:{per_api:true}}",
                        "part", "{access_rights:{a:{}},partitions:{quota:true}}",
                        "plain", "{access_rights:{b:{}}}");
        for (String list : List.of("['per','part']", "['part','per']")) {
            var e =
                    assertThrows(
                            PolicyApplier.PolicyException.class,
                            () ->
                                    PolicyApplier.apply(
                                            json("{apply_policies:" + list + "}"), store, null));
            assertEquals(PolicyApplier.MIXED_PER_API_AND_PARTITIONS, e.getMessage());
        }
        // a policy without partitions mixes with per_api ones
        ObjectNode out = PolicyApplier.apply(json("{apply_policies:['plain','per']}"), store, null);
        assertTrue(out.get("access_rights").has("a"));
        assertTrue(out.get("access_rights").has("b"));
    }

    @Test
    void step5AclsAreUnitedAcrossPolicies() {
        ObjectNode out =
                PolicyApplier.apply(
                        json("{apply_policies:['p1','p2']}"),
                        policies(
                                "p1",
                                "{access_rights:{a:{api_id:'a',versions:['v1','Default'],allowed_urls:[{url:'/x',methods:['GET']}]}}}",
                                "p2",
                                "{access_rights:{a:{versions:['v2','v1'],allowed_urls:[{url:'/x',methods:['POST','GET']},"
                                        + "{url:'/y',methods:['PUT']}]}}}"),
                        null);
        JsonNode a = out.get("access_rights").get("a");
        assertJson(json("{v:['v1','Default','v2']}").get("v"), a.get("versions"));
        assertJson(
                json("{v:[{url:'/x',methods:['GET','POST']},{url:'/y',methods:['PUT']}]}").get("v"),
                a.get("allowed_urls"));
    }

    @Test
    void step5TheGreaterQuotaWinsWithMinusOneAsUnlimited() {
        Function<String, ObjectNode> store =
                policies(
                        "small", "{quota_max:100,quota_renewal_rate:60,access_rights:{a:{}}}",
                        "big", "{quota_max:1000,quota_renewal_rate:3600,access_rights:{a:{}}}",
                        "unlimited", "{quota_max:-1,access_rights:{a:{}}}");
        ObjectNode out = PolicyApplier.apply(json("{apply_policies:['small','big']}"), store, null);
        assertEquals(1000, out.get("quota_max").asLong());
        assertEquals(3600, out.get("quota_renewal_rate").asLong());
        assertEquals(
                1000, out.get("access_rights").get("a").get("limit").get("quota_max").asLong());
        ObjectNode unlimited =
                PolicyApplier.apply(
                        json("{apply_policies:['big','unlimited','small']}"), store, null);
        assertEquals(-1, unlimited.get("quota_max").asLong());
        assertEquals(
                -1, unlimited.get("access_rights").get("a").get("limit").get("quota_max").asLong());
    }

    @Test
    void step5TheRateAllowingMoreWinsAndThrottleTakesTheMaximum() {
        Function<String, ObjectNode> store =
                policies(
                        "slow",
                                "{rate:10,per:60,throttle_interval:2,throttle_retry_limit:5,access_rights:{a:{}}}",
                        "fast",
                                "{rate:5,per:1,throttle_interval:1,throttle_retry_limit:9,access_rights:{a:{}}}");
        for (String list : List.of("['slow','fast']", "['fast','slow']")) {
            ObjectNode out =
                    PolicyApplier.apply(json("{apply_policies:" + list + "}"), store, null);
            assertEquals(5, out.get("rate").asDouble(), list);
            assertEquals(1, out.get("per").asDouble(), list);
            assertEquals(2, out.get("throttle_interval").asDouble(), list);
            assertEquals(9, out.get("throttle_retry_limit").asLong(), list);
            assertJson(
                    SessionDocuments.limitWithDefaults(
                            json("{rate:5,per:1,throttle_interval:2,throttle_retry_limit:9}")),
                    out.get("access_rights").get("a").get("limit"));
        }
    }

    @Test
    void step5AMasterPolicySetsTheKeyWideValuesDirectly() {
        ObjectNode out =
                PolicyApplier.apply(
                        json("{rate:1000,per:1,apply_policies:['acl','master']}"),
                        policies(
                                "acl",
                                "{access_rights:{a:{}},partitions:{acl:true}}",
                                "master",
                                "{rate:7,per:2,quota_max:50,quota_renewal_rate:10,max_query_depth:3,throttle_interval:4,"
                                        + "partitions:{rate_limit:true,quota:true,complexity:true}}"),
                        null);
        assertEquals(7, out.get("rate").asDouble());
        assertEquals(2, out.get("per").asDouble());
        assertEquals(50, out.get("quota_max").asLong());
        assertEquals(3, out.get("max_query_depth").asLong());
        assertEquals(4, out.get("throttle_interval").asDouble());
        // the API granted by the ACL policy inherits the key-wide values
        assertJson(
                SessionDocuments.limitWithDefaults(
                        json(
                                "{rate:7,per:2,quota_max:50,quota_renewal_rate:10,"
                                        + "max_query_depth:3,throttle_interval:4}")),
                out.get("access_rights").get("a").get("limit"));
    }

    @Test
    void step5HmacAndSignatureValidationAreOred() {
        Function<String, ObjectNode> store =
                policies(
                        "h", "{hmac_enabled:true,access_rights:{a:{}}}",
                        "s", "{enable_http_signature_validation:true,access_rights:{a:{}}}",
                        "none", "{access_rights:{a:{}}}");
        ObjectNode out =
                PolicyApplier.apply(json("{apply_policies:['h','s','none']}"), store, null);
        assertTrue(out.get("hmac_enabled").asBoolean());
        assertTrue(out.get("enable_http_signature_validation").asBoolean());
        assertTrue(
                PolicyApplier.apply(
                                json("{hmac_enabled:true,apply_policies:['none']}"), store, null)
                        .get("hmac_enabled")
                        .asBoolean(),
                "the key's own flag stays on");
    }

    @Test
    void step5ExistingQuotaRenewsIsKept() {
        Function<String, ObjectNode> store =
                policies(
                        "p", "{quota_max:10,quota_renewal_rate:60,access_rights:{a:{}}}",
                        "per",
                                "{access_rights:{b:{limit:{quota_max:5,quota_renewal_rate:60}}},partitions:{per_api:true}}");
        ObjectNode out =
                PolicyApplier.apply(
                        json(
                                "{apply_policies:['p'],"
                                        + "access_rights:{a:{limit:{quota_max:10,quota_renews:1700000000}}}}"),
                        store,
                        null);
        assertEquals(
                1700000000L,
                out.get("access_rights").get("a").get("limit").get("quota_renews").asLong());
        ObjectNode perApi =
                PolicyApplier.apply(
                        json(
                                "{apply_policies:['per'],"
                                        + "access_rights:{b:{limit:{quota_max:5,quota_renews:1700000001}}}}"),
                        store,
                        null);
        assertEquals(
                1700000001L,
                perApi.get("access_rights").get("b").get("limit").get("quota_renews").asLong());
    }

    @Test
    void step6PerApiPoliciesBringEachApisOwnLimitAndScope() {
        ObjectNode out =
                PolicyApplier.apply(
                        json("{apply_policies:['per']}"),
                        policies(
                                "per",
                                "{rate:9,per:3,quota_max:20,access_rights:{a:{api_id:'a',api_name:'A',versions:['Default'],"
                                        + "limit:{rate:1,per:1}},b:{api_id:'b'}},partitions:{per_api:true}}"),
                        null);
        JsonNode a = out.get("access_rights").get("a");
        assertEquals("a", a.get("allowance_scope").asText());
        assertEquals(
                "A", a.get("api_name").asText(), "the policy's access definition is taken whole");
        assertEquals(1, a.get("limit").get("rate").asDouble());
        JsonNode b = out.get("access_rights").get("b");
        assertEquals(
                "per",
                b.get("allowance_scope").asText(),
                "the policy-level limit is counted per policy");
        assertJson(
                SessionDocuments.limitWithDefaults(json("{rate:9,per:3,quota_max:20}")),
                b.get("limit"));
    }

    @Test
    void step7TagsMetaDataLastUpdatedAndPostExpiry() {
        ObjectNode out =
                PolicyApplier.apply(
                        json(
                                "{tags:['k','t1'],meta_data:{keep:1,over:'key'},last_updated:'200',"
                                        + "apply_policies:['p1','p2']}"),
                        policies(
                                "p1",
                                "{tags:['t1','t2'],meta_data:{over:'p1',x:true},last_updated:'300',post_expiry_action:'delete',"
                                        + "access_rights:{a:{}}}",
                                "p2",
                                "{tags:['t3'],meta_data:{over:'p2'},last_updated:'100',post_expiry_grace_period:60,access_rights:{a:{}}}"),
                        null);
        assertJson(json("{t:['k','t1','t2','t3']}").get("t"), out.get("tags"));
        assertJson(json("{keep:1,over:'p2',x:true}"), out.get("meta_data"));
        assertEquals("300", out.get("last_updated").asText());
        assertEquals("delete", out.get("post_expiry_action").asText());
        assertEquals(60, out.get("post_expiry_grace_period").asLong());
    }

    @Test
    void step7WithoutPoliciesTagsBecomeAListAndMetaDataAMap() throws Exception {
        ObjectNode out = PolicyApplier.apply(json("{}"), policies(), null);
        assertEquals("[]", TykJson.MAPPER.writeValueAsString(out.get("tags")));
        assertEquals("{}", TykJson.MAPPER.writeValueAsString(out.get("meta_data")));
        assertTrue(out.get("access_rights").isNull());
    }

    @Test
    void step8ApisWithOnlyANonAclPartitionAreDropped() {
        ObjectNode out =
                PolicyApplier.apply(
                        json("{apply_policies:['acl','quota']}"),
                        policies(
                                "acl", "{access_rights:{a:{}},partitions:{acl:true}}",
                                "quota",
                                        "{quota_max:5,access_rights:{a:{},b:{}},partitions:{quota:true}}"),
                        null);
        assertEquals(List.of("a"), names(out.get("access_rights")));
        assertEquals(5, out.get("access_rights").get("a").get("limit").get("quota_max").asLong());
    }

    @Test
    void step9EachApiCountsAgainstThePolicyThatGrantedItWhenSeveralDid() {
        ObjectNode out =
                PolicyApplier.apply(
                        json("{apply_policies:['p1','p2']}"),
                        policies(
                                "p1", "{quota_max:10,access_rights:{a:{}}}",
                                "p2", "{quota_max:20,access_rights:{b:{}}}"),
                        null);
        assertEquals("p1", out.get("access_rights").get("a").get("allowance_scope").asText());
        assertEquals("p2", out.get("access_rights").get("b").get("allowance_scope").asText());
        ObjectNode single =
                PolicyApplier.apply(
                        json("{apply_policies:['p1']}"),
                        policies("p1", "{quota_max:10,access_rights:{a:{},b:{}}}"),
                        null);
        assertEquals("", single.get("access_rights").get("a").get("allowance_scope").asText());
    }

    @Test
    void step10ASingleApisLimitIsMirroredToTheKey() {
        ObjectNode out =
                PolicyApplier.apply(
                        json(
                                "{apply_policies:['p'],access_rights:{a:{limit:{quota_renews:42,quota_max:1}}}}"),
                        policies(
                                "p",
                                "{rate:3,per:1,quota_max:30,quota_renewal_rate:60,max_query_depth:2,access_rights:{a:{}}}"),
                        null);
        assertEquals(3, out.get("rate").asDouble());
        assertEquals(30, out.get("quota_max").asLong());
        assertEquals(60, out.get("quota_renewal_rate").asLong());
        assertEquals(
                42,
                out.get("quota_renews").asLong(),
                "the API's running quota period, kept from the key");
        assertEquals(2, out.get("max_query_depth").asLong());
    }

    @Test
    void step11RightsAreReplacedAndNoRightsIsAnError() {
        ObjectNode out =
                PolicyApplier.apply(
                        json("{apply_policies:['p'],access_rights:{old:{api_id:'old'}}}"),
                        policies("p", "{access_rights:{new:{}}}"),
                        null);
        assertEquals(List.of("new"), names(out.get("access_rights")));
        var e =
                assertThrows(
                        PolicyApplier.PolicyException.class,
                        () ->
                                PolicyApplier.apply(
                                        json("{apply_policies:['master']}"),
                                        policies("master", "{rate:1,per:1}"),
                                        null));
        assertEquals("key has no valid policies to be applied", e.getMessage());
    }

    @Test
    void step12WithoutPoliciesApisWithTheirOwnLimitGetTheirOwnScope() {
        ObjectNode out =
                PolicyApplier.apply(
                        json("{access_rights:{a:{limit:{rate:1,per:1}},b:{}}}"), policies(), null);
        assertEquals("a", out.get("access_rights").get("a").get("allowance_scope").asText());
        assertEquals("", out.get("access_rights").get("b").get("allowance_scope").asText());
    }

    // ---- the test facts of COMPAT §4.3
    // (TestDeletionOfPoliciesThatFromAKeyDoesNotMakeTheAPIKeyless) ----

    @Test
    void deletingPoliciesRemovesTheirApisAndNeverMakesTheKeyKeyless() {
        Map<String, ObjectNode> store = new HashMap<>();
        store.put(
                "pol1",
                json("{id:'pol1',access_rights:{api1:{api_id:'api1',versions:['Default']}}}"));
        store.put(
                "pol2",
                json("{id:'pol2',access_rights:{api2:{api_id:'api2',versions:['Default']}}}"));
        ObjectNode key = json("{apply_policies:['pol1','pol2']}");

        ObjectNode both = PolicyApplier.apply(key, store::get, null);
        assertEquals(List.of("api1", "api2"), names(both.get("access_rights")));

        store.remove("pol2");
        ObjectNode one = PolicyApplier.apply(both, store::get, null);
        assertEquals(List.of("api1"), names(one.get("access_rights")), "API2 is no longer granted");

        store.remove("pol1");
        var e =
                assertThrows(
                        PolicyApplier.PolicyException.class,
                        () -> PolicyApplier.apply(one, store::get, null));
        assertEquals(
                PolicyApplier.NO_VALID_POLICIES,
                e.getMessage(),
                "an empty result must not turn into a master key");
    }

    // ---- other behaviour ----

    @Test
    void inactivePoliciesDecideAndActiveFalseIsIgnoredAsInTyk() {
        ObjectNode out =
                PolicyApplier.apply(
                        json("{is_inactive:true,apply_policies:['p']}"),
                        policies("p", "{active:false,access_rights:{a:{}}}"),
                        null);
        assertFalse(
                out.get("is_inactive").asBoolean(),
                "the key's own flag is replaced by the policies' is_inactive");
        assertTrue(
                out.get("access_rights").has("a"),
                "active:false does not stop a policy from applying");
    }

    @Test
    void theLegacyPolicyIdIsUsedOnlyWhenTheListIsEmpty() {
        Function<String, ObjectNode> store =
                policies("old", "{access_rights:{a:{}}}", "new", "{access_rights:{b:{}}}");
        assertEquals(
                List.of("a"),
                names(
                        PolicyApplier.apply(json("{apply_policy_id:'old'}"), store, null)
                                .get("access_rights")));
        assertEquals(
                List.of("a"),
                names(
                        PolicyApplier.apply(
                                        json("{apply_policy_id:'old',apply_policies:[]}"),
                                        store,
                                        null)
                                .get("access_rights")));
        assertEquals(
                List.of("b"),
                names(
                        PolicyApplier.apply(
                                        json("{apply_policy_id:'old',apply_policies:['new']}"),
                                        store,
                                        null)
                                .get("access_rights")));
    }

    @Test
    void inlinePoliciesInMetaDataReplaceTheIds() {
        // Tyk's TestApplyRateLimits_FromCustomPolicies and TestApplyACL_FromCustomPolicies
        ObjectNode rate =
                PolicyApplier.apply(
                        json(
                                "{meta_data:{policies:["
                                        + "{id:'pol1',partitions:{rate_limit:true,acl:true},rate:8,per:1,access_rights:{a:{}}},"
                                        + "{id:'pol2',partitions:{rate_limit:true},rate:10,per:1,access_rights:{a:{}}}]}}"),
                        policies(),
                        null);
        assertEquals(10, rate.get("rate").asDouble());
        String pol1 = "{id:'pol1',partitions:{rate_limit:true},rate:8,per:1,access_rights:{a:{}}}";
        String pol2 =
                "{id:'pol2',partitions:{acl:true},rate:10,per:1,access_rights:{a:{allowed_urls:["
                        + "{url:'/user',methods:['GET','POST']},{url:'/companies',methods:['GET','POST']}]}}}";
        for (String list : List.of(pol1 + "," + pol2, pol2 + "," + pol1)) {
            ObjectNode out =
                    PolicyApplier.apply(
                            json("{meta_data:{policies:[" + list + "]}}"), policies(), null);
            assertJson(
                    json(pol2).get("access_rights").get("a").get("allowed_urls"),
                    out.get("access_rights").get("a").get("allowed_urls"));
            assertEquals(8, out.get("rate").asDouble());
        }
    }

    @Test
    void theInputsAreNotModifiedAndTheOutputHasEveryField() throws Exception {
        ObjectNode session = json("{apply_policies:['p'],custom:1}");
        ObjectNode policy =
                json(
                        "{id:'p',rate:2.5,per:1,access_rights:{a:{allowed_urls:[{url:'/u',methods:['GET']}]}}}");
        String sessionBefore = session.toString();
        String policyBefore = policy.toString();
        ObjectNode out = PolicyApplier.apply(session, id -> policy, null);
        ((ObjectNode) out.get("access_rights").get("a").get("allowed_urls").get(0))
                .withArray("methods")
                .add("POST");
        assertEquals(sessionBefore, session.toString());
        assertEquals(policyBefore, policy.toString());
        for (String field : SessionDocuments.SESSION_FIELDS) {
            assertTrue(out.has(field), field);
        }
        assertEquals(1, out.get("custom").asInt(), "unknown fields of the key are kept");
        assertEquals("2.5", TykJson.MAPPER.writeValueAsString(out.get("rate")));
        assertEquals(
                "1",
                TykJson.MAPPER.writeValueAsString(out.get("per")),
                "a whole float is written as Go writes it");
        assertNotNull(out.get("access_rights").get("a").get("limit").get("quota_renewal_rate"));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

package gatehouse.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import gatehouse.local.Suite;
import gatehouse.system.tykdashboard.api.ApisApi;
import gatehouse.system.tykdashboard.api.KeysApi;
import gatehouse.system.tykdashboard.api.PoliciesApi;
import gatehouse.system.tykdashboard.api.UsersApi;
import gatehouse.system.tykdashboard.client.ApiClient;
import gatehouse.system.tykdashboard.model.APIDefinition;
import gatehouse.system.tykdashboard.model.AccessDefinition;
import gatehouse.system.tykdashboard.model.ApiDefinitionWrapper;
import gatehouse.system.tykdashboard.model.ApiDefinitionsResponse;
import gatehouse.system.tykdashboard.model.KeyData;
import gatehouse.system.tykdashboard.model.Keys;
import gatehouse.system.tykdashboard.model.ModelApiResponse;
import gatehouse.system.tykdashboard.model.Policy;
import gatehouse.system.tykdashboard.model.ProxyConfig;
import gatehouse.system.tykdashboard.model.ReturnDataStruct;
import gatehouse.system.tykdashboard.model.SessionState;
import gatehouse.system.tykdashboard.model.User;
import gatehouse.system.tykdashboard.model.Users;
import gatehouse.testsupport.TestInfrastructure;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 11, checked by a client that openapi-generator made from Tyk's own Dashboard spec (java,
 * library native; system-tests/pom.xml), run against the packaged owners and dashboard-service on a
 * real broker and PostgreSQL. Every answer is parsed into the spec's models by the client itself,
 * and the assertions read the models' fields: an answer Tyk's model cannot hold fails here.
 *
 * <p>Tyk's spec has no Admin API, so the organisation and its first user are made with the
 * generated client's own HTTP client and object mapper, and parsed into the spec's {@code
 * ApiResponse} ({@code ModelApiResponse}: the generator keeps its own name) and {@code User}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardClientIT {

    private static final String DASHBOARD_SECRET = "it-dashboard-client-admin-secret";

    private static RunningSuite running;
    private static Suite.Service dashboard;
    private static String dashboardDatabase;
    private static ApiClient client;
    private static String orgId;
    private static User admin;
    private static ApiDefinitionWrapper created;
    private static String policyId;
    private static final Set<String> OUTSIDE_THE_MODELS = ConcurrentHashMap.newKeySet();

    /**
     * Session fields the Dashboard spec's {@code SessionState} lacks and Tyk's Gateway spec's has
     * (shared/tyk/gateway-swagger.yml; COMPAT.md): a key's {@code data} is the Gateway's session.
     */
    private static final Set<String> LEFT_OUT_OF_THE_DASHBOARD_SPEC =
            Set.of(
                    "SessionState.enable_http_signature_validation",
                    "SessionState.rsa_certificate_id",
                    "SessionState.enable_detail_recording");

    @BeforeAll
    static void start() {
        running = RunningSuite.start(0);
        dashboardDatabase = TestInfrastructure.get().freshDatabase("gatehouse_it_dashboard_client");
        dashboard =
                running.suite.startDashboard(
                        0, dashboardDatabase, DASHBOARD_SECRET, RunningSuite.START);
        client = new ApiClient();
        client.updateBaseUri(dashboard.url().toString());
        client.setReadTimeout(Duration.ofSeconds(10));
        // stricter than the generated default, which drops what its model lacks: every field
        // outside Tyk's model is kept, and the last test says whether Tyk has it elsewhere
        client.setObjectMapper(
                ApiClient.createDefaultObjectMapper()
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .addHandler(
                                new DeserializationProblemHandler() {
                                    @Override
                                    public boolean handleUnknownProperty(
                                            DeserializationContext context,
                                            JsonParser parser,
                                            JsonDeserializer<?> deserializer,
                                            Object beanOrClass,
                                            String property)
                                            throws IOException {
                                        Class<?> model =
                                                beanOrClass instanceof Class<?> type
                                                        ? type
                                                        : beanOrClass.getClass();
                                        OUTSIDE_THE_MODELS.add(
                                                model.getSimpleName() + "." + property);
                                        parser.skipChildren();
                                        return true;
                                    }
                                }));
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
        if (dashboardDatabase != null) {
            TestInfrastructure.get().postgres().dropDatabase(dashboardDatabase);
        }
    }

    @Test
    @Order(1)
    void anOrganisationAndItsFirstUserThroughTheAdminApi() throws Exception {
        ModelApiResponse org =
                admin(
                        "/admin/organisations",
                        Map.of("owner_name", "Client Org", "cname", "client.test"));
        assertEquals("OK", org.getStatus());
        assertEquals("Org created", org.getMessage());
        orgId = (String) org.getMeta();
        assertTrue(orgId.matches("[0-9a-f]{24}"), "org id " + orgId);

        ModelApiResponse user =
                admin(
                        "/admin/users",
                        Map.of(
                                "org_id", orgId,
                                "first_name", "Cleo",
                                "last_name", "Client",
                                "email_address", "cleo@client.test",
                                "user_permissions", Map.of("IsAdmin", "admin")));
        assertEquals("OK", user.getStatus());
        admin = mapper().convertValue(user.getMeta(), User.class);
        assertEquals(orgId, admin.getOrgId());
        assertEquals("cleo@client.test", admin.getEmailAddress());
        assertTrue(admin.getAccessKey().matches("[0-9a-f]{32}"), admin.getAccessKey());
        // from here on the client sends the user's credential, as a Tyk client does
        String accessKey = admin.getAccessKey();
        client.setRequestInterceptor(request -> request.header("authorization", accessKey));
    }

    @Test
    @Order(2)
    void theUserReadsItselfThroughTheUsersApi() throws Exception {
        UsersApi users = new UsersApi(client);
        User read = users.getUser(admin.getId());
        assertEquals(admin.getId(), read.getId());
        assertEquals("Cleo", read.getFirstName());
        assertEquals("Client", read.getLastName());
        assertEquals(orgId, read.getOrgId());
        assertEquals("admin", read.getUserPermissions().get("IsAdmin"));

        Users page = users.getUsers(1);
        assertEquals(1, page.getPages());
        assertEquals(List.of(admin.getId()), page.getUsers().stream().map(User::getId).toList());
    }

    @Test
    @Order(3)
    void apisAreListedCreatedAndReadBack() throws Exception {
        ApisApi apis = new ApisApi(client);
        ApiDefinitionsResponse empty = apis.getApis(null, null, null, null, null, null, 1, null);
        assertEquals(1, empty.getPages());
        assertEquals(List.of(), empty.getApis());

        ModelApiResponse answer =
                apis.postApis(
                        null,
                        null,
                        null,
                        null,
                        new ApiDefinitionWrapper()
                                .apiDefinition(
                                        new APIDefinition()
                                                .apiId("client-orders")
                                                .name("Client Orders")
                                                .useKeyless(true)
                                                .active(true)
                                                .proxy(
                                                        new ProxyConfig()
                                                                .listenPath("/client-orders/")
                                                                .targetUrl(
                                                                        running.upstream.url()
                                                                                + "/")
                                                                .stripListenPath(true))));
        assertEquals("OK", answer.getStatus());
        assertEquals("API created", answer.getMessage());
        assertEquals("client-orders", answer.getID());
        String databaseId = (String) answer.getMeta();
        assertTrue(databaseId.matches("[0-9a-f]{24}"), "database id " + databaseId);

        created = apis.getApi("client-orders");
        APIDefinition definition = created.getApiDefinition();
        assertEquals("client-orders", definition.getApiId());
        assertEquals(databaseId, definition.getId());
        assertEquals(orgId, definition.getOrgId());
        assertEquals("Client Orders", definition.getName());
        assertEquals("/client-orders/", definition.getProxy().getListenPath());
        assertEquals(Boolean.TRUE, definition.getUseKeyless());
        assertNotNull(created.getCreatedAt());
        // by the database id too
        assertEquals("client-orders", apis.getApi(databaseId).getApiDefinition().getApiId());

        ApiDefinitionsResponse listed =
                apis.getApis(null, null, null, null, null, "orders", 1, "name");
        assertEquals(1, listed.getPages());
        assertEquals(
                List.of("Client Orders"),
                listed.getApis().stream().map(api -> api.getApiDefinition().getName()).toList());
    }

    @Test
    @Order(4)
    void aPolicyIsCreatedReadAndListed() throws Exception {
        PoliciesApi policies = new PoliciesApi(client);
        ModelApiResponse answer =
                policies.postPolicies(
                        new Policy()
                                .name("Client Gold")
                                .active(true)
                                .rate(100.0)
                                .per(60.0)
                                .quotaMax(-1L)
                                .accessRights(
                                        Map.of(
                                                "client-orders",
                                                new AccessDefinition()
                                                        .apiId("client-orders")
                                                        .apiName("Client Orders")
                                                        .versions(List.of("Default")))));
        assertEquals("OK", answer.getStatus());
        policyId = answer.getMessage();
        assertTrue(policyId.matches("[0-9a-f]{24}"), "policy id " + policyId);

        Policy read = policies.getPolicy(policyId);
        assertEquals(policyId, read.getDatabaseId());
        assertEquals("Client Gold", read.getName());
        assertEquals(orgId, read.getOrgId());
        assertEquals(100.0, read.getRate());
        assertEquals("Client Orders", read.getAccessRights().get("client-orders").getApiName());

        ReturnDataStruct page = policies.getPolicies(1, null);
        assertEquals(1, page.getPages());
        assertEquals(
                List.of(policyId), page.getData().stream().map(Policy::getDatabaseId).toList());
    }

    @Test
    @Order(5)
    void aKeyIsCreatedReadAndListed() throws Exception {
        KeysApi keys = new KeysApi(client);
        KeyData made =
                keys.addKey(
                        null,
                        new SessionState()
                                .alias("client-key")
                                .applyPolicies(List.of(policyId))
                                .accessRights(
                                        Map.of(
                                                "client-orders",
                                                new AccessDefinition()
                                                        .apiId("client-orders")
                                                        .apiName("Client Orders")
                                                        .versions(List.of("Default")))));
        String keyId = made.getKeyId();
        assertEquals(orgId, orgOfKey(keyId), "key id " + keyId);
        assertFalse(made.getKeyHash().isEmpty(), "key hash");
        assertEquals("client-key", made.getData().getAlias());

        KeyData read = keys.getKeyDetail(keyId, null, null, null);
        assertEquals(keyId, read.getKeyId());
        assertEquals(made.getKeyHash(), read.getKeyHash());
        assertEquals(List.of(policyId), read.getData().getApplyPolicies());
        assertEquals(orgId, read.getData().getOrgId());

        Keys all = keys.listKeys(1);
        assertEquals(1, all.getPages());
        // keys are stored by digest only, so lists show hashes (as Tyk with hashed keys does)
        assertEquals(List.of(made.getKeyHash()), all.getData().getKeys());

        Keys ofTheApi = keys.listApiKeys("client-orders", 1);
        assertEquals(1, ofTheApi.getPages());
        assertEquals(List.of(made.getKeyHash()), ofTheApi.getData().getKeys());

        KeyData throughTheApi = keys.getApiKeyDetail("client-orders", keyId, null, null, null);
        assertEquals(keyId, throughTheApi.getKeyId());
        assertEquals("client-key", throughTheApi.getData().getAlias());
    }

    @Test
    @Order(6)
    void everyFieldAnsweredIsOneOfTyks() {
        Set<String> unknown = new TreeSet<>(OUTSIDE_THE_MODELS);
        unknown.removeAll(LEFT_OUT_OF_THE_DASHBOARD_SPEC);
        assertEquals(Set.of(), unknown, "fields in no Tyk model");
    }

    /**
     * A generated key's organisation: Tyk's key ids are either the org id and 32 hex, or (with a
     * hash function set) base64 of {@code {"org":…,"id":…,"h":…}}.
     */
    private static String orgOfKey(String keyId) throws IOException {
        if (keyId.matches("[0-9a-f]{24}[0-9a-f]{32}")) {
            return keyId.substring(0, 24);
        }
        return mapper().readTree(Base64.getDecoder().decode(keyId)).path("org").asText(null);
    }

    /** An Admin API call (not in Tyk's spec) answered in the spec's envelope. */
    private static ModelApiResponse admin(String path, Object body) throws Exception {
        HttpResponse<String> response =
                client.getHttpClient()
                        .send(
                                HttpRequest.newBuilder(dashboard.url().resolve(path))
                                        .header("admin-auth", DASHBOARD_SECRET)
                                        .header("content-type", "application/json")
                                        .timeout(Duration.ofSeconds(10))
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        mapper().writeValueAsString(body)))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + " answered " + response.body());
        return mapper().readValue(response.body(), ModelApiResponse.class);
    }

    /** The generated client's own mapper (a copy: the API classes take theirs when made). */
    private static ObjectMapper mapper() {
        return client.getObjectMapper();
    }
}

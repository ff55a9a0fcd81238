package gatehouse.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gatehouse.local.Suite;
import gatehouse.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's isolation check: two organisations, each with its own users, API, key, policy, OAuth
 * client and user group; every Dashboard endpoint tried by one organisation's admin with the
 * other's ids, and by a user of the same organisation whose every section is {@code deny}, then
 * {@code read}. Nothing of the other organisation may show in any answer (its names, emails and ids
 * are looked for in every body), and nothing may be written: the audit log of the owners holds no
 * committed change made during the matrix, and every Dashboard fact reads the same after it.
 */
class DashboardIsolationIT {

    private static final String DASHBOARD_SECRET = "it-isolation-admin-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECTIONS_DENY =
            """
            {"apis":"deny","keys":"deny","policies":"deny","oauth":"deny","users":"deny",
             "user_groups":"deny","analytics":"deny"}""";
    private static final String SECTIONS_READ =
            """
            {"apis":"read","keys":"read","policies":"read","oauth":"read","users":"read",
             "user_groups":"read","analytics":"read"}""";

    private static RunningSuite running;
    private static Suite.Service dashboard;
    private static String dashboardDatabase;

    /** One organisation's resources and callers. */
    private record Org(
            String name,
            String orgId,
            String admin,
            String denied,
            String reader,
            Map<String, String> ids,
            List<String> secrets) {}

    private static Org a;
    private static Org b;

    @BeforeAll
    static void start() throws Exception {
        running = RunningSuite.start(0);
        dashboardDatabase = TestInfrastructure.get().freshDatabase("gatehouse_it_isolation");
        dashboard =
                running.suite.startDashboard(
                        0, dashboardDatabase, DASHBOARD_SECRET, RunningSuite.START);
        a = organisation("alpha");
        b = organisation("bravo");
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

    /** Every endpoint with the given organisation's ids: method, path, body. */
    private static List<String[]> endpoints(Org of) {
        Map<String, String> id = of.ids();
        String api = id.get("api");
        String apiDb = id.get("api_db");
        String key = id.get("key");
        String hash = id.get("key_hash");
        String policy = id.get("policy");
        String client = id.get("client");
        String user = id.get("user");
        String group = id.get("group");
        String apiBody =
                """
                {"api_definition":{"api_id":"%s","name":"taken over","use_keyless":true,
                 "proxy":{"listen_path":"/taken-%s/","target_url":"http://127.0.0.1:9/"}}}"""
                        .formatted(api, api);
        String keyBody =
                """
                {"rate":1,"per":1,"quota_max":-1,"meta_data":{"x":"taken over"},
                 "access_rights":{"%s":{"api_id":"%s","versions":["Default"]}}}"""
                        .formatted(api, api);
        String policyBody =
                """
                {"name":"taken over","rate":1,"per":1,"active":true,
                 "access_rights":{"%s":{"api_id":"%s","versions":["Default"]}}}"""
                        .formatted(api, api);
        List<String[]> all = new ArrayList<>();
        // APIs (§4)
        all.add(new String[] {"GET", "/api/apis", null});
        all.add(new String[] {"GET", "/api/apis/search?q=" + of.name(), null});
        all.add(new String[] {"GET", "/api/apis/" + api, null});
        all.add(new String[] {"GET", "/api/apis/" + apiDb, null});
        all.add(new String[] {"PUT", "/api/apis/" + api, apiBody});
        all.add(new String[] {"PUT", "/api/apis/" + apiDb, apiBody});
        all.add(new String[] {"DELETE", "/api/apis/" + api, null});
        all.add(new String[] {"POST", "/api/apis", apiBody});
        all.add(new String[] {"GET", "/api/apis/" + api + "/access", null});
        all.add(
                new String[] {
                    "PUT", "/api/apis/" + api + "/access", "{\"userIds\":[],\"userGroupIds\":[]}"
                });
        // keys (§5)
        all.add(new String[] {"GET", "/api/apis/keys", null});
        all.add(new String[] {"GET", "/api/apis/" + api + "/keys", null});
        all.add(new String[] {"GET", "/api/apis/" + api + "/keys/search?q=" + hash, null});
        all.add(new String[] {"GET", "/api/keys/detailed?q=" + hash, null});
        all.add(new String[] {"GET", "/api/keys/" + key, null});
        all.add(new String[] {"GET", "/api/keys/" + hash + "?hashed=1", null});
        all.add(new String[] {"GET", "/api/keys/" + key + "?auto_guess=true", null});
        all.add(new String[] {"PUT", "/api/keys/" + key, keyBody});
        all.add(new String[] {"PUT", "/api/keys/" + hash + "?hashed=1", keyBody});
        all.add(new String[] {"DELETE", "/api/keys/" + key, null});
        all.add(new String[] {"DELETE", "/api/keys/" + hash + "?hashed=1", null});
        all.add(new String[] {"GET", "/api/apis/" + api + "/keys/" + key, null});
        all.add(new String[] {"PUT", "/api/apis/" + api + "/keys/" + key, keyBody});
        all.add(new String[] {"DELETE", "/api/apis/" + api + "/keys/" + key, null});
        all.add(new String[] {"POST", "/api/keys", keyBody});
        all.add(new String[] {"POST", "/api/keys/" + of.name() + "-custom-key", keyBody});
        all.add(new String[] {"POST", "/api/keys/preview", keyBody});
        all.add(
                new String[] {
                    "POST",
                    "/api/apis/keys/basic/" + of.name() + "-basic",
                    keyBody.replace(
                            "\"rate\"", "\"basic_auth_data\":{\"password\":\"pw-12345\"},\"rate\"")
                });
        // policies (§6)
        all.add(new String[] {"GET", "/api/portal/policies", null});
        all.add(new String[] {"GET", "/api/portal/policies/search?q=" + policy, null});
        all.add(new String[] {"GET", "/api/portal/policies/search?policy_ids=" + policy, null});
        all.add(new String[] {"GET", "/api/portal/policies/search?api_id=" + api, null});
        all.add(new String[] {"GET", "/api/portal/policies/" + policy, null});
        all.add(new String[] {"PUT", "/api/portal/policies/" + policy, policyBody});
        all.add(new String[] {"DELETE", "/api/portal/policies/" + policy, null});
        all.add(new String[] {"POST", "/api/portal/policies", policyBody});
        // OAuth clients (§7)
        all.add(new String[] {"GET", "/api/apis/oauth/" + api, null});
        all.add(
                new String[] {
                    "POST",
                    "/api/apis/oauth/" + api,
                    "{\"redirect_uri\":\"https://taken.example/cb\",\"policy_id\":\""
                            + policy
                            + "\"}"
                });
        all.add(new String[] {"GET", "/api/apis/oauth/" + api + "/" + client, null});
        all.add(new String[] {"GET", "/api/apis/oauth/" + api + "/" + client + "/tokens", null});
        all.add(new String[] {"DELETE", "/api/apis/oauth/" + api + "/" + client, null});
        // users and groups (§3)
        all.add(new String[] {"GET", "/api/users", null});
        all.add(new String[] {"GET", "/api/users/" + user, null});
        all.add(new String[] {"PUT", "/api/users/" + user, "{\"first_name\":\"taken over\"}"});
        all.add(new String[] {"PUT", "/api/users/" + user + "/actions/key/reset", null});
        all.add(new String[] {"DELETE", "/api/users/" + user, null});
        all.add(new String[] {"GET", "/api/usergroups", null});
        all.add(new String[] {"GET", "/api/usergroups/" + group, null});
        all.add(new String[] {"PUT", "/api/usergroups/" + group, "{\"name\":\"taken over\"}"});
        all.add(new String[] {"DELETE", "/api/usergroups/" + group, null});
        return all;
    }

    @Test
    void noEndpointLeaksOrWritesAcrossOrganisationsOrPastAPermission() throws Exception {
        Map<String, String> before = dashboardFacts();
        Instant started = Instant.now();
        List<String> failures = new ArrayList<>();
        int calls = 0;
        // the other organisation's ids, by an admin of this one: nothing of it shows
        for (Org[] pair : new Org[][] {{a, b}, {b, a}}) {
            Org caller = pair[0];
            Org other = pair[1];
            for (String[] endpoint : endpoints(other)) {
                if (endpoint[1].startsWith("/api/keys/preview")) {
                    continue; // stores nothing
                }
                calls++;
                HttpResponse<String> response = call(caller.admin(), endpoint);
                for (String secret : other.secrets()) {
                    if (response.body().contains(secret)) {
                        failures.add(
                                caller.name()
                                        + " admin, "
                                        + endpoint[0]
                                        + " "
                                        + endpoint[1]
                                        + ": "
                                        + response.statusCode()
                                        + " shows "
                                        + secret);
                    }
                }
                if (!endpoint[0].equals("GET") && response.statusCode() / 100 == 2) {
                    failures.add(
                            caller.name()
                                    + " admin, "
                                    + endpoint[0]
                                    + " "
                                    + endpoint[1]
                                    + " was accepted: "
                                    + response.body());
                }
            }
        }
        // the same organisation's ids, by a user denied every section, and by a reader
        for (Org org : List.of(a, b)) {
            for (String[] endpoint : endpoints(org)) {
                calls += 2;
                HttpResponse<String> denied = call(org.denied(), endpoint);
                if (denied.statusCode() != 403
                        || !denied.body().contains("access denied: You do not have permission")) {
                    failures.add(
                            org.name()
                                    + " deny user, "
                                    + endpoint[0]
                                    + " "
                                    + endpoint[1]
                                    + ": "
                                    + denied.statusCode()
                                    + " "
                                    + denied.body());
                }
                HttpResponse<String> read = call(org.reader(), endpoint);
                boolean reads =
                        endpoint[0].equals("GET") || endpoint[1].startsWith("/api/keys/preview");
                if (!reads && read.statusCode() != 403) {
                    failures.add(
                            org.name()
                                    + " read user, "
                                    + endpoint[0]
                                    + " "
                                    + endpoint[1]
                                    + ": "
                                    + read.statusCode()
                                    + " "
                                    + read.body());
                }
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + calls + " calls leaked");
        // nothing written: no owner committed a change, and the Dashboard's own facts are as before
        URI events =
                running.owners
                        .get(Suite.Owner.ADMIN)
                        .url()
                        .resolve("/tyk/audit/events?outcome=committed&since=" + started);
        JsonNode log =
                JSON.readTree(RunningSuite.send(RunningSuite.admin(events).GET().build()).body());
        assertEquals(0, log.path("total").asLong(), "changes committed during the matrix: " + log);
        assertEquals(before, dashboardFacts(), "the Dashboard's own facts changed");
        System.out.printf(
                "DashboardIsolationIT: %d calls across 2 organisations and deny/read users: 0 leaks,"
                        + " 0 writes%n",
                calls);
    }

    /** What each organisation's admin reads of the Dashboard's own facts and of every owner's. */
    private static Map<String, String> dashboardFacts() throws Exception {
        Map<String, String> facts = new LinkedHashMap<>();
        for (Org org : List.of(a, b)) {
            for (String path :
                    List.of(
                            "/api/users?p=-1",
                            "/api/usergroups?p=-1",
                            "/api/apis?p=-1",
                            "/api/apis/" + org.ids().get("api") + "/access",
                            "/api/apis/keys?p=-1",
                            "/api/portal/policies?p=-1",
                            "/api/apis/oauth/" + org.ids().get("api"))) {
                HttpResponse<String> response = call(org.admin(), new String[] {"GET", path, null});
                assertEquals(200, response.statusCode(), path + ": " + response.body());
                // credentials and times aside, a list reads the same when nothing was written
                facts.put(
                        org.name() + " " + path,
                        response.body()
                                .replaceAll(
                                        "\"(access_key|updated_at|last_updated)\":\"[^\"]*\"", ""));
            }
        }
        return facts;
    }

    private static Org organisation(String name) throws Exception {
        String orgId =
                text(
                        admin("/admin/organisations", "{\"owner_name\":\"" + name + " corp\"}"),
                        "Meta");
        String adminKey = user(orgId, name + "-admin", "{\"IsAdmin\":\"admin\"}");
        String denied = user(orgId, name + "-deny", SECTIONS_DENY);
        String reader = user(orgId, name + "-read", SECTIONS_READ);
        Map<String, String> ids = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        String apiName = name + " Secret Orders";
        JsonNode api =
                created(
                        adminKey,
                        "/api/apis",
                        """
                        {"api_definition":{"api_id":"iso-%s","name":"%s","use_keyless":false,
                         "use_oauth2":true,"oauth_meta":{"allowed_access_types":["client_credentials"],
                          "allowed_authorize_types":["code"]},
                         "proxy":{"listen_path":"/iso-%s/","target_url":"http://127.0.0.1:9/"}}}"""
                                .formatted(name, apiName, name));
        ids.put("api", text(api, "ID"));
        ids.put("api_db", text(api, "Meta"));
        secrets.add(apiName);
        String policyName = name + " Gold Plan";
        JsonNode policy =
                created(
                        adminKey,
                        "/api/portal/policies",
                        """
                        {"name":"%s","rate":5,"per":1,"quota_max":-1,"active":true,
                         "access_rights":{"iso-%s":{"api_id":"iso-%s","versions":["Default"]}}}"""
                                .formatted(policyName, name, name));
        ids.put("policy", text(policy, "Message"));
        secrets.add(policyName);
        JsonNode key =
                created(
                        adminKey,
                        "/api/keys",
                        """
                        {"rate":5,"per":1,"quota_max":-1,"meta_data":{"owner":"%s-key-meta"},
                         "access_rights":{"iso-%s":{"api_id":"iso-%s","versions":["Default"]}}}"""
                                .formatted(name, name, name));
        ids.put("key", text(key, "key_id"));
        ids.put("key_hash", text(key, "key_hash"));
        secrets.add(name + "-key-meta");
        secrets.add(ids.get("key"));
        JsonNode client =
                created(
                        adminKey,
                        "/api/apis/oauth/iso-" + name,
                        """
                        {"redirect_uri":"https://%s.example/cb","policy_id":"%s",
                         "meta_data":{"owner":"%s-client-meta"}}"""
                                .formatted(name, ids.get("policy"), name));
        ids.put("client", text(client, "client_id"));
        secrets.add(name + ".example");
        secrets.add(name + "-client-meta");
        JsonNode group =
                created(
                        adminKey,
                        "/api/usergroups",
                        """
                        {"name":"%s Secret Team","user_permissions":{"apis":"read"}}"""
                                .formatted(name));
        ids.put("group", text(group, "Meta"));
        secrets.add(name + " Secret Team");
        JsonNode user =
                created(
                        adminKey,
                        "/api/users",
                        """
                        {"first_name":"%s","last_name":"Member","email_address":"member@%s.test",
                         "user_permissions":{"apis":"read"}}"""
                                .formatted(name, name));
        ids.put("user", user.path("Meta").path("id").asText(text(user, "Meta")));
        secrets.add("member@" + name + ".test");
        secrets.add(name + "-admin@");
        return new Org(name, orgId, adminKey, denied, reader, ids, secrets);
    }

    private static String user(String orgId, String email, String permissions) throws Exception {
        JsonNode answer =
                admin(
                        "/admin/users",
                        """
                        {"org_id":"%s","first_name":"%s","last_name":"User",
                         "email_address":"%s@%s.test","user_permissions":%s}"""
                                .formatted(orgId, email, email, orgId, permissions));
        return text(answer, "Meta.access_key");
    }

    private static JsonNode admin(String path, String body) throws Exception {
        HttpResponse<String> response =
                RunningSuite.send(
                        HttpRequest.newBuilder(dashboard.url().resolve(path))
                                .header("admin-auth", DASHBOARD_SECRET)
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode created(String credential, String path, String body) throws Exception {
        HttpResponse<String> response = call(credential, new String[] {"POST", path, body});
        assertEquals(200, response.statusCode(), "POST " + path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> call(String credential, String[] endpoint) {
        URI url = dashboard.url().resolve(endpoint[1]);
        return RunningSuite.send(
                HttpRequest.newBuilder(url)
                        .header("authorization", credential)
                        .timeout(Duration.ofSeconds(10))
                        .method(
                                endpoint[0],
                                endpoint[2] == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(endpoint[2]))
                        .build());
    }

    private static String text(JsonNode node, String path) {
        JsonNode at = node;
        for (String part : path.split("\\.")) {
            at = at.path(part);
        }
        assertTrue(at.isValueNode() && !at.asText().isEmpty(), "no " + path + " in " + node);
        assertNotNull(at.asText());
        assertFalse(at.asText().isBlank());
        return at.asText();
    }
}

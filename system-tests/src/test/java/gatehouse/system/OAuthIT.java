package gatehouse.system;

import static gatehouse.system.RunningSuite.admin;
import static gatehouse.system.RunningSuite.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OAuth2 across three gateway nodes with the real owners: every grant through a gateway URL, bearer
 * calls on every node, refresh rotation, and a deleted client's tokens refused everywhere within 2
 * s.
 */
class OAuthIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "oauth-it";
    private static final String CALLBACK = "http://app.example/cb";
    private static RunningSuite running;

    @BeforeAll
    static void startWithAnOAuthApiAPolicyAndAClient() throws Exception {
        running = RunningSuite.start(3);
        post(
                "/tyk/apis",
                """
                {"api_id":"%s","name":"OAuth IT","org_id":"default","use_oauth2":true,"use_keyless":false,
                 "oauth_meta":{"allowed_access_types":["authorization_code","refresh_token","client_credentials","password"],
                               "allowed_authorize_types":["code","token"],"auth_login_redirect":"http://login.example/"},
                 "proxy":{"listen_path":"/oauth-it/","target_url":"%s/","strip_listen_path":true}}"""
                        .formatted(API, running.upstream.url()));
        post(
                "/tyk/policies",
                """
                {"id":"oauth-it-pol","org_id":"default","rate":1000,"per":1,
                 "access_rights":{"%s":{"api_id":"%s","versions":["Default"]}}}"""
                        .formatted(API, API));
        for (int node = 0; node < 3; node++) {
            RunningSuite.awaitStatus(
                    gateway(node, "/oauth-it/x"), 400, System.nanoTime(), Duration.ofSeconds(10));
        }
        // the owners learn the API and the policy from the topics: retry until the client is
        // accepted
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> created;
        do {
            created =
                    send(
                            admin(gateway(0, "/tyk/oauth/clients/create"))
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    """
                    {"client_id":"it-client","secret":"it-client-secret-0001","api_id":"%s","redirect_uri":"%s","policy_id":"oauth-it-pol"}"""
                                                            .formatted(API, CALLBACK)))
                                    .build());
        } while (created.statusCode() != 200 && System.nanoTime() < deadline);
        assertEquals(200, created.statusCode(), created.body());
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static URI gateway(int node, String path) {
        return running.gateways.get(node).url().resolve(path);
    }

    private static void post(String path, String body) {
        var response =
                send(
                        admin(gateway(0, path))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build());
        assertEquals(200, response.statusCode(), response.body());
    }

    private static JsonNode token(int node, String form) throws Exception {
        var response =
                send(
                        HttpRequest.newBuilder(gateway(node, "/oauth-it/oauth/token"))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString(
                                                                "it-client:it-client-secret-0001"
                                                                        .getBytes(
                                                                                StandardCharsets
                                                                                        .UTF_8)))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build());
        JsonNode json = JSON.readTree(response.body());
        return response.statusCode() == 200
                ? json
                : JSON.createObjectNode()
                        .put("status", response.statusCode())
                        .put("error", json.path("error").asText());
    }

    private static int call(int node, String token) {
        return send(HttpRequest.newBuilder(gateway(node, "/oauth-it/anything"))
                        .header("Authorization", "Bearer " + token)
                        .build())
                .statusCode();
    }

    /**
     * Polls a node until the token answers the status (a token's event may still be in flight:
     * read-through covers it).
     */
    private static void awaitCall(int node, String token, int status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int last;
        do {
            last = call(node, token);
            if (last == status) {
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError(
                "node " + node + " answered " + last + ", not " + status + ", within " + within);
    }

    @Test
    void codeTokenCallRefreshAndTheOldTokensAreRefused() throws Exception {
        var approval =
                send(
                        admin(gateway(1, "/oauth-it/tyk/oauth/authorize-client/"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "response_type=code&client_id=it-client&redirect_uri="
                                                        + CALLBACK))
                                .build());
        assertEquals(200, approval.statusCode(), approval.body());
        String code = JSON.readTree(approval.body()).path("code").asText();
        JsonNode first =
                token(
                        2,
                        "grant_type=authorization_code&code=" + code + "&redirect_uri=" + CALLBACK);
        String access = first.path("access_token").asText();
        assertTrue(!access.isEmpty(), first.toString());
        for (int node = 0; node < 3; node++) {
            assertEquals(200, call(node, access), "node " + node);
        }
        JsonNode second =
                token(
                        0,
                        "grant_type=refresh_token&refresh_token="
                                + first.path("refresh_token").asText());
        String renewed = second.path("access_token").asText();
        assertNotEquals(access, renewed);
        for (int node = 0; node < 3; node++) {
            awaitCall(node, access, 403, Duration.ofSeconds(2));
            assertEquals(200, call(node, renewed), "node " + node);
        }
        assertEquals(
                "invalid_grant",
                token(
                                1,
                                "grant_type=refresh_token&refresh_token="
                                        + first.path("refresh_token").asText())
                        .path("error")
                        .asText());
    }

    @Test
    void clientCredentialsAndPasswordGrants() throws Exception {
        String access = token(0, "grant_type=client_credentials").path("access_token").asText();
        assertEquals(200, call(1, access));
        // a basic-auth user of the API's org is the resource owner
        post(
                "/tyk/keys/alice-it",
                """
                {"org_id":"default","basic_auth_data":{"password":"wonderland"},
                 "access_rights":{"%s":{"api_id":"%s","versions":["Default"]}}}"""
                        .formatted(API, API));
        assertEquals(
                "access_denied",
                token(0, "grant_type=password&username=alice-it&password=wrong")
                        .path("error")
                        .asText());
        String userToken =
                token(0, "grant_type=password&username=alice-it&password=wonderland")
                        .path("access_token")
                        .asText();
        assertTrue(!userToken.isEmpty());
        assertEquals(200, call(2, userToken));
    }

    @Test
    void aDeletedClientsTokensAreRefusedEverywhereWithinTwoSeconds() throws Exception {
        send(
                admin(gateway(0, "/tyk/oauth/clients/create"))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        """
                {"client_id":"doomed","secret":"doomed-client-secret-01","api_id":"%s","redirect_uri":"%s","policy_id":"oauth-it-pol"}"""
                                                .formatted(API, CALLBACK)))
                        .build());
        var issued =
                send(
                        HttpRequest.newBuilder(gateway(0, "/oauth-it/oauth/token"))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString(
                                                                "doomed:doomed-client-secret-01"
                                                                        .getBytes(
                                                                                StandardCharsets
                                                                                        .UTF_8)))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "grant_type=client_credentials"))
                                .build());
        String access = JSON.readTree(issued.body()).path("access_token").asText();
        for (int node = 0; node < 3; node++) {
            awaitCall(node, access, 200, Duration.ofSeconds(5));
        }
        long deleted = System.nanoTime();
        assertEquals(
                200,
                send(admin(gateway(2, "/tyk/oauth/clients/" + API + "/doomed")).DELETE().build())
                        .statusCode());
        for (int node = 0; node < 3; node++) {
            awaitCall(
                    node,
                    access,
                    403,
                    Duration.ofSeconds(2).minusNanos(System.nanoTime() - deleted));
            var refused =
                    send(
                            HttpRequest.newBuilder(gateway(node, "/oauth-it/anything"))
                                    .header("Authorization", "Bearer " + access)
                                    .build());
            assertTrue(
                    refused.body().contains("Key not authorised. OAuth client access was revoked"),
                    refused.body());
        }
        System.out.printf(
                "[measure] deleted OAuth client: its token refused on 3 nodes %d ms after the delete call%n",
                (System.nanoTime() - deleted) / 1_000_000);
    }
}

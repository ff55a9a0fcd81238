package gatehouse.oauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.events.Topics;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.keys.TykKeys;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-API OAuth endpoints as the gateway forwards them: authorise, approve, and every grant
 * (COMPAT §9.2).
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "oauth"))
class OAuthFlowTest {

    private static final String BASE = "/oauth-api/oauth-api-1";
    private static final KeyDigest DIGEST =
            KeyDigest.fromSecrets(null, GatehouseTestResource.ADMIN_SECRET);
    private static final String CALLBACK = "http://app.example/cb";

    @BeforeEach
    void aClientExists() {
        OAuthFixtures.publishOnce();
        admin().body(
                        """
                {"client_id":"flow-client","secret":"flow-secret-sixteen","api_id":"oauth-api-1","redirect_uri":"%s",
                 "policy_id":"oauth-pol","meta_data":{"team":"a"}}"""
                                .formatted(CALLBACK))
                .post("/tyk/oauth/clients/create")
                .then()
                .statusCode(200);
    }

    private static RequestSpecification admin() {
        return given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET);
    }

    private static RequestSpecification client(String secret) {
        return given().auth()
                .preemptive()
                .basic("flow-client", secret)
                .contentType("application/x-www-form-urlencoded");
    }

    private static String code() {
        String body =
                admin().contentType("application/x-www-form-urlencoded")
                        .formParam("response_type", "code")
                        .formParam("client_id", "flow-client")
                        .formParam("redirect_uri", CALLBACK)
                        .formParam("state", "s1")
                        .post(BASE + "/tyk/oauth/authorize-client/")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        // the approval answer has no Content-Type of its own (as on Tyk): read as JSON here
        var json = JsonPath.from(body);
        assertTrue(json.getString("redirect_to").startsWith(CALLBACK + "?code="), body);
        assertEquals("s1", json.getString("state"));
        return json.getString("code");
    }

    @Test
    void authorizeRedirectsToTheLoginPageWithTheQuery() {
        given().urlEncodingEnabled(false)
                .redirects()
                .follow(false)
                .get(
                        BASE
                                + "/oauth/authorize?response_type=code&client_id=flow-client&redirect_uri="
                                + CALLBACK)
                .then()
                .statusCode(307)
                .header(
                        "Location",
                        OAuthFixtures.LOGIN
                                + "?response_type=code&client_id=flow-client&redirect_uri="
                                + CALLBACK);
        given().redirects()
                .follow(false)
                .get(
                        BASE
                                + "/oauth/authorize?response_type=code&client_id=flow-client"
                                + "&redirect_uri=http://evil.example/cb")
                .then()
                .statusCode(403)
                .body("status", equalTo("error"))
                .body("message", startsWith("The request is missing a required parameter"));
    }

    @Test
    void theApprovalNeedsTheAdminSecret() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("response_type", "code")
                .post(BASE + "/tyk/oauth/authorize-client/")
                .then()
                .statusCode(403)
                .body(
                        "message",
                        equalTo("Attempted administrative access with invalid or missing key!"));
    }

    @Test
    void codeThenTokenThenRefreshRotatesBothTokens() {
        Response issued =
                client("flow-secret-sixteen")
                        .formParam("grant_type", "authorization_code")
                        .formParam("code", code())
                        .formParam("redirect_uri", CALLBACK)
                        .post(BASE + "/oauth/token");
        issued.then()
                .statusCode(200)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache, no-store, must-revalidate")
                .body("token_type", equalTo("bearer"))
                .body("expires_in", equalTo(3600));
        String access = issued.path("access_token");
        String refresh = issued.path("refresh_token");
        assertEquals("org1", TykKeys.orgOf(access));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                !TopicRecords.withKey(Topics.OAUTH_TOKENS.name(), DIGEST.of(access))
                                        .isEmpty());

        Response refreshed =
                client("flow-secret-sixteen")
                        .formParam("grant_type", "refresh_token")
                        .formParam("refresh_token", refresh)
                        .post(BASE + "/oauth/token");
        refreshed.then().statusCode(200);
        String newAccess = refreshed.path("access_token");
        assertNotEquals(access, newAccess);
        assertNotEquals(refresh, (String) refreshed.path("refresh_token"));
        // the old refresh token is used up; the old access token is revoked on the topic
        client("flow-secret-sixteen")
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refresh)
                .post(BASE + "/oauth/token")
                .then()
                .statusCode(403)
                .body("error", equalTo("invalid_grant"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> {
                            var records =
                                    TopicRecords.withKey(
                                            Topics.OAUTH_TOKENS.name(), DIGEST.of(access));
                            return records.get(records.size() - 1).value() == null;
                        });
        // a code is single-use
        String code = code();
        client("flow-secret-sixteen")
                .formParam("grant_type", "authorization_code")
                .formParam("code", code)
                .post(BASE + "/oauth/token")
                .then()
                .statusCode(200);
        client("flow-secret-sixteen")
                .formParam("grant_type", "authorization_code")
                .formParam("code", code)
                .post(BASE + "/oauth/token")
                .then()
                .statusCode(403)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void theKeyChangeUrlIsToldOfNewTokens() throws Exception {
        OAuthFixtures.NOTIFICATIONS.clear();
        String code = code();
        String access =
                client("flow-secret-sixteen")
                        .formParam("grant_type", "authorization_code")
                        .formParam("code", code)
                        .post(BASE + "/oauth/token")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("access_token");
        String notification =
                OAuthFixtures.NOTIFICATIONS.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(
                notification != null && notification.startsWith("shh "),
                String.valueOf(notification));
        assertTrue(notification.contains("\"new_oauth_token\":\"" + access + "\""), notification);
        assertTrue(notification.contains("\"auth_code\":\"" + code + "\""), notification);
        assertTrue(notification.contains("\"notification_type\":\"new\""), notification);
    }

    @Test
    void theRefreshTokenCanBeInvalidatedByTheAdmin() {
        String refresh =
                client("flow-secret-sixteen")
                        .formParam("grant_type", "authorization_code")
                        .formParam("code", code())
                        .post(BASE + "/oauth/token")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("refresh_token");
        admin().delete("/tyk/oauth/refresh/" + refresh + "?api_id=oauth-api-1")
                .then()
                .statusCode(200);
        client("flow-secret-sixteen")
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refresh)
                .post(BASE + "/oauth/token")
                .then()
                .statusCode(403)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void tokensAreRevokedOnTheApisPath() {
        String refresh =
                client("flow-secret-sixteen")
                        .formParam("grant_type", "authorization_code")
                        .formParam("code", code())
                        .post(BASE + "/oauth/token")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("refresh_token");
        var form = given().contentType("application/x-www-form-urlencoded");
        form.post(BASE + "/oauth/revoke")
                .then()
                .statusCode(400)
                .body("message", equalTo("token is required"));
        given().contentType("application/x-www-form-urlencoded")
                .formParam("token", refresh)
                .formParam("token_type_hint", "refresh_token")
                .post(BASE + "/oauth/revoke")
                .then()
                .statusCode(200)
                .body("message", equalTo("token revoked successfully"));
        client("flow-secret-sixteen")
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refresh)
                .post(BASE + "/oauth/token")
                .then()
                .statusCode(403)
                .body("error", equalTo("invalid_grant"));
        given().contentType("application/x-www-form-urlencoded")
                .formParam("client_id", "flow-client")
                .post(BASE + "/oauth/revoke_all")
                .then()
                .statusCode(401)
                .body("message", equalTo("client_secret is required"));
        given().contentType("application/x-www-form-urlencoded")
                .formParam("client_id", "flow-client")
                .formParam("client_secret", "wrong")
                .post(BASE + "/oauth/revoke_all")
                .then()
                .statusCode(401)
                .body("message", equalTo("client secret is wrong"));
        given().contentType("application/x-www-form-urlencoded")
                .formParam("client_id", "nobody")
                .formParam("client_secret", "x")
                .post(BASE + "/oauth/revoke_all")
                .then()
                .statusCode(404)
                .body("message", equalTo("error getting oauth client"));
        given().contentType("application/x-www-form-urlencoded")
                .formParam("client_id", "flow-client")
                .formParam("client_secret", "flow-secret-sixteen")
                .post(BASE + "/oauth/revoke_all")
                .then()
                .statusCode(200)
                .body("message", equalTo("tokens revoked successfully"));
        admin().get("/tyk/oauth/clients/oauth-api-1/flow-client/tokens")
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void clientCredentialsIssueAnAccessTokenOnly() {
        client("flow-secret-sixteen")
                .formParam("grant_type", "client_credentials")
                .post(BASE + "/oauth/token")
                .then()
                .statusCode(200)
                .body("access_token", org.hamcrest.Matchers.notNullValue())
                .body("refresh_token", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void theImplicitFlowPutsTheTokenInTheFragment() {
        String body =
                admin().contentType("application/x-www-form-urlencoded")
                        .formParam("response_type", "token")
                        .formParam("client_id", "flow-client")
                        .formParam("redirect_uri", CALLBACK)
                        .post(BASE + "/tyk/oauth/authorize-client")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        var json = JsonPath.from(body);
        assertEquals("bearer", json.getString("token_type"));
        assertTrue(json.getString("redirect_to").startsWith(CALLBACK + "#access_token="), body);
    }

    @Test
    void osinErrors() {
        client("wrong-secret")
                .formParam("grant_type", "client_credentials")
                .post(BASE + "/oauth/token")
                .then()
                .statusCode(403)
                .body("error", equalTo("unauthorized_client"));
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .post(BASE + "/oauth/token")
                .then()
                .statusCode(403)
                .body("error", equalTo("invalid_request"))
                .header("X-Frame-Options", "DENY");
        client("flow-secret-sixteen")
                .formParam("grant_type", "implicit")
                .post(BASE + "/oauth/token")
                .then()
                .statusCode(403)
                .body("error", equalTo("unsupported_grant_type"));
        given().get(BASE + "/oauth/token")
                .then()
                .statusCode(403)
                .body("error", equalTo("invalid_request"));
        admin().contentType("application/x-www-form-urlencoded")
                .formParam("response_type", "code")
                .formParam("client_id", "flow-client")
                .formParam("redirect_uri", "http://app.example/cb/../evil")
                .post(BASE + "/tyk/oauth/authorize-client")
                .then()
                .statusCode(403)
                .body("error", equalTo("invalid_request"));
        admin().contentType("application/x-www-form-urlencoded")
                .formParam("response_type", "code")
                .formParam("client_id", "no-such-client")
                .post(BASE + "/tyk/oauth/authorize-client")
                .then()
                .statusCode(403)
                .body("error", equalTo("server_error"));
    }

    @Test
    void tokensAreListedByHashAndNeverPublishedOrStoredRaw() {
        String access =
                client("flow-secret-sixteen")
                        .formParam("grant_type", "client_credentials")
                        .post(BASE + "/oauth/token")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("access_token");
        List<String> codes =
                admin().get("/tyk/oauth/clients/oauth-api-1/flow-client/tokens")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("code");
        assertTrue(codes.contains(TykKeys.keyHash(access)), codes.toString());
        String topic = TopicRecords.all(Topics.OAUTH_TOKENS.name()).toString();
        assertFalse(topic.contains(access), "raw token on gatehouse.oauth-tokens");
        assertFalse(
                topic.contains("flow-secret-sixteen"), "client secret on gatehouse.oauth-tokens");
    }
}

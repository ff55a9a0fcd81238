package gatehouse.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.keys.BasicAuthPasswords;
import gatehouse.contracts.keys.TykKeys;
import gatehouse.gateway.EchoOwnersResource;
import gatehouse.gateway.KeysOwnerStub;
import gatehouse.gateway.state.RoutingTableHolder;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import gatehouse.testsupport.TykRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Keyed APIs through the full HTTP stack: every key error text, row by row, and the limits (COMPAT
 * §7).
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class KeyedRowsTest {

    private static boolean published;

    @Inject gatehouse.gateway.keys.KeyRegistry keyRegistry;

    @Inject RoutingTableHolder tables;

    @Inject io.micrometer.core.instrument.MeterRegistry meters;

    private static String api(String id, String extra) {
        return """
                {"api_id":"%s","name":"API %s","org_id":"default","use_keyless":false,%s
                 "proxy":{"listen_path":"/%s/","target_url":"%s"}}"""
                .formatted(id, id, extra, id, EchoOwnersResource.url());
    }

    private static Map<String, String> apis() {
        return Map.of(
                "k-token", api("k-token", ""),
                "k-param",
                        api(
                                "k-param",
                                """
                        "strip_auth_data":true,"auth_configs":{"authToken":{"use_param":true,"param_name":"api_key",
                        "use_cookie":true,"cookie_name":"session"}},"""),
                "k-versioned",
                        api(
                                "k-versioned",
                                """
                        "definition":{"location":"header","key":"x-api-version"},
                        "version_data":{"not_versioned":false,"versions":{"v1":{"name":"v1"},"v2":{"name":"v2"}}},"""),
                "k-urls", api("k-urls", ""),
                "k-quota", api("k-quota", ""),
                "k-rate", api("k-rate", ""),
                "k-basic", api("k-basic", "\"use_basic_auth\":true,"),
                "k-oauth", api("k-oauth", "\"use_oauth2\":true,"));
    }

    private static final String RIGHTS =
            """
            "access_rights":{"k-token":{"api_id":"k-token","versions":["Default"]},
              "k-param":{"api_id":"k-param","versions":["Default"]},
              "k-versioned":{"api_id":"k-versioned","versions":["v1"]},
              "k-urls":{"api_id":"k-urls","versions":["Default"],"allowed_urls":[{"url":"^/k-urls/allowed","methods":["GET"]}]}}""";

    private static void publishApis() {
        for (var api : apis().entrySet()) {
            TopicRecords.publish(
                    Topics.APIS.name(),
                    new EventEnvelope(
                            UUID.randomUUID().toString(),
                            "/test",
                            EventTypes.API_UPSERTED,
                            api.getKey(),
                            Instant.now(),
                            "test",
                            null,
                            System.currentTimeMillis(),
                            api.getValue().replace("\n", "")));
        }
    }

    @BeforeEach
    void publishApisAndKeysOnce() {
        if (published) {
            return;
        }
        publishApis();
        KeysOwnerStub.publish("key-valid-0001", "{\"org_id\":\"default\"," + RIGHTS + "}");
        KeysOwnerStub.publish(
                "key-inactive-01", "{\"org_id\":\"default\",\"is_inactive\":true," + RIGHTS + "}");
        KeysOwnerStub.publish(
                "key-expired-001", "{\"org_id\":\"default\",\"expires\":1000," + RIGHTS + "}");
        KeysOwnerStub.publish(
                "key-other-api-1",
                "{\"org_id\":\"default\",\"access_rights\":{\"other\":{\"api_id\":\"other\"}}}");
        KeysOwnerStub.publish(
                "key-bad-policy1",
                "{\"org_id\":\"default\",\"apply_policies\":[\"no-such-policy\"]}");
        KeysOwnerStub.publish("key-master-0001", "{\"org_id\":\"default\",\"access_rights\":{}}");
        KeysOwnerStub.publish(
                "key-quota-0001",
                """
                {"org_id":"default","quota_max":2,"quota_renewal_rate":3600,
                 "access_rights":{"k-quota":{"api_id":"k-quota","versions":["Default"]}}}""");
        KeysOwnerStub.publish(
                TykKeys.generate("default", "alice", "murmur64"),
                """
                {"org_id":"default","basic_auth_data":{"password":"%s","hash_type":"bcrypt"},
                 "access_rights":{"k-basic":{"api_id":"k-basic","versions":["Default"]}}}"""
                        .formatted(BasicAuthPasswords.hash("wonderland", "bcrypt")));
        String oauthRights =
                "\"access_rights\":{\"k-oauth\":{\"api_id\":\"k-oauth\",\"versions\":[\"Default\"]}}";
        KeysOwnerStub.publishToken(
                "token-valid-0001",
                "{\"org_id\":\"default\",\"oauth_client_id\":\"c1\"," + oauthRights + "}");
        KeysOwnerStub.publishToken(
                "token-expired-01",
                "{\"org_id\":\"default\",\"oauth_client_id\":\"c1\",\"expires\":1000,"
                        + oauthRights
                        + "}");
        KeysOwnerStub.publishToken(
                "token-revoked-01",
                "{\"org_id\":\"default\",\"oauth_client_id\":\"c-gone\"," + oauthRights + "}");
        KeysOwnerStub.publish("key-for-oauth-1", "{\"org_id\":\"default\"," + oauthRights + "}");
        KeysOwnerStub.deleteClient("k-oauth", "c-gone");
        KeysOwnerStub.holdBack("key-held-back-1", "{\"org_id\":\"default\"," + RIGHTS + "}");
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                apis().keySet().stream()
                                                .allMatch(id -> tables.current().api(id) != null)
                                        && given().header("Authorization", "key-valid-0001")
                                                        .get("/k-token/x")
                                                        .statusCode()
                                                == 200
                                        && keyRegistry.size() >= 12
                                        && given().header(
                                                        "Authorization", "Bearer token-revoked-01")
                                                .get("/k-oauth/x")
                                                .asString()
                                                .contains("revoked"));
        published = true;
    }

    @ParameterizedTest(name = "{0} {1} [{2}] -> {3}")
    @CsvFileSource(
            resources = "/compat/keyed.csv",
            delimiter = '|',
            quoteCharacter = '`',
            numLinesToSkip = 1,
            nullValues = {})
    void row(String method, String path, String headers, int status, String expected) {
        TykRows.check(method, path, "no", headers, null, status, expected);
    }

    @Test
    void basicAuthAsksForCredentialsInTheApisRealm() {
        given().get("/k-basic/x")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"API k-basic\"");
    }

    @Test
    void credentialsAreStrippedBeforeTheUpstreamWhenAsked() {
        given().get("/k-param/x?api_key=key-valid-0001&keep=1")
                .then()
                .statusCode(200)
                .body(not(containsString("key-valid-0001")))
                .body(containsString("keep=1"));
        given().header("Authorization", "key-valid-0001")
                .get("/k-token/x")
                .then()
                .statusCode(200)
                .body(containsString("key-valid-0001"));
    }

    @Test
    void quotaHeadersCountDown() {
        KeysOwnerStub.publish(
                "key-quota-hdr1",
                """
                {"org_id":"default","quota_max":5,"quota_renewal_rate":3600,
                 "access_rights":{"k-quota":{"api_id":"k-quota","versions":["Default"]}}}""");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                given().header("Authorization", "key-quota-hdr1")
                                                .get("/k-quota/x")
                                                .statusCode()
                                        == 200);
        var response =
                given().header("Authorization", "key-quota-hdr1")
                        .get("/k-quota/x")
                        .then()
                        .statusCode(200)
                        .header("X-RateLimit-Limit", "5")
                        .header("X-RateLimit-Remaining", "3")
                        .extract();
        long reset = Long.parseLong(response.header("X-RateLimit-Reset"));
        assertTrue(
                reset > Instant.now().getEpochSecond() + 3500,
                "the quota renews in an hour: " + reset);
    }

    @Test
    void keyRateLimitRefusesWithTyksText() {
        KeysOwnerStub.publish(
                "key-rate-00001",
                """
                {"org_id":"default","rate":2,"per":600,
                 "access_rights":{"k-rate":{"api_id":"k-rate","versions":["Default"]}}}""");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                given().header("Authorization", "key-rate-00001")
                                                .get("/k-rate/x")
                                                .statusCode()
                                        != 403);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(
                    given().header("Authorization", "key-rate-00001")
                            .get("/k-rate/x")
                            .statusCode());
        }
        // two per 600 s shared by the live nodes: the first request took one, so a 429 comes
        // quickly
        assertTrue(statuses.contains(429), statuses.toString());
        given().header("Authorization", "key-rate-00001")
                .get("/k-rate/x")
                .then()
                .statusCode(429)
                .body(equalTo("{\n    \"error\": \"Rate Limit Exceeded\"\n}"));
    }

    @Test
    void aDeletedKeyIsRefusedAndAKeysServiceOutageIsA503() {
        KeysOwnerStub.publish("key-deleted-01", "{\"org_id\":\"default\"," + RIGHTS + "}");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                given().header("Authorization", "key-deleted-01")
                                                .get("/k-token/x")
                                                .statusCode()
                                        == 200);
        KeysOwnerStub.delete("key-deleted-01");
        await().atMost(Duration.ofSeconds(2))
                .until(
                        () ->
                                given().header("Authorization", "key-deleted-01")
                                                .get("/k-token/x")
                                                .statusCode()
                                        == 403);
        KeysOwnerStub.down(true);
        try {
            given().header("Authorization", "key-never-seen-1")
                    .get("/k-token/x")
                    .then()
                    .statusCode(503)
                    .body(containsString("owner service is unavailable"));
            // a known key is still served from memory
            given().header("Authorization", "key-valid-0001")
                    .get("/k-token/x")
                    .then()
                    .statusCode(200);
        } finally {
            KeysOwnerStub.down(false);
        }
    }

    @Test
    void concurrentRequestsWithANewKeyShareOneLookUp() throws Exception {
        KeysOwnerStub.holdBack("key-coalesced-1", "{\"org_id\":\"default\"," + RIGHTS + "}");
        var joined = meters.counter("gatehouse.keys.lookup.coalesced", "owner", "keys-service");
        double joinedBefore = joined.count();
        int before = KeysOwnerStub.lookups();
        KeysOwnerStub.hold();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var answers = new ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 8; i++) {
                answers.add(
                        pool.submit(
                                () ->
                                        given().header("Authorization", "key-coalesced-1")
                                                .get("/k-token/x")
                                                .statusCode()));
            }
            // while keys-service is slow, the other seven requests join the first one's look-up
            await().atMost(Duration.ofSeconds(10)).until(() -> joined.count() - joinedBefore >= 7);
            KeysOwnerStub.release();
            for (var answer : answers) {
                assertEquals(200, answer.get());
            }
        } finally {
            KeysOwnerStub.release();
            pool.shutdownNow();
        }
        assertEquals(1, KeysOwnerStub.lookups() - before, "eight concurrent requests, one look-up");
    }

    @Test
    void unknownKeysAreLookedUpOnceWithinTheNegativeCache() {
        int before = KeysOwnerStub.lookups();
        for (int i = 0; i < 20; i++) {
            given().header("Authorization", "key-invented-42")
                    .get("/k-token/x")
                    .then()
                    .statusCode(403);
        }
        assertEquals(
                1,
                KeysOwnerStub.lookups() - before,
                "one look-up for twenty requests within a second");
    }
}

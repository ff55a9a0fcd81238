package gatehouse.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.contracts.keys.KeyDigest;
import gatehouse.contracts.keys.TykKeys;
import gatehouse.contracts.keys.UsageDelta;
import gatehouse.contracts.tyk.TykJson;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Keys with generated ids: creation, look-ups by key and by hash, quota counting, and no raw key at
 * rest.
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "keys"))
class KeyResourceTest {

    private static final KeyDigest DIGEST =
            KeyDigest.fromSecrets(null, GatehouseTestResource.ADMIN_SECRET);
    private static final String RIGHTS =
            "\"access_rights\":{\"api1\":{\"api_id\":\"api1\",\"versions\":[\"Default\"]}}";

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    java.util.Optional<String> dbPassword;

    private static RequestSpecification admin() {
        return given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET);
    }

    private static String create(String body) {
        return admin().body(body)
                .post("/tyk/keys/create")
                .then()
                .statusCode(200)
                .body("status", equalTo("ok"))
                .body("action", equalTo("added"))
                .extract()
                .path("key");
    }

    @Test
    void aGeneratedKeyIsTheBase64FormWithItsTykHash() {
        String key = create("{\"org_id\":\"org1\",\"quota_max\":10," + RIGHTS + "}");
        assertEquals("org1", TykKeys.orgOf(key));
        assertEquals("murmur64", TykKeys.hashAlgorithmOf(key));
        String hash =
                admin().body("{\"org_id\":\"org1\"," + RIGHTS + "}")
                        .put("/tyk/keys/" + key)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("key");
        assertEquals(key, hash);
        String keyHash = TykKeys.keyHash(key);
        assertEquals(16, keyHash.length());
        admin().get("/tyk/keys/" + keyHash + "?hashed=1")
                .then()
                .statusCode(200)
                .body("org_id", equalTo("org1"));
        admin().get("/tyk/keys/" + keyHash).then().statusCode(404);
    }

    @Test
    void deletingForEveryApiAnswersNull() {
        String key = create("{\"org_id\":\"org1\"," + RIGHTS + "}");
        String body =
                admin().delete("/tyk/keys/" + key + "?api_id=-1")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertEquals("null\n", body);
        admin().get("/tyk/keys/" + key).then().statusCode(404);
    }

    @Test
    void policiesAreAttachedByHash() {
        KeyFixtures.publishPolicy(
                "pol-attach",
                "{\"id\":\"pol-attach\",\"org_id\":\"org1\",\"quota_max\":77,"
                        + "\"access_rights\":{\"api7\":{\"api_id\":\"api7\",\"versions\":[\"Default\"]}}}");
        String key = create("{\"org_id\":\"org1\"," + RIGHTS + "}");
        String hash = TykKeys.keyHash(key);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                admin().body("{\"policy\":\"pol-attach\"}")
                                                .post("/tyk/keys/policy/" + hash)
                                                .statusCode()
                                        == 200);
        admin().get("/tyk/keys/" + key)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body("apply_policies", equalTo(List.of("pol-attach")))
                .body("access_rights.api7.versions", equalTo(List.of("Default")))
                .body("quota_max", equalTo(77));
    }

    @Test
    void usageDeltasAreCountedOnceAndShownAsRemainingQuota() {
        String key =
                create(
                        "{\"org_id\":\"org1\",\"quota_max\":100,\"quota_renewal_rate\":3600,"
                                + RIGHTS
                                + "}");
        String digest = DIGEST.of(key);
        // when two gateways report usage
        publishUsage(digest, new UsageDelta("gw-a", "", 7, 3600));
        publishUsage(digest, new UsageDelta("gw-b", "", 5, 3600));
        // then the control API shows what remains, and gatehouse.keys carries the count
        awaitQuotaRemaining(key, 88);
        // (the count goes out within the publication interval)
        awaitLatestKeyRecordContaining(digest, "\"used\":12");
        // a PUT with suppress_reset=1 keeps the count and the period
        admin().body(
                        "{\"org_id\":\"org1\",\"quota_max\":100,\"quota_renewal_rate\":3600,"
                                + RIGHTS
                                + "}")
                .put("/tyk/keys/" + key + "?suppress_reset=1")
                .then()
                .statusCode(200);
        admin().get("/tyk/keys/" + key).then().body("quota_remaining", equalTo(88));
        // a PUT without suppress_reset starts the quota afresh
        admin().body(
                        "{\"org_id\":\"org1\",\"quota_max\":100,\"quota_renewal_rate\":3600,"
                                + RIGHTS
                                + "}")
                .put("/tyk/keys/" + key)
                .then()
                .statusCode(200);
        admin().get("/tyk/keys/" + key).then().body("quota_remaining", equalTo(100));
    }

    @Test
    void aCertificateBoundKeyIsNamedByItsCertificateAndStaysBound() {
        String certificate = "org1" + "ab".repeat(32);
        String body =
                "{\"org_id\":\"org1\",\"certificate\":\"" + certificate + "\"," + RIGHTS + "}";
        String key = create(body);
        assertEquals(
                gatehouse.contracts.keys.TykKeys.generate("org1", certificate, "murmur64"), key);
        // one key per certificate
        admin().body(body)
                .post("/tyk/keys/create")
                .then()
                .statusCode(500)
                .body("status", equalTo("error"))
                .body(
                        "message",
                        equalTo(
                                "Failed to create key - Key with given certificate already found:"
                                        + key));
        // an update keeps it bound, to a certificate in the store
        admin().body("{\"org_id\":\"org1\"," + RIGHTS + "}")
                .put("/tyk/keys/" + key)
                .then()
                .statusCode(400)
                .body("message", equalTo("Key cannot be used without a certificate"));
        admin().body(body.replace(certificate, "org1" + "cd".repeat(32)))
                .put("/tyk/keys/" + key)
                .then()
                .statusCode(400)
                .body("message", equalTo("Key must be used with an existent certificate"));
        admin().body(body).put("/tyk/keys/" + key).then().statusCode(200);
        admin().get("/tyk/keys/" + key)
                .then()
                .statusCode(200)
                .body("certificate", equalTo(certificate));
    }

    @Test
    void aBurstOfDeltasIsCountedWholeAndPublishedAsFewerCounts() {
        String key =
                create(
                        "{\"org_id\":\"org1\",\"quota_max\":1000,\"quota_renewal_rate\":3600,"
                                + RIGHTS
                                + "}");
        String digest = DIGEST.of(key);
        int deltas = 30;
        for (int i = 0; i < deltas; i++) {
            publishUsage(digest, new UsageDelta("gw-" + (i % 3), "", 1, 3600));
        }
        // every delta is counted in the database at once
        awaitQuotaRemaining(key, 1000 - deltas);
        // and the latest count reaches gatehouse.keys, held back ones included
        awaitLatestKeyRecordContaining(digest, "\"used\":" + deltas);
        // in far fewer publications than deltas (at most one per interval, plus the held-back one)
        long counts =
                TopicRecords.withKey(Topics.KEYS.name(), digest).stream()
                        .filter(record -> record.value().contains("\"used\":"))
                        .count();
        assertTrue(counts <= deltas / 3, counts + " publications of counts for " + deltas);
    }

    private static void awaitQuotaRemaining(String key, int remaining) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                admin().get("/tyk/keys/" + key)
                                        .then()
                                        .statusCode(200)
                                        .body("quota_remaining", equalTo(remaining)));
    }

    private static void awaitLatestKeyRecordContaining(String digest, String text) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            var last =
                                    TopicRecords.withKey(Topics.KEYS.name(), digest).stream()
                                            .reduce((a, b) -> b)
                                            .orElseThrow();
                            assertTrue(last.value().contains(text), last.value());
                        });
    }

    private static void publishUsage(String digest, UsageDelta delta) {
        TopicRecords.publish(
                Topics.USAGE.name(),
                new EventEnvelope(
                        UUID.randomUUID().toString(),
                        "/gatehouse/gateway",
                        EventTypes.USAGE_RECORDED,
                        digest,
                        Instant.now(),
                        "test",
                        "test",
                        1,
                        TykJson.encode(delta).stripTrailing()));
    }

    @Test
    void noRawKeyOrPasswordIsStoredOrPublished() throws Exception {
        // given 100 keys, one of them a basic-auth user
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(create("{\"org_id\":\"org1\"," + RIGHTS + "}"));
        }
        admin().body(
                        "{\"org_id\":\"org1\",\"basic_auth_data\":{\"password\":\"s3cret-Passw0rd\"},"
                                + RIGHTS
                                + "}")
                .post("/tyk/keys/basic-user-1")
                .then()
                .statusCode(200)
                .body("key", equalTo(""));
        // an HMAC key, whose hmac_string Tyk makes, and a key with a per-key JWT secret
        String signing = create("{\"org_id\":\"org1\",\"hmac_enabled\":true," + RIGHTS + "}");
        String hmacString =
                admin().get("/tyk/keys/" + signing)
                        .then()
                        .statusCode(200)
                        .body("hmac_enabled", equalTo(true))
                        .extract()
                        .path("hmac_string");
        assertTrue(
                new String(java.util.Base64.getDecoder().decode(hmacString))
                        .matches("[0-9a-f]{32}"),
                "Tyk's hmac_string: base64 of a UUID's hex: " + hmacString);
        String jwtKey =
                create(
                        "{\"org_id\":\"org1\",\"jwt_data\":{\"secret\":\"per-key-jwt-secret-42\"},"
                                + RIGHTS
                                + "}");
        admin().get("/tyk/keys/" + jwtKey)
                .then()
                .statusCode(200)
                .body("jwt_data.secret", equalTo("per-key-jwt-secret-42"));
        admin().body("{\"org_id\":\"org1\",\"hmac_enabled\":true," + RIGHTS + "}")
                .put("/tyk/keys/" + signing)
                .then()
                .statusCode(200);
        admin().get("/tyk/keys/" + signing)
                .then()
                .statusCode(200)
                .body("hmac_string", equalTo(hmacString));
        // when the database and the topic are dumped
        StringBuilder dump = new StringBuilder();
        try (var connection = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword.orElse(""));
                var tables =
                        connection
                                .createStatement()
                                .executeQuery(
                                        "select table_name from information_schema.tables where table_schema = 'public'")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String table : names) {
                try (var rows =
                        connection
                                .createStatement()
                                .executeQuery("select t::text from \"" + table + "\" t")) {
                    while (rows.next()) {
                        dump.append(rows.getString(1)).append('\n');
                    }
                }
            }
        }
        String database = dump.toString();
        StringBuilder topic = new StringBuilder();
        for (var record : TopicRecords.all(Topics.KEYS.name())) {
            topic.append(record.key()).append(' ').append(record.value()).append('\n');
            record.headers().forEach(h -> topic.append(new String(h.value())).append('\n'));
        }
        String published = topic.toString();
        // then neither holds a key nor the password; both hold the digests
        assertTrue(database.contains(DIGEST.of(keys.get(0))));
        assertTrue(published.contains(DIGEST.of(keys.get(99))));
        for (String key : keys) {
            assertFalse(database.contains(key), "raw key in the database");
            assertFalse(published.contains(key), "raw key on gatehouse.keys");
        }
        assertFalse(database.contains("s3cret-Passw0rd"));
        for (String secret : List.of(hmacString, "per-key-jwt-secret-42")) {
            assertFalse(database.contains(secret), "a session secret in the database");
            assertFalse(published.contains(secret), "a session secret on gatehouse.keys");
        }
        assertTrue(database.contains(gatehouse.contracts.keys.SessionSecrets.SEALED));
        assertFalse(published.contains("s3cret-Passw0rd"));
        assertTrue(database.contains("$2a$10$"), "the password is kept as its bcrypt hash");
    }
}

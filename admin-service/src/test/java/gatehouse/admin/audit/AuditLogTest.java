package gatehouse.admin.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gatehouse.testsupport.GatehouseTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The audit log end to end in admin-service: each committed change is one chained entry with actor,
 * address, request id and diff; a refused call is an entry without its body; the state at an
 * instant is rebuilt from the topic; the chain verifies against a signed checkpoint.
 */
@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "admin"))
class AuditLogTest {

    private static final String SECRET = GatehouseTestResource.ADMIN_SECRET;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String api(String id, String name) {
        return """
                {"api_id":"%s","name":"%s","use_keyless":true,
                 "proxy":{"listen_path":"/%s/","target_url":"http://127.0.0.1:9/"}}"""
                .formatted(id, name, id);
    }

    private static JsonNode get(String path) throws Exception {
        String body =
                given().header("x-tyk-authorization", SECRET)
                        .get(path)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        return JSON.readTree(body);
    }

    @Test
    void everyCommittedChangeIsOneChainedEntryAndTheStateAtAnInstantIsRebuilt() throws Exception {
        given().header("x-tyk-authorization", SECRET)
                .header("X-Forwarded-For", "203.0.113.9")
                .header("X-Request-Id", "req-audit-create")
                .body(api("audited", "first"))
                .post("/tyk/apis")
                .then()
                .statusCode(200);
        given().header("x-tyk-authorization", SECRET)
                .body(api("audited", "second"))
                .put("/tyk/apis/audited")
                .then()
                .statusCode(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                get("/tyk/audit/events?resource_id=audited").get("total").asInt()
                                        == 2);
        Instant between = Instant.now();
        given().header("x-tyk-authorization", SECRET)
                .delete("/tyk/apis/audited")
                .then()
                .statusCode(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                get("/tyk/audit/events?resource_id=audited").get("total").asInt()
                                        == 3);

        JsonNode events =
                get("/tyk/audit/events?resource_type=api&resource_id=audited").get("events");
        assertEquals("delete", events.get(0).get("action").asText());
        assertEquals("update", events.get(1).get("action").asText());
        JsonNode created = events.get(2);
        assertEquals("create", created.get("action").asText());
        assertEquals("admin-secret", created.get("actor").asText());
        assertEquals("x-tyk-authorization", created.get("auth_method").asText());
        assertEquals("203.0.113.9", created.get("address").asText());
        assertEquals("req-audit-create", created.get("request_id").asText());
        assertEquals("admin-service", created.get("owner").asText());
        assertEquals(1, created.get("version").asLong());
        JsonNode update = events.get(1);
        assertEquals(2, update.get("version").asLong());
        assertEquals(
                JSON.readTree("[{\"path\":\"/name\",\"before\":\"first\",\"after\":\"second\"}]"),
                update.get("diff"));
        // chained: each entry names the one before it from this owner
        assertEquals(update.get("hash").asText(), events.get(0).get("prev").asText());
        assertEquals(update.get("seq").asLong() + 1, events.get(0).get("seq").asLong());

        JsonNode then = get("/tyk/audit/state?at=" + between);
        assertEquals("second", then.get("apis").get("audited").get("name").asText());
        assertFalse(get("/tyk/audit/state").get("apis").has("audited"));
        JsonNode before = get("/tyk/audit/state?at=" + created.get("time").asText());
        assertEquals("first", before.get("apis").get("audited").get("name").asText());
    }

    @Test
    void aRefusedCallIsRecordedWithoutItsBody() throws Exception {
        given().header("X-Request-Id", "req-audit-refused")
                .body(api("refused-one", "never"))
                .post("/tyk/apis")
                .then()
                .statusCode(403);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                get("/tyk/audit/events?outcome=refused&resource_id=req-audit-refused")
                                                .get("total")
                                                .asInt()
                                        == 1);
        JsonNode refused =
                get("/tyk/audit/events?outcome=refused&resource_id=req-audit-refused")
                        .get("events")
                        .get(0);
        assertEquals("POST", refused.get("action").asText());
        assertEquals(403, refused.get("status").asInt());
        assertEquals("anonymous", refused.get("actor").asText());
        assertEquals("none", refused.get("auth_method").asText());
        assertEquals("/tyk/apis", refused.get("path").asText());
        assertFalse(refused.toString().contains("never"), "the body stays out of the log");
        // a read that finds nothing is not an attempt
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/apis/nothing-here")
                .then()
                .statusCode(404);
        given().header("x-tyk-authorization", SECRET)
                .header("X-Request-Id", "req-audit-404")
                .get("/tyk/apis/nothing-here")
                .then()
                .statusCode(404);
        assertEquals(0, get("/tyk/audit/events?resource_id=req-audit-404").get("total").asInt());
    }

    @Test
    void theChainVerifiesAgainstASignedCheckpoint() throws Exception {
        given().header("x-tyk-authorization", SECRET)
                .body(api("checkpointed", "c"))
                .post("/tyk/apis")
                .then()
                .statusCode(200);
        JsonNode checkpoint =
                JSON.readTree(
                        given().header("x-tyk-authorization", SECRET)
                                .post("/gatehouse/audit/checkpoints")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString());
        long seq = checkpoint.get("seq").asLong();
        assertTrue(seq > 0);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                lastSeq(get("/tyk/audit/verify"), checkpoint.get("chain").asText())
                                        >= seq);
        JsonNode report = get("/tyk/audit/verify");
        assertEquals("intact", report.get("status").asText(), report::toString);
        assertTrue(report.get("checkpoints_checked").asInt() >= 1);
        assertEquals(
                seq,
                report.get("owners")
                        .get("admin-service/" + checkpoint.get("chain").asText())
                        .get("checkpointed_seq")
                        .asLong());
        assertEquals(
                report.get("public_key").asText(),
                get("/tyk/audit/public-key").get("public_key").asText());
    }

    private static long lastSeq(JsonNode report, String chain) {
        return report.get("owners").path("admin-service/" + chain).path("last_seq").asLong();
    }

    /** The median time of 300 API updates (after 50 to warm up). */
    static double writeP50(String id) {
        given().header("x-tyk-authorization", SECRET)
                .body(api(id, "w"))
                .post("/tyk/apis")
                .then()
                .statusCode(200);
        long[] times = new long[300];
        for (int i = -50; i < times.length; i++) {
            long began = System.nanoTime();
            given().header("x-tyk-authorization", SECRET)
                    .body(api(id, "w" + i))
                    .put("/tyk/apis/" + id)
                    .then()
                    .statusCode(200);
            if (i >= 0) {
                times[i] = System.nanoTime() - began;
            }
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2] / 1e6;
    }

    @Test
    void anAdminWritesP50WithTheJournalOn() {
        System.out.printf("[measure] admin write p50 with audit: %.2f ms%n", writeP50("p50-on"));
    }

    @Test
    void badInstantsAreRefusedWithAClearMessage() {
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/audit/state?at=yesterday")
                .then()
                .statusCode(400)
                .body(
                        org.hamcrest.Matchers.equalTo(
                                "{\"status\":\"error\",\"message\":\"at must be an ISO-8601 instant, e.g. 2026-12-02T10:00:00Z\"}\n"));
        given().get("/tyk/audit/events").then().statusCode(403);
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/audit?page_size=1")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("\"events\":["));
    }
}

package gatehouse.admin.apis;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gatehouse.contracts.events.Topics;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TopicRecords;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "admin"))
class ApiDefinitionResourceTest {

    private static final String SECRET = GatehouseTestResource.ADMIN_SECRET;
    private static final String DENIED =
            "{\"status\":\"error\",\"message\":\"Attempted administrative access with invalid or missing key!\"}\n";

    private static String keyless(String apiId, String listenPath) {
        return """
                {"api_id":"%s","name":"Echo <test>","use_keyless":true,"custom_field":{"kept":true},
                 "proxy":{"listen_path":"%s","target_url":"http://127.0.0.1:9/","strip_listen_path":true}}"""
                .formatted(apiId, listenPath);
    }

    @Test
    void aMissingOrWrongSecretIsRefusedWithTyksBody() {
        given().body(keyless("a-denied", "/denied/"))
                .post("/tyk/apis")
                .then()
                .statusCode(403)
                .contentType("application/json")
                .body(equalTo(DENIED));
        given().header("X-Tyk-Authorization", SECRET + "x")
                .get("/tyk/apis")
                .then()
                .statusCode(403)
                .body(equalTo(DENIED));
        given().get("/tyk/no-such-endpoint").then().statusCode(403).body(equalTo(DENIED));
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/apis/a-denied")
                .then()
                .statusCode(404)
                .body(equalTo("{\"status\":\"error\",\"message\":\"API not found\"}\n"));
    }

    @Test
    void anUnknownControlPathIsGoMuxPlainText404() {
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/no-such-endpoint")
                .then()
                .statusCode(404)
                .body(equalTo("404 page not found\n"));
    }

    @Test
    void badInputGetsTyksErrorAndChangesNothing() {
        int before = apiCount();
        long eventsBefore = TopicRecords.all(Topics.APIS.name()).size();
        for (String body :
                List.of(
                        "",
                        "{not json",
                        "[1,2]",
                        "{\"api_id\":\"../etc\",\"proxy\":{\"listen_path\":\"/x/\",\"target_url\":\"http://u/\"}}",
                        "{\"api_id\":\"no-path\",\"proxy\":{\"target_url\":\"http://u/\"}}")) {
            var response =
                    given().header("x-tyk-authorization", SECRET)
                            .body(body)
                            .post("/tyk/apis")
                            .then()
                            .statusCode(400)
                            .extract()
                            .asString();
            assertTrue(response.startsWith("{\"status\":\"error\",\"message\":\""), response);
            assertTrue(response.endsWith("\"}\n"), response);
        }
        given().header("x-tyk-authorization", SECRET)
                .body("{not json")
                .post("/tyk/apis")
                .then()
                .body(equalTo("{\"status\":\"error\",\"message\":\"Request malformed\"}\n"));
        given().header("x-tyk-authorization", SECRET)
                .body("{\"api_id\":\"%2e%2e\"}")
                .post("/tyk/apis")
                .then()
                .body(equalTo("{\"status\":\"error\",\"message\":\"Invalid API ID\"}\n"));
        assertEquals(before, apiCount());
        assertEquals(eventsBefore, TopicRecords.all(Topics.APIS.name()).size());
    }

    @Test
    void aCreatedApiIsReadableAtOnceAndPublishedAsACloudEvent() {
        // when
        given().header("x-tyk-authorization", SECRET)
                .header("X-Request-Id", "req-42")
                .body(keyless("a-created", "/created/"))
                .post("/tyk/apis/")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body(equalTo("{\"key\":\"a-created\",\"status\":\"ok\",\"action\":\"added\"}\n"));

        // then the document comes back as sent, unknown fields included
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/apis/a-created/")
                .then()
                .statusCode(200)
                .body("custom_field.kept", equalTo(true))
                .body("name", equalTo("Echo <test>"))
                .body("proxy.listen_path", equalTo("/created/"));

        // and one event for it is on gatehouse.apis, with the CloudEvents attributes
        ConsumerRecord<String, String> event = awaitEvent("a-created", 1);
        assertEquals("io.gatehouse.api.upserted", TopicRecords.header(event, "ce_type"));
        assertEquals("req-42", TopicRecords.header(event, "ce_requestid"));
        assertEquals("/gatehouse/admin-service", TopicRecords.header(event, "ce_source"));
        assertTrue(event.value().contains("\"custom_field\":{\"kept\":true}"));

        // a second POST with the same id replaces it with the next version, as Tyk's POST
        // overwrites
        given().header("x-tyk-authorization", SECRET)
                .body(keyless("a-created", "/created-again/"))
                .post("/tyk/apis")
                .then()
                .statusCode(200);
        assertTrue(awaitEvent("a-created", 2).value().contains("/created-again/"));
    }

    @Test
    void anEmptyApiIdIsGeneratedAsTykDoes() {
        String key =
                given().header("x-tyk-authorization", SECRET)
                        .body(keyless("", "/generated/"))
                        .post("/tyk/apis")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("key");
        assertTrue(key.matches("[0-9a-f]{32}"), key);
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/apis/" + key)
                .then()
                .statusCode(200)
                .body("api_id", equalTo(key));
    }

    private static int apiCount() {
        return given().header("x-tyk-authorization", SECRET)
                .get("/tyk/apis")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$")
                .size();
    }

    private static ConsumerRecord<String, String> awaitEvent(String apiId, long version) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            for (var record : TopicRecords.all(Topics.APIS.name())) {
                if (apiId.equals(record.key())
                        && Long.toString(version)
                                .equals(TopicRecords.header(record, "ce_aggregateversion"))) {
                    return record;
                }
            }
        }
        throw new AssertionError("no event for " + apiId + " version " + version + " within 15 s");
    }
}

package gatehouse.gateway.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.gateway.EchoOwnersResource;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** {@code /tyk/health} with health checks switched on: Tyk's errors and figures (COMPAT §8). */
@QuarkusTest
@TestProfile(HealthCheckEnabledTest.Enabled.class)
class HealthCheckEnabledTest {

    public static class Enabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gatehouse.health-checks.enabled",
                    "true",
                    "gatehouse.health-checks.window",
                    "10s");
        }

        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(
                    new TestResourceEntry(GatehouseTestResource.class),
                    new TestResourceEntry(EchoOwnersResource.class));
        }
    }

    private static final String SECRET = GatehouseTestResource.ADMIN_SECRET;

    @Test
    void figuresAreCountedPerApiOverTheWindow() throws Exception {
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/health")
                .then()
                .statusCode(400)
                .body(equalTo("{\"status\":\"error\",\"message\":\"missing api_id parameter\"}\n"));
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/health?api_id=nope")
                .then()
                .statusCode(404)
                .body(equalTo("{\"status\":\"error\",\"message\":\"API ID not found\"}\n"));

        String data =
                """
                {"api_id":"hc","use_keyless":true,"global_rate_limit":{"rate":5,"per":60},
                 "proxy":{"listen_path":"/hc/","target_url":"%s"}}"""
                        .formatted(EchoOwnersResource.url());
        var record = new ProducerRecord<String, String>(Topics.APIS.name(), "hc", data);
        CloudEventCodec.headers(
                        new EventEnvelope(
                                UUID.randomUUID().toString(),
                                "/test",
                                EventTypes.API_UPSERTED,
                                "hc",
                                Instant.now(),
                                "test",
                                null,
                                1,
                                data))
                .forEach((k, v) -> record.headers().add(k, v));
        try (var producer =
                new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestInfrastructure.get().kafkaBootstrap()),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.send(record).get();
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().get("/hc/").then().statusCode(200));
        for (int i = 0; i < 9; i++) {
            given().get("/hc/");
        }
        // 10 requests, 5 let through (one when the route went live, four more), 5 throttled, in a
        // 10 s window
        given().header("x-tyk-authorization", SECRET)
                .get("/tyk/health?api_id=hc")
                .then()
                .statusCode(200)
                .body("average_requests_per_second", greaterThan(0.9f))
                .body("throttle_reqests_per_second", equalTo(0.5f))
                .body("key_failures_per_second", equalTo(0.0f))
                .body("average_upstream_latency", greaterThan(-1f));
    }
}

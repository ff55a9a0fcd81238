package gatehouse.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * With forwarded headers untrusted, a forged X-Real-IP does not get a client past an allow list.
 */
@QuarkusTest
@TestProfile(UntrustedForwardedHeadersTest.Untrusted.class)
class UntrustedForwardedHeadersTest {

    public static class Untrusted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.http.trust-forwarded-headers", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(GatehouseTestResource.class),
                    new TestResourceEntry(EchoOwnersResource.class));
        }
    }

    @Test
    void aForgedRealIpHeaderIsIgnored() throws Exception {
        String data =
                """
                {"api_id":"uf-ip","use_keyless":true,"enable_ip_whitelisting":true,"allowed_ips":["10.0.0.0/8"],
                 "proxy":{"listen_path":"/uf-ip/","target_url":"%s"}}"""
                        .formatted(EchoOwnersResource.url());
        var record = new ProducerRecord<String, String>(Topics.APIS.name(), "uf-ip", data);
        CloudEventCodec.headers(
                        new EventEnvelope(
                                UUID.randomUUID().toString(),
                                "/test",
                                EventTypes.API_UPSERTED,
                                "uf-ip",
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
        String refused = "{\n    \"error\": \"access from this IP has been disallowed\"\n}";
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                given().get("/uf-ip/x")
                                        .then()
                                        .statusCode(403)
                                        .body(equalTo(refused)));
        given().header("X-Real-IP", "10.1.2.3")
                .get("/uf-ip/x")
                .then()
                .statusCode(403)
                .body(equalTo(refused));
        given().header("X-Forwarded-For", "10.1.2.3").get("/uf-ip/x").then().statusCode(403);
    }
}

package gatehouse.gateway.state;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import gatehouse.contracts.events.CloudEventCodec;
import gatehouse.contracts.events.EventEnvelope;
import gatehouse.contracts.events.EventTypes;
import gatehouse.contracts.events.Topics;
import gatehouse.gateway.EchoOwnersResource;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(EchoOwnersResource.class)
class PolicyReplicationTest {

    @Inject PolicyHolder policies;

    @Inject StateReplicator replicator;

    private static void publish(String id, long version, String data) throws Exception {
        var record = new ProducerRecord<String, String>(Topics.POLICIES.name(), id, data);
        CloudEventCodec.headers(
                        new EventEnvelope(
                                UUID.randomUUID().toString(),
                                "/test",
                                data == null
                                        ? EventTypes.POLICY_DELETED
                                        : EventTypes.POLICY_UPSERTED,
                                id,
                                Instant.now(),
                                "test",
                                null,
                                version,
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
    }

    @Test
    void policiesAreReplicatedSurviveAReloadAndGoAwayWithTheirTombstone() throws Exception {
        publish("pr-gold", 1, "{\"id\":\"pr-gold\",\"rate\":100,\"per\":1}");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> policies.current().containsKey("pr-gold"));
        assertEquals(100, policies.current().get("pr-gold").get("rate").asInt());

        // an older version and a policy that does not match its key change nothing
        long malformed = replicator.malformedCount();
        publish("pr-gold", 1, "{\"id\":\"pr-gold\",\"rate\":1}");
        publish("pr-other", 1, "{\"id\":\"not-pr-other\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> replicator.malformedCount() > malformed);
        assertEquals(100, policies.current().get("pr-gold").get("rate").asInt());

        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                .get("/tyk/reload?block=true")
                .then()
                .statusCode(200);
        assertEquals(
                100,
                policies.current().get("pr-gold").get("rate").asInt(),
                "rebuilt from the topic");

        publish("pr-gold", 2, null);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !policies.current().containsKey("pr-gold"));
        assertFalse(policies.current().containsKey("pr-other"));
    }
}

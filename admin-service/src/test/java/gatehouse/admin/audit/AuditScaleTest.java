package gatehouse.admin.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gatehouse.contracts.audit.AuditChain;
import gatehouse.contracts.audit.AuditEvent;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What the audit log costs, measured: the state at an instant rebuilt from 100,000 entries ({@code
 * -Dgatehouse.audit.scale-entries}), and an admin write's p50 with the journal off (AuditLogTest
 * measures it on, in the same build).
 */
@QuarkusTest
@TestProfile(AuditScaleTest.ScratchTopicAuditOff.class)
@QuarkusTestResource(
        value = GatehouseTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "admin"))
class AuditScaleTest {

    // the profile and the test are loaded twice (two class loaders): one value per test JVM
    static final String TOPIC = "gatehouse.audit.scale-" + ProcessHandle.current().pid();
    private static final int ENTRIES = Integer.getInteger("gatehouse.audit.scale-entries", 100_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class ScratchTopicAuditOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.audit.topic", TOPIC, "gatehouse.audit.enabled", "false");
        }
    }

    @Test
    void theStateAtAnInstantIsRebuiltFrom100000EntriesInSeconds() throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        JsonNode document =
                JSON.readTree(
                        """
                        {"name":"api","use_keyless":true,"active":true,"org_id":"default",
                         "proxy":{"listen_path":"/api/","target_url":"http://upstream.internal:8080/","strip_listen_path":true},
                         "version_data":{"not_versioned":true,"versions":{"Default":{"name":"Default"}}}}""");
        String prev = AuditChain.GENESIS;
        // the test broker creates no topic on its own, as in production
        gatehouse.contracts.events.TopicProvisioner.ensure(
                TestInfrastructure.get().kafkaBootstrap(),
                java.util.List.of(
                        new gatehouse.contracts.events.Topic(
                                TOPIC,
                                1,
                                false,
                                Map.of("message.timestamp.type", "LogAppendTime"))),
                (short) 1,
                java.time.Duration.ofSeconds(30));
        try (var producer =
                new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                TestInfrastructure.get().kafkaBootstrap(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                "20",
                                ProducerConfig.BATCH_SIZE_CONFIG,
                                "524288"),
                        new StringSerializer(),
                        new StringSerializer())) {
            for (int i = 1; i <= ENTRIES; i++) {
                String id = "api-" + (i % 5000);
                AuditEvent event =
                        new AuditEvent(
                                        "admin-service",
                                        "scale",
                                        i,
                                        prev,
                                        start.plusMillis(i),
                                        AuditEvent.COMMITTED,
                                        i <= 5000 ? "create" : "update",
                                        "api",
                                        id,
                                        1 + (i - 1) / 5000,
                                        "admin-secret",
                                        "x-tyk-authorization",
                                        "10.0.0.1",
                                        "req-" + i,
                                        0,
                                        null,
                                        0,
                                        JSON.createArrayNode(),
                                        ((com.fasterxml.jackson.databind.node.ObjectNode)
                                                        document.deepCopy())
                                                .put("name", "api v" + i),
                                        null)
                                .sealed();
                prev = event.hash();
                producer.send(
                        new ProducerRecord<>(
                                TOPIC, "api/" + id, AuditChain.canonicalText(event.toJson(true))));
            }
            producer.flush();
            producer.send(new ProducerRecord<>(TOPIC, "flush", "{}")).get(60, TimeUnit.SECONDS);
        }
        long began = System.nanoTime();
        JsonNode state =
                JSON.readTree(
                        given().header("x-tyk-authorization", GatehouseTestResource.ADMIN_SECRET)
                                .get("/tyk/audit/state")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString());
        long millis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf(
                "[measure] audit state rebuilt from %d entries in %d ms (server replay %d ms)%n",
                state.get("entries_read").asLong(), millis, state.get("replay_ms").asLong());
        assertEquals(ENTRIES, state.get("changes_replayed").asLong());
        assertEquals(5000, state.get("apis").size());
        assertEquals(
                "api v" + ENTRIES,
                state.get("apis").get("api-" + (ENTRIES % 5000)).get("name").asText());
        assertTrue(
                millis < 30_000, "100,000 entries must replay in seconds, took " + millis + " ms");
    }

    @Test
    void anAdminWritesP50WithTheJournalOff() {
        System.out.printf(
                "[measure] admin write p50 without audit: %.2f ms%n",
                AuditLogTest.writeP50("p50-off"));
    }
}

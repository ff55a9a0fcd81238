package gatehouse.admin.apis;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import gatehouse.admin.messaging.StateRepublisher;
import gatehouse.contracts.events.Topics;
import gatehouse.testsupport.GatehouseTestResource;
import gatehouse.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
@QuarkusTestResource(value = GatehouseTestResource.class, initArgs = @ResourceArg(name = "database", value = "admin"))
class StateRepublisherTest {

    @Inject
    StateRepublisher republisher;

    @Test
    void everyLiveApiIsQueuedAgainWithItsCurrentVersionAndDeletedOnesAreNot() {
        // given one API at version 2 and one deleted
        String secret = GatehouseTestResource.ADMIN_SECRET;
        String api = "{\"api_id\":\"%s\",\"proxy\":{\"listen_path\":\"/%s/\",\"target_url\":\"http://u/\"}}";
        given().header("x-tyk-authorization", secret).body(api.formatted("rp-kept", "rp-kept")).post("/tyk/apis").then().statusCode(200);
        given().header("x-tyk-authorization", secret).body(api.formatted("rp-kept", "rp-kept2")).put("/tyk/apis/rp-kept").then().statusCode(200);
        given().header("x-tyk-authorization", secret).body(api.formatted("rp-gone", "rp-gone")).post("/tyk/apis").then().statusCode(200);
        given().header("x-tyk-authorization", secret).delete("/tyk/apis/rp-gone").then().statusCode(200);
        long keptBefore = events("rp-kept").size();
        long goneBefore = events("rp-gone").size();

        // when the state is republished (as after a broker lost its topics)
        republisher.republish();

        // then the live API comes again with version 2, the deleted one does not
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<ConsumerRecord<String, String>> kept = events("rp-kept");
        while (kept.size() == keptBefore && System.nanoTime() < deadline) {
            kept = events("rp-kept");
        }
        assertEquals(keptBefore + 1, kept.size());
        var last = kept.get(kept.size() - 1);
        assertEquals("2", new String(last.headers().lastHeader("ce_aggregateversion").value(), StandardCharsets.UTF_8));
        assertTrue(last.value().contains("/rp-kept2/"));
        assertEquals(goneBefore, events("rp-gone").size());
    }

    private static List<ConsumerRecord<String, String>> events(String key) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrap()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.APIS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        records.add(r);
                    }
                });
            }
            return records;
        }
    }
}
